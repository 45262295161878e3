#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis::transport {

struct SseEvent {
    std::string event = "message";
    std::string data;
    std::string id;             // the last event ID in effect when the event was dispatched
    std::optional<int> retryMs; // a valid "retry" field in this event's block, if any
};

// An incremental text/event-stream parser following the WHATWG HTML "event stream
// interpretation" rules, for SSE responses of upstream MCP servers. Bounded: an event, its type
// and the line being read may not together exceed maxEventBytes, so a stream that never ends a
// line or an event cannot grow memory without limit. Past the bound the parser stops for good.
class SseParser final {
public:
    explicit SseParser(std::size_t maxEventBytes = 8 * 1024 * 1024);

    // The events completed by these bytes, in order.
    std::vector<SseEvent> feed(std::string_view bytes);

    // Updated on every blank line, also for blocks that are not dispatched for lack of data
    // (such as an "id:" only priming block), as a resuming client must send it.
    const std::string& lastEventId() const { return m_lastEventId; }
    // The reconnection time the stream asked for, whether or not an event carried it.
    std::optional<int> retryMs() const { return m_retryMs; }

    bool failed() const { return m_failed; }
    const std::string& error() const { return m_error; }

private:
    void consume(std::string_view bytes, std::vector<SseEvent>& events);
    void processLine(std::vector<SseEvent>& events);
    void dispatch(std::vector<SseEvent>& events);

    std::size_t m_maxEventBytes;
    std::string m_line;
    std::string m_data;
    std::string m_eventType;
    std::string m_idBuffer;
    std::string m_lastEventId;
    std::optional<int> m_blockRetryMs;
    std::optional<int> m_retryMs;
    std::size_t m_bomMatched = 0;
    bool m_bomDone = false;
    bool m_afterCr = false; // a CR ended the last line; an LF right after it is part of that end
    bool m_failed = false;
    std::string m_error;
};

// One event in wire form. Each line of data (split at CRLF, LF or CR) becomes its own "data:"
// line, so the receiver rebuilds it with "\n" between lines. CR, LF and NUL are removed from
// event and id, which could otherwise end the field early or get the id ignored.
std::string formatSseEvent(std::string_view data, std::string_view event = {},
                           std::string_view id = {});

} // namespace portcullis::transport
