#include "transport/httprequestparser.h"

#include "util/hexdigit.h"

#include <algorithm>
#include <limits>

namespace portcullis::transport {

namespace {

// Sixteen hex digits fill 64 bits; more can only be leading zeros, which no client sends.
constexpr std::size_t kMaxChunkSizeDigits = 16;
// A fully read buffer keeps its capacity; past this an idle connection gives it back.
constexpr std::size_t kKeptBufferCapacity = 64 * 1024;

bool isTchar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool isToken(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), isTchar);
}

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

bool isWhitespace(char c) {
    return c == ' ' || c == '\t';
}

// Field values may hold HTAB, visible ASCII and obs-text; other controls (NUL, a lone CR) are
// what header injection is made of.
bool isControl(char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7f;
}

std::string_view trimWhitespace(std::string_view text) {
    while (!text.empty() && isWhitespace(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && isWhitespace(text.back()))
        text.remove_suffix(1);
    return text;
}

char toLower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return toLower(x) == toLower(y);
           });
}

// Calls f with each non-empty, trimmed element of a comma-separated field value.
template <typename F> void forEachListElement(std::string_view value, F&& f) {
    while (!value.empty()) {
        const std::size_t comma = value.find(',');
        const std::string_view element = trimWhitespace(value.substr(0, comma));
        if (!element.empty())
            f(element);
        if (comma == std::string_view::npos)
            break;
        value.remove_prefix(comma + 1);
    }
}

} // namespace

std::optional<std::string_view> HttpRequest::header(std::string_view lowercaseName) const {
    for (const auto& [name, value] : headers)
        if (name == lowercaseName)
            return std::string_view(value);
    return std::nullopt;
}

bool HttpRequest::hasHeaderToken(std::string_view lowercaseName, std::string_view token) const {
    bool found = false;
    for (const auto& [name, value] : headers)
        if (name == lowercaseName)
            forEachListElement(value, [&](std::string_view element) {
                found = found || equalsIgnoringCase(element, token);
            });
    return found;
}

bool HttpRequest::keepAlive() const {
    if (hasHeaderToken("connection", "close"))
        return false;
    return versionMinor >= 1 || hasHeaderToken("connection", "keep-alive");
}

HttpRequestParser::HttpRequestParser()
    : HttpRequestParser(Limits{}) {}

HttpRequestParser::HttpRequestParser(const Limits& limits)
    : m_limits(limits) {}

HttpRequestParser::Status HttpRequestParser::feed(std::string_view bytes) {
    if (m_state == State::Failed)
        return Status::Error;
    m_buffer.append(bytes);
    if (m_state != State::Complete)
        parse();
    compact();
    return status();
}

HttpRequestParser::Status HttpRequestParser::status() const {
    switch (m_state) {
    case State::Complete:
        return Status::Complete;
    case State::Failed:
        return Status::Error;
    default:
        return Status::NeedMore;
    }
}

bool HttpRequestParser::expectsContinue() const {
    switch (m_state) {
    case State::Body:
    case State::ChunkSize:
    case State::ChunkData:
    case State::ChunkDataEnd:
        return m_request.versionMinor >= 1 && m_request.hasHeaderToken("expect", "100-continue");
    default:
        return false;
    }
}

void HttpRequestParser::next() {
    if (m_state != State::Complete)
        return;
    m_request = HttpRequest{};
    m_headBytes = 0;
    m_fieldCount = 0;
    m_contentLength.reset();
    m_remaining = 0;
    m_state = State::RequestLine;
    compact();
}

void HttpRequestParser::fail(int status, std::string reason) {
    m_state = State::Failed;
    m_error = HttpError{status, std::move(reason)};
    // The connection is closing; nothing buffered will be read again.
    m_buffer = std::string();
    m_pos = m_scan = 0;
}

void HttpRequestParser::releaseRequest() {
    if (m_state != State::Complete)
        return;
    m_request = HttpRequest{};
    m_buffer.erase(0, m_pos);
    m_buffer.shrink_to_fit();
    m_scan -= std::min(m_scan, m_pos);
    m_pos = 0;
}

void HttpRequestParser::compact() {
    // Dropping the consumed prefix only once it is at least half the buffer keeps the copying
    // linear in the bytes received, however the reads are split.
    if (m_pos == 0 || m_pos * 2 < m_buffer.size())
        return;
    m_buffer.erase(0, m_pos);
    m_scan -= m_pos;
    m_pos = 0;
    if (m_buffer.empty() && m_buffer.capacity() > kKeptBufferCapacity)
        m_buffer = std::string();
}

std::size_t HttpRequestParser::nextLineLength() {
    const std::size_t lf = m_buffer.find('\n', std::max(m_scan, m_pos));
    if (lf == std::string::npos) {
        // Byte-at-a-time input must not rescan the same partial line on every feed.
        m_scan = m_buffer.size();
        return 0;
    }
    return lf + 1 - m_pos;
}

