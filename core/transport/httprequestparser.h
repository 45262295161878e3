#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace portcullis::transport {

struct HttpRequest {
    std::string method;
    std::string target; // as sent: "/mcp?x=1" or "*"
    std::string path;   // target up to the first '?', not percent-decoded
    std::string query;  // after the first '?', without it
    int versionMinor = 1;
    // Names in lower case, values without surrounding whitespace, in the order received.
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body; // de-chunked

    // The first field with that name; pass the name in lower case.
    std::optional<std::string_view> header(std::string_view lowercaseName) const;
    bool hasHeaderToken(std::string_view lowercaseName, std::string_view token) const;
    bool keepAlive() const;
};

struct HttpError {
    int status = 0;
    std::string reason;
};

// An incremental HTTP/1.1 request parser with hard limits, for a server that must not trust its
// peer. Bytes go in as they arrive; a request comes out when it is whole. Anything ambiguous about
// where a request ends (the root of request smuggling) is an error, and every error is final: the
// caller answers with error().status and closes the connection.
class HttpRequestParser final {
public:
    struct Limits {
        std::size_t maxHeaderBytes = 32 * 1024; // request line, fields, chunk extensions, trailers
        std::size_t maxBodyBytes = 4 * 1024 * 1024;
        std::size_t maxHeaderCount = 100; // fields and trailer fields together
    };
    enum class Status { NeedMore, Complete, Error };

    HttpRequestParser();
    explicit HttpRequestParser(const Limits& limits);

    // Buffers bytes and parses as far as they allow. After Complete, further bytes are only
    // buffered until next(); the caller stops reading the socket while it answers, because
    // nothing else bounds that buffer (see bufferedBytes()).
    Status feed(std::string_view bytes);
    // Continues with bytes already buffered, e.g. a pipelined request after next().
    Status parseBuffered() { return feed({}); }
    Status status() const;

    const HttpRequest& request() const { return m_request; }
    const HttpError& error() const { return m_error; }

    // True while the body of a request that sent "Expect: 100-continue" is still awaited: the
    // caller sends "HTTP/1.1 100 Continue" once, or the client may stall before sending the body.
    bool expectsContinue() const;

    // The complete request has been handed over and its answer may take long (a call held for
    // approval): frees its fields, body and consumed bytes. request() is empty afterwards.
    void releaseRequest();

    // Starts the next request of a keep-alive connection, keeping bytes already received for it.
    // Has no effect unless the current request is Complete.
    void next();

    // Between requests with nothing of the next one received: closing now loses nothing, and
    // the caller's idle timeout (rather than its request timeout) applies.
    bool idle() const {
        return m_state == State::RequestLine && m_headBytes == 0 && bufferedBytes() == 0;
    }

    // Received but not yet consumed by a finished request.
    std::size_t bufferedBytes() const { return m_buffer.size() - m_pos; }

private:
    enum class State {
        RequestLine,
        Headers,
        Body,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailers,
        Complete,
        Failed,
    };

    void parse();
    std::size_t nextLineLength();
    std::string_view takeLine(std::size_t length);
    void parseRequestLine(std::string_view line);
    void parseFieldLine(std::string_view line, bool trailer);
    void finishHead();
    void parseChunkSizeLine(std::string_view line, bool complete);
    void fail(int status, std::string reason);
    void compact();

    Limits m_limits;
    std::string m_buffer;
    std::size_t m_pos = 0;  // start of unconsumed bytes
    std::size_t m_scan = 0; // where the search for the next LF resumes
    State m_state = State::RequestLine;
    HttpRequest m_request;
    HttpError m_error;
    std::size_t m_headBytes = 0;  // bytes spent against maxHeaderBytes by this request
    std::size_t m_fieldCount = 0; // fields and trailer fields of this request
    std::optional<std::uint64_t> m_contentLength;
    std::uint64_t m_remaining = 0; // of the Content-Length body or of the current chunk
};

} // namespace portcullis::transport
