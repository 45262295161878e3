#include "transport/httpserver.h"

#include "transport/httpresponse.h"
#include "util/fdio.h"
#include "util/log.h"

#include <QTcpServer>
#include <QTimer>

#include <nlohmann/json.hpp>

#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace portcullis::transport {

namespace {

// While a request is being answered (an approval hold can last minutes) a client may already
// send the next one; this much of it is read, the rest waits in the kernel and slows the
// client down. Reading on is what lets a hold notice that its client went away.
constexpr std::size_t kMaxReadAheadBytes = 64 * 1024;
// Output a client does not read (a stalled SSE listener) is kept up to this much, then the
// connection is dropped rather than buffered without end.
constexpr std::size_t kMaxUnsentBytes = 64 * 1024 * 1024;
// After the last answer, what the client still sends is read and discarded for at most this
// long before closing: closing with unread input would reset the connection and could destroy
// the answer (say a 413) before the client reads it.
constexpr int kLingerMs = 2000;

} // namespace

// Takes accepted descriptors before Qt wraps them in a QTcpSocket.
class DescriptorServer final : public QTcpServer {
public:
    explicit DescriptorServer(HttpServer* owner)
        : QTcpServer(owner)
        , m_owner(owner) {}

protected:
    void incomingConnection(qintptr fd) override { m_owner->accepted(static_cast<int>(fd)); }

private:
    HttpServer* m_owner;
};

HttpExchange::HttpExchange(HttpConnection* connection)
    : m_connection(connection) {}

bool HttpExchange::alive() const {
    return m_connection && m_connection->connected();
}

void HttpExchange::respond(int status, const HttpHeaders& headers, std::string_view body) {
    if (m_state != State::Idle)
        return;
    m_state = State::Done;
    if (!alive())
        return;
    std::string out = formatResponseHead(status, headers, body.size());
    out += body;
    m_connection->write(out);
    m_connection->exchangeDone(false);
}

void HttpExchange::beginStream(int status, const HttpHeaders& headers, std::string_view firstData) {
    if (m_state != State::Idle)
        return;
    m_state = State::Streaming;
    if (!alive())
        return;
    HttpHeaders all = headers;
    all.emplace_back("Transfer-Encoding", "chunked");
    std::string out = formatResponseHead(status, all, std::nullopt);
    out += formatChunk(firstData);
    m_connection->write(out);
}

void HttpExchange::writeChunk(std::string_view data) {
    if (m_state != State::Streaming || data.empty() || !alive())
        return;
    m_connection->write(formatChunk(data));
}

void HttpExchange::endStream(std::string_view finalData) {
    if (m_state != State::Streaming)
        return;
    m_state = State::Done;
    if (!alive())
        return;
    std::string out = formatChunk(finalData);
    out += lastChunk();
    m_connection->write(out);
    m_connection->exchangeDone(false);
}

HttpServer::HttpServer(HttpHandler handler, HttpRequestParser::Limits limits, QObject* parent)
    : QObject(parent)
    , m_handler(std::move(handler))
    , m_limits(limits)
    , m_server(new DescriptorServer(this)) {}

HttpServer::~HttpServer() {
    close();
}

bool HttpServer::listen(const QHostAddress& address, quint16 port, QString* error) {
    // Qt's default backlog of 50 makes the kernel drop connections when hundreds of agents'
    // requests arrive at once (each held call has a connection of its own); they then retry
    // after a second or more. The kernel caps this at net.core.somaxconn.
    m_server->setListenBacklogSize(4096);
    if (m_server->listen(address, port))
        return true;
    if (error)
        *error = m_server->errorString();
    return false;
}

void HttpServer::close() {
    m_server->close();
    const auto connections = findChildren<HttpConnection*>(Qt::FindDirectChildrenOnly);
    for (HttpConnection* c : connections)
        delete c;
}

quint16 HttpServer::port() const {
    return m_server->serverPort();
}
QHostAddress HttpServer::address() const {
    return m_server->serverAddress();
}

int HttpServer::connectionCount() const {
    return static_cast<int>(findChildren<HttpConnection*>(Qt::FindDirectChildrenOnly).size());
}

void HttpServer::accepted(int fd) {
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
        log::logger()->warn("http: dropped a connection: cannot make it non-blocking: {}",
                            std::strerror(errno));
        ::close(fd);
        return;
    }
    // Answers can go out in pieces (an SSE head, events, the last chunk); with Nagle's algorithm
    // and the client's delayed ACK each would wait about 40 ms.
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    new HttpConnection(fd, m_handler, m_limits, this);
}

HttpConnection::HttpConnection(int fd, const HttpHandler& handler,
                               const HttpRequestParser::Limits& limits, QObject* parent)
    : QObject(parent)
    , m_fd(fd)
    , m_readNotifier(fd, QSocketNotifier::Read)
    , m_handler(handler)
    , m_parser(limits) {
    connect(&m_readNotifier, &QSocketNotifier::activated, this, &HttpConnection::onReadable);
}

HttpConnection::~HttpConnection() {
    m_readNotifier.setEnabled(false);
    m_writeNotifier.reset();
    if (m_fd >= 0)
        ::close(m_fd);
    if (auto ex = m_current.lock();
        ex && ex->m_state != HttpExchange::State::Done && ex->m_onAbandoned) {
        auto abandoned = std::move(ex->m_onAbandoned);
        abandoned();
    }
}