std::string_view HttpRequestParser::takeLine(std::size_t length) {
    std::string_view line(m_buffer.data() + m_pos, length - 1);
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    m_pos += length;
    m_scan = m_pos;
    return line;
}

void HttpRequestParser::parse() {
    for (;;) {
        switch (m_state) {
        case State::RequestLine:
        case State::Headers:
        case State::Trailers: {
            const std::size_t budget = m_limits.maxHeaderBytes - m_headBytes;
            const std::size_t length = nextLineLength();
            // Checked on partial lines too, so an endless header line is refused while it is
            // still arriving rather than buffered to the end.
            if ((length == 0 ? bufferedBytes() : length) > budget) {
                const std::string limit = std::to_string(m_limits.maxHeaderBytes) + " bytes";
                if (m_state == State::RequestLine)
                    fail(414, "request line longer than " + limit);
                else if (m_state == State::Headers)
                    fail(431, "header block larger than " + limit);
                else
                    fail(431, "header and trailer fields larger than " + limit);
                return;
            }
            if (length == 0)
                return;
            m_headBytes += length;
            const std::string_view line = takeLine(length);
            if (m_state == State::RequestLine) {
                // RFC 9112 2.2: empty lines before a request are tolerated (some clients send
                // CRLF after a body); they still count against the limit.
                if (!line.empty())
                    parseRequestLine(line);
            } else if (!line.empty()) {
                parseFieldLine(line, m_state == State::Trailers);
            } else if (m_state == State::Headers) {
                finishHead();
            } else {
                m_state = State::Complete;
            }
            break;
        }
        case State::Body:
        case State::ChunkData: {
            const std::size_t available = bufferedBytes();
            if (available == 0)
                return;
            const auto n = static_cast<std::size_t>(
                std::min<std::uint64_t>(m_remaining, static_cast<std::uint64_t>(available)));
            m_request.body.append(m_buffer, m_pos, n);
            m_pos += n;
            m_scan = m_pos;
            m_remaining -= n;
            if (m_remaining == 0)
                m_state = m_state == State::Body ? State::Complete : State::ChunkDataEnd;
            break;
        }
        case State::ChunkSize: {
            const std::size_t length = nextLineLength();
            if (length == 0) {
                parseChunkSizeLine(std::string_view(m_buffer).substr(m_pos), false);
                return;
            }
            parseChunkSizeLine(takeLine(length), true);
            break;
        }
        case State::ChunkDataEnd: {
            const std::size_t available = bufferedBytes();
            if (available == 0)
                return;
            std::size_t length = 0;
            if (m_buffer[m_pos] == '\n')
                length = 1;
            else if (m_buffer[m_pos] == '\r' && available < 2)
                return;
            else if (m_buffer[m_pos] == '\r' && m_buffer[m_pos + 1] == '\n')
                length = 2;
            if (length == 0) {
                fail(400, "chunk data not followed by CRLF");
                return;
            }
            m_pos += length;
            m_scan = m_pos;
            m_state = State::ChunkSize;
            break;
        }
        case State::Complete:
        case State::Failed:
            return;
        }
    }
}

void HttpRequestParser::parseRequestLine(std::string_view line) {
    // Exactly "method SP target SP version": lenient whitespace handling is where front ends
    // and back ends start to disagree about a request.
    const std::size_t sp1 = line.find(' ');
    const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos)
        return fail(400, "malformed request line");
    const std::string_view method = line.substr(0, sp1);
    const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    const std::string_view version = line.substr(sp2 + 1);

    if (!isToken(method))
        return fail(400, "method is not a token");
    if (target.empty())
        return fail(400, "empty request target");
    for (const char c : target) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f || c == '#')
            return fail(400, "invalid character in request target");
    }
    if (target == "*") {
        if (method != "OPTIONS")
            return fail(400, "'*' is a target for OPTIONS only");
    } else if (target.front() != '/') {
        return fail(400, "request target must be an absolute path");
    }

    const bool wellFormed = version.size() == 8 && version.substr(0, 5) == "HTTP/" &&
                            isDigit(version[5]) && version[6] == '.' && isDigit(version[7]);
    if (!wellFormed)
        return fail(400, "malformed HTTP version");
    if (version[5] != '1' || (version[7] != '0' && version[7] != '1'))
        return fail(505, "only HTTP/1.0 and HTTP/1.1 are supported");

    m_request.method = method;
    m_request.target = target;
    const std::size_t question = target.find('?');
    m_request.path = target.substr(0, question);
    if (question != std::string_view::npos)
        m_request.query = target.substr(question + 1);
    m_request.versionMinor = version[7] - '0';
    m_state = State::Headers;
}

