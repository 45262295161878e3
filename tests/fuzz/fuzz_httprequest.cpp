#include "fuzzinput.h"
#include "transport/httprequestparser.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

using namespace portcullis::transport;
using Status = HttpRequestParser::Status;

namespace {

// Small limits, picked by the first input byte, so the fuzzer reaches every limit and its edges
// with short inputs.
HttpRequestParser::Limits fuzzLimits(std::uint8_t selector) {
    static constexpr std::size_t kHeaderBytes[] = {512, 96, 200, 48};
    static constexpr std::size_t kBodyBytes[] = {1024, 8, 64, 0};
    HttpRequestParser::Limits limits;
    limits.maxHeaderBytes = kHeaderBytes[(selector >> 3) & 3];
    limits.maxBodyBytes = kBodyBytes[(selector >> 5) & 3];
    limits.maxHeaderCount = (selector & 0x80) != 0 ? 2 : 8;
    return limits;
}

void check(bool condition) {
    if (!condition)
        __builtin_trap();
}

bool isTchar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// What every request the parser hands out must satisfy, whatever the input.
void checkRequest(const HttpRequest& r, const HttpRequestParser::Limits& limits) {
    check(r.body.size() <= limits.maxBodyBytes);
    check(!(r.header("content-length") && r.header("transfer-encoding")));
    check(r.headers.size() <= limits.maxHeaderCount);
    check(r.versionMinor == 0 || r.versionMinor == 1);
    check(!r.method.empty());
    check(r.target == "*" || (!r.target.empty() && r.target.front() == '/'));
    check(r.path + (r.target.find('?') == std::string::npos ? "" : "?" + r.query) == r.target);
    for (const auto& [name, value] : r.headers) {
        check(!name.empty());
        for (const char c : name)
            check(isTchar(c));
        check(value.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos);
    }
    if (auto length = r.header("content-length")) {
        while (length->size() > 1 && length->front() == '0')
            length->remove_prefix(1);
        check(*length == std::to_string(r.body.size()));
    }
}

// One line per outcome, to compare how differently split inputs were understood.
std::vector<std::string> parseAll(std::string_view stream, const std::vector<std::size_t>& sizes,
                                  const HttpRequestParser::Limits& limits) {
    HttpRequestParser parser(limits);
    std::vector<std::string> outcome;
    std::size_t pos = 0;
    std::size_t turn = 0;
    Status status = Status::NeedMore;
    while (pos < stream.size() && status != Status::Error) {
        std::size_t n = stream.size() - pos;
        if (!sizes.empty())
            n = std::min(n, sizes[turn++ % sizes.size()]);
        status = parser.feed(stream.substr(pos, n));
        pos += n;
        // Each request consumes at least one byte, so this ends.
        while (status == Status::Complete) {
            const HttpRequest& r = parser.request();
            checkRequest(r, limits);
            outcome.push_back(r.method + ' ' + r.target + ' ' + std::to_string(r.headers.size()) +
                              ' ' + r.body);
            parser.next();
            status = parser.parseBuffered();
        }
    }
    if (status == Status::Error) {
        const int s = parser.error().status;
        check(s == 400 || s == 411 || s == 413 || s == 414 || s == 431 || s == 501 || s == 505);
        check(!parser.error().reason.empty());
        check(parser.bufferedBytes() == 0);
        check(parser.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n") == Status::Error);
        outcome.push_back("error " + std::to_string(s));
    } else if (!parser.idle()) {
        outcome.push_back("need more");
    }
    return outcome;
}

} // namespace

// Input: one byte (low 3 bits: n; the rest: limits), n piece sizes (1..256 each), then the byte
// stream. The same stream is parsed whole and in those pieces; the outcomes must be identical,
// because how TCP happens to split a request must never change what the server understands.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    const FuzzReads input = splitFuzzInput(data, size);
    const std::vector<std::size_t>& sizes = input.sizes;
    const std::string_view stream = input.stream;

    const auto limits = fuzzLimits(input.control);
    const auto whole = parseAll(stream, {}, limits);
    const auto pieces =
        parseAll(stream, sizes.empty() ? std::vector<std::size_t>{1} : sizes, limits);
    check(whole == pieces);
    return 0;
}