void HttpConnection::write(std::string_view bytes) {
    if (m_fd < 0 || bytes.empty())
        return;
    // Straight to the kernel unless earlier output still waits: the usual answer is one send().
    if (m_unsent.empty()) {
        bool gone = false;
        bytes.remove_prefix(writeWhatFits(m_fd, DescriptorKind::Socket, bytes, &gone));
        if (gone) {
            drop(); // reset or closed by the client
            return;
        }
    }
    if (bytes.empty())
        return;
    if (m_unsent.size() + bytes.size() > kMaxUnsentBytes) {
        log::logger()->warn("http: dropped a client that left {} bytes unread", m_unsent.size());
        drop();
        return;
    }
    m_unsent.append(bytes);
    if (!m_writeNotifier) {
        m_writeNotifier = std::make_unique<QSocketNotifier>(m_fd, QSocketNotifier::Write);
        connect(m_writeNotifier.get(), &QSocketNotifier::activated, this,
                &HttpConnection::onWritable);
    }
}

void HttpConnection::onWritable() {
    bool gone = false;
    m_unsent.erase(0, writeWhatFits(m_fd, DescriptorKind::Socket, m_unsent, &gone));
    if (gone) {
        drop();
        return;
    }
    if (!m_unsent.empty())
        return;               // the rest when the socket can take it
    m_unsent = std::string(); // give the memory back: a stream may stay open for hours
    // Deleted later: this runs inside the notifier's own signal.
    m_writeNotifier->setEnabled(false);
    m_writeNotifier.release()->deleteLater();
    if (m_closing)
        finishClose();
}

void HttpConnection::onReadable() {
    auto& buffer = readBuffer();
    ssize_t got;
    do {
        got = ::recv(m_fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
    } while (got < 0 && errno == EINTR);
    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return;
    if (got <= 0) {
        drop(); // the client closed or reset the connection
        return;
    }
    if (m_closing)
        return; // after the last answer: discarded (the linger timer bounds how long)

    const auto status =
        m_parser.feed(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
    if (m_busy) {
        if (m_parser.bufferedBytes() > kMaxReadAheadBytes)
            m_readNotifier.setEnabled(false);
        return;
    }
    if (status == HttpRequestParser::Status::Error) {
        fail(m_parser.error().status, m_parser.error().reason);
        return;
    }
    if (status == HttpRequestParser::Status::NeedMore && m_parser.expectsContinue() &&
        !m_sentContinue) {
        m_sentContinue = true;
        write("HTTP/1.1 100 Continue\r\n\r\n");
    }
    if (status == HttpRequestParser::Status::Complete)
        process();
}

void HttpConnection::process() {
    m_busy = true;
    m_sentContinue = false;
    m_keepAlive = m_parser.request().keepAlive();
    auto exchange = std::make_shared<HttpExchange>(this);
    m_current = exchange;
    m_handler(m_parser.request(), exchange);
    // Not answered yet (held for approval, or waiting for an upstream): handlers copy what they
    // keep, so the request's text need not stay for as long as the answer takes.
    if (m_busy)
        m_parser.releaseRequest();
}

void HttpConnection::exchangeDone(bool closeAfter) {
    m_busy = false;
    if (m_fd < 0)
        return;
    if (closeAfter || !m_keepAlive) {
        closeAfterWrites();
        return;
    }
    m_parser.next();
    m_readNotifier.setEnabled(true);
    // A pipelined request already read: continue from the event loop, not from inside the
    // handler that just answered, so many of them do not become deep recursion.
    if (m_parser.bufferedBytes() > 0)
        QTimer::singleShot(0, this, &HttpConnection::parseBuffered);
}

void HttpConnection::parseBuffered() {
    if (m_busy || !connected())
        return;
    const auto status = m_parser.parseBuffered();
    if (status == HttpRequestParser::Status::Error)
        fail(m_parser.error().status, m_parser.error().reason);
    else if (status == HttpRequestParser::Status::Complete)
        process();
    else if (m_parser.expectsContinue() && !m_sentContinue) {
        m_sentContinue = true;
        write("HTTP/1.1 100 Continue\r\n\r\n");
    }
}

void HttpConnection::fail(int status, const std::string& reason) {
    // After a framing error the rest of the stream cannot be trusted: answer and close.
    const std::string body = nlohmann::json{{"error", reason}}.dump();
    std::string out = formatResponseHead(
        status, {{"Content-Type", "application/json"}, {"Connection", "close"}}, body.size());
    out += body;
    write(out);
    closeAfterWrites();
}

void HttpConnection::closeAfterWrites() {
    if (m_closing || m_fd < 0)
        return;
    m_closing = true;
    if (m_unsent.empty())
        finishClose();
}

void HttpConnection::finishClose() {
    // Our side is finished; the client sees the end of the stream once it has read everything.
    ::shutdown(m_fd, SHUT_WR);
    m_readNotifier.setEnabled(true);
    QTimer::singleShot(kLingerMs, this, &HttpConnection::drop);
}

void HttpConnection::drop() {
    if (m_fd < 0)
        return;
    // Both notifiers stop watching before the descriptor is closed and its number reused.
    m_readNotifier.setEnabled(false);
    if (m_writeNotifier) {
        m_writeNotifier->setEnabled(false);
        m_writeNotifier.release()->deleteLater();
    }
    ::close(m_fd);
    m_fd = -1;
    deleteLater();
}

} // namespace portcullis::transport