void HttpRequestParser::parseFieldLine(std::string_view line, bool trailer) {
    if (isWhitespace(line.front()))
        return fail(400, "obsolete line folding");
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos)
        return fail(400, "field line without a colon");
    const std::string_view name = line.substr(0, colon);
    if (!name.empty() && isWhitespace(name.back()))
        return fail(400, "whitespace between field name and colon");
    if (!isToken(name))
        return fail(400, "field name is not a token");
    const std::string_view value = trimWhitespace(line.substr(colon + 1));
    if (std::any_of(value.begin(), value.end(), isControl))
        return fail(400, "control character in field value");
    if (++m_fieldCount > m_limits.maxHeaderCount)
        return fail(431, "more than " + std::to_string(m_limits.maxHeaderCount) + " fields");
    if (trailer)
        return; // nothing reads trailers; they are only checked and counted

    std::string lowerName(name);
    std::transform(lowerName.begin(), lowerName.end(), lowerName.begin(), toLower);
    if (lowerName == "content-length") {
        if (value.empty() || !std::all_of(value.begin(), value.end(), isDigit))
            return fail(400, "Content-Length is not a decimal number");
        // Saturating: anything this large is over the limit anyway, and must not wrap.
        std::uint64_t length = 0;
        constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
        for (const char c : value)
            length =
                length >= kMax / 10 - 1 ? kMax : length * 10 + static_cast<std::uint64_t>(c - '0');
        if (m_contentLength && *m_contentLength != length)
            return fail(400, "conflicting Content-Length fields");
        m_contentLength = length;
    }
    if (m_request.headers.empty())
        m_request.headers.reserve(12); // what clients send, without growing one by one
    m_request.headers.emplace_back(std::move(lowerName), std::string(value));
}

void HttpRequestParser::finishHead() {
    const auto hosts = std::count_if(m_request.headers.begin(), m_request.headers.end(),
                                     [](const auto& h) { return h.first == "host"; });
    // RFC 9112 3.2; and two Host fields would let the rebinding check read one and a router
    // the other.
    if (hosts > 1)
        return fail(400, "more than one Host field");
    if (hosts == 0 && m_request.versionMinor >= 1)
        return fail(400, "HTTP/1.1 request without Host");

    bool transferEncoding = false;
    std::vector<std::string_view> codings;
    for (const auto& [name, value] : m_request.headers)
        if (name == "transfer-encoding") {
            transferEncoding = true;
            forEachListElement(value, [&](std::string_view c) { codings.push_back(c); });
        }

    if (transferEncoding) {
        // Two framings at once is the classic request-smuggling setup: refuse rather than pick.
        if (m_contentLength)
            return fail(400, "both Content-Length and Transfer-Encoding");
        // RFC 9112 6.1: an HTTP/1.0 peer may not know chunked; its framing cannot be trusted.
        if (m_request.versionMinor == 0)
            return fail(400, "Transfer-Encoding in an HTTP/1.0 request");
        if (codings.size() != 1 || !equalsIgnoringCase(codings.front(), "chunked"))
            return fail(501, "only the chunked transfer coding is supported");
        m_state = State::ChunkSize;
        return;
    }
    if (m_contentLength) {
        if (*m_contentLength > m_limits.maxBodyBytes)
            return fail(413,
                        "body larger than " + std::to_string(m_limits.maxBodyBytes) + " bytes");
        m_remaining = *m_contentLength;
        m_state = m_remaining == 0 ? State::Complete : State::Body;
        return;
    }
    const std::string& method = m_request.method;
    if (method == "POST" || method == "PUT" || method == "PATCH")
        return fail(411, method + " without Content-Length or chunked body");
    m_state = State::Complete;
}

void HttpRequestParser::parseChunkSizeLine(std::string_view line, bool complete) {
    // A partial line is checked as far as it goes, so an oversized chunk or endless extension
    // is refused before the rest of it arrives; the checks run in the same order either way,
    // so how the input was split never changes the outcome.
    if (!complete && !line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    const std::uint64_t budget = m_limits.maxBodyBytes - m_request.body.size();
    std::uint64_t size = 0;
    std::size_t digits = 0;
    for (; digits < line.size() && hexDigit(line[digits]) >= 0; ++digits) {
        if (digits == kMaxChunkSizeDigits)
            return fail(400, "chunk size has too many digits");
        size = size * 16 + static_cast<std::uint64_t>(hexDigit(line[digits]));
        if (size > budget)
            return fail(413, "chunked body larger than " + std::to_string(m_limits.maxBodyBytes) +
                                 " bytes");
    }
    const std::string_view extension = line.substr(digits);
    if (extension.size() > m_limits.maxHeaderBytes - m_headBytes)
        return fail(413, "chunk extensions larger than " + std::to_string(m_limits.maxHeaderBytes) +
                             " bytes");
    if (!complete)
        return;
    m_headBytes += extension.size();
    if (digits == 0)
        return fail(400, "chunk size is not hexadecimal");
    const std::string_view rest = trimWhitespace(extension);
    if ((!rest.empty() && rest.front() != ';') ||
        std::any_of(extension.begin(), extension.end(), isControl))
        return fail(400, "malformed chunk extension");
    if (size == 0) {
        m_state = State::Trailers;
    } else {
        m_remaining = size;
        m_state = State::ChunkData;
    }
}

} // namespace portcullis::transport
