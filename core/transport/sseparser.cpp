#include "transport/sseparser.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace portcullis::transport {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::optional<int> parseRetry(std::string_view value) {
    if (value.empty() ||
        !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    long long ms = 0;
    for (const char c : value) {
        ms = ms * 10 + (c - '0');
        // The spec sets no upper bound; a value that does not fit is treated as invalid.
        if (ms > std::numeric_limits<int>::max())
            return std::nullopt;
    }
    return static_cast<int>(ms);
}

} // namespace

SseParser::SseParser(std::size_t maxEventBytes)
    : m_maxEventBytes(maxEventBytes) {}

std::vector<SseEvent> SseParser::feed(std::string_view bytes) {
    std::vector<SseEvent> events;
    if (m_failed)
        return events;
    if (!m_bomDone) {
        // The BOM may arrive split over reads, so matched bytes are held back until it is known
        // whether they were a BOM or the start of the text.
        while (!bytes.empty() && m_bomMatched < kBom.size() &&
               bytes.front() == kBom[m_bomMatched]) {
            ++m_bomMatched;
            bytes.remove_prefix(1);
        }
        if (m_bomMatched < kBom.size() && bytes.empty())
            return events;
        m_bomDone = true;
        if (m_bomMatched < kBom.size())
            consume(kBom.substr(0, m_bomMatched), events);
    }
    consume(bytes, events);
    return events;
}

void SseParser::consume(std::string_view bytes, std::vector<SseEvent>& events) {
    while (!bytes.empty() && !m_failed) {
        if (m_afterCr) {
            m_afterCr = false;
            if (bytes.front() == '\n') {
                bytes.remove_prefix(1);
                continue;
            }
        }
        const std::size_t end = bytes.find_first_of("\r\n");
        const std::string_view part = bytes.substr(0, end);
        if (m_line.size() + part.size() + m_data.size() + m_eventType.size() > m_maxEventBytes) {
            m_failed = true;
            m_error = "event larger than " + std::to_string(m_maxEventBytes) + " bytes";
            // Nothing more will be read; give the memory back.
            m_line = m_data = m_eventType = std::string();
            return;
        }
        m_line.append(part);
        if (end == std::string_view::npos)
            return;
        m_afterCr = bytes[end] == '\r';
        bytes.remove_prefix(end + 1);
        processLine(events);
        m_line.clear();
    }
}

void SseParser::processLine(std::vector<SseEvent>& events) {
    const std::string_view line = m_line;
    if (line.empty())
        return dispatch(events);
    if (line.front() == ':')
        return; // a comment, often a keep-alive
    const std::size_t colon = line.find(':');
    const std::string_view field = line.substr(0, colon);
    std::string_view value;
    if (colon != std::string_view::npos) {
        value = line.substr(colon + 1);
        if (!value.empty() && value.front() == ' ')
            value.remove_prefix(1);
    }
    if (field == "event") {
        m_eventType = value;
    } else if (field == "data") {
        m_data += value;
        m_data += '\n';
    } else if (field == "id") {
        if (value.find('\0') == std::string_view::npos)
            m_idBuffer = value;
    } else if (field == "retry") {
        if (const auto ms = parseRetry(value)) {
            m_retryMs = ms;
            m_blockRetryMs = ms;
        }
    }
}

void SseParser::dispatch(std::vector<SseEvent>& events) {
    m_lastEventId = m_idBuffer;
    const std::optional<int> retry = std::exchange(m_blockRetryMs, std::nullopt);
    if (m_data.empty()) {
        m_eventType.clear();
        return;
    }
    m_data.pop_back(); // the '\n' after the last data line
    SseEvent event;
    if (!m_eventType.empty())
        event.event = std::move(m_eventType);
    event.data = std::move(m_data);
    event.id = m_lastEventId;
    event.retryMs = retry;
    events.push_back(std::move(event));
    m_data.clear();
    m_eventType.clear();
}

std::string formatSseEvent(std::string_view data, std::string_view event, std::string_view id) {
    auto appendClean = [](std::string& out, std::string_view text) {
        std::copy_if(text.begin(), text.end(), std::back_inserter(out),
                     [](char c) { return c != '\r' && c != '\n' && c != '\0'; });
    };
    std::string out;
    out.reserve(data.size() + event.size() + id.size() + 32);
    if (!event.empty()) {
        out += "event: ";
        appendClean(out, event);
        out += '\n';
    }
    if (!id.empty()) {
        out += "id: ";
        appendClean(out, id);
        out += '\n';
    }
    for (;;) {
        const std::size_t end = data.find_first_of("\r\n");
        out += "data: ";
        out += data.substr(0, end);
        out += '\n';
        if (end == std::string_view::npos)
            break;
        const bool crlf = data[end] == '\r' && end + 1 < data.size() && data[end + 1] == '\n';
        data.remove_prefix(end + (crlf ? 2 : 1));
    }
    out += '\n';
    return out;
}

} // namespace portcullis::transport
