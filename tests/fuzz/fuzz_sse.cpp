#include "fuzzinput.h"
#include "transport/sseparser.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

using namespace portcullis::transport;

namespace {

constexpr std::size_t kMaxEventBytes = 256; // small, so the bound is reached often

void check(bool condition) {
    if (!condition)
        __builtin_trap();
}

struct Outcome {
    std::vector<std::string> events;
    std::string lastEventId;
    bool failed = false;
    bool operator==(const Outcome&) const = default;
};

Outcome parseAll(std::string_view stream, const std::vector<std::size_t>& sizes) {
    SseParser parser(kMaxEventBytes);
    Outcome outcome;
    std::size_t pos = 0;
    std::size_t turn = 0;
    do {
        std::size_t n = stream.size() - pos;
        if (!sizes.empty())
            n = std::min(n, sizes[turn++ % sizes.size()]);
        for (const SseEvent& e : parser.feed(stream.substr(pos, n))) {
            check(e.data.size() <= kMaxEventBytes);
            check(!e.event.empty());
            check(e.data.find('\r') == std::string::npos);
            check(e.event.find_first_of("\r\n") == std::string::npos);
            check(e.id.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos);
            check(!e.retryMs || *e.retryMs >= 0);
            outcome.events.push_back(e.event + '|' + e.data + '|' + e.id + '|' +
                                     (e.retryMs ? std::to_string(*e.retryMs) : "-"));
        }
        pos += n;
    } while (pos < stream.size());
    check(parser.failed() == !parser.error().empty());
    outcome.lastEventId = parser.lastEventId();
    outcome.failed = parser.failed();
    return outcome;
}

std::string withoutBreaks(std::string_view text) {
    std::string out;
    for (const char c : text)
        if (c != '\r' && c != '\n' && c != '\0')
            out += c;
    return out;
}

// What a receiver rebuilds from data sent as formatSseEvent lines.
std::string lineEndsToLf(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
            continue;
        out += text[i] == '\r' ? '\n' : text[i];
    }
    return out;
}

} // namespace

// Input: one byte n (low 3 bits), n read sizes (1..256 each), then the stream. Whole and split
// reads must give the same events; and the stream sent as one event's data must come back.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    const FuzzReads input = splitFuzzInput(data, size);
    const std::vector<std::size_t>& sizes = input.sizes;
    const std::string_view stream = input.stream;

    const Outcome whole = parseAll(stream, {});
    const Outcome pieces = parseAll(stream, sizes.empty() ? std::vector<std::size_t>{1} : sizes);
    check(whole == pieces);

    const std::string_view event = stream.substr(0, 8);
    const std::string_view id = stream.substr(0, 4);
    SseParser roundTrip;
    const auto events = roundTrip.feed(formatSseEvent(stream, event, id));
    check(events.size() == 1);
    check(events[0].data == lineEndsToLf(stream));
    const std::string cleanEvent = withoutBreaks(event);
    check(events[0].event == (cleanEvent.empty() ? "message" : cleanEvent));
    check(events[0].id == withoutBreaks(id));
    check(roundTrip.lastEventId() == events[0].id);
    return 0;
}
