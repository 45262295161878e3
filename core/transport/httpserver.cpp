#include "transport/httpserver.h"

#include "transport/httpresponse.h"
#include "util/log.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <nlohmann/json.hpp>

#include <sys/socket.h>

namespace portcullis::transport {

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
    // One write: the socket is unbuffered, so each write is a send of its own.
    std::string out = formatResponseHead(status, headers, body.size());
    out += body;
    m_connection->write(out);
    m_connection->exchangeDone(false);
}

void HttpExchange::beginStream(int status, const HttpHeaders& headers) {
    if (m_state != State::Idle)
        return;
    m_state = State::Streaming;
    if (!alive())
        return;
    HttpHeaders all = headers;
    all.emplace_back("Transfer-Encoding", "chunked");
    m_connection->write(formatResponseHead(status, all, std::nullopt));
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
    std::string out = finalData.empty() ? std::string() : formatChunk(finalData);
    out += lastChunk();
    m_connection->write(out);
    m_connection->exchangeDone(false);
}

HttpServer::HttpServer(HttpHandler handler, HttpRequestParser::Limits limits, QObject* parent)
    : QObject(parent)
    , m_handler(std::move(handler))
    , m_limits(limits)
    , m_server(new QTcpServer(this)) {
    connect(m_server, &QTcpServer::newConnection, this, &HttpServer::onNewConnection);
}

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

void HttpServer::onNewConnection() {
    while (QTcpSocket* socket = m_server->nextPendingConnection())
        new HttpConnection(socket, m_handler, m_limits, this);
}

HttpConnection::HttpConnection(QTcpSocket* socket, const HttpHandler& handler,
                               const HttpRequestParser::Limits& limits, QObject* parent)
    : QObject(parent)
    , m_socket(socket)
    , m_handler(handler)
    , m_parser(limits) {
    m_socket->setParent(this);
    // Responses go out in pieces (head, SSE chunks, the last chunk); with Nagle's algorithm and
    // the client's delayed ACK each answer would wait about 40 ms.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    if (m_socket->bytesAvailable() > 0)
        onReadyRead();
}

HttpConnection::~HttpConnection() {
    if (auto ex = m_current.lock();
        ex && ex->m_state != HttpExchange::State::Done && ex->m_onAbandoned) {
        auto abandoned = std::move(ex->m_onAbandoned);
        abandoned();
    }
}

bool HttpConnection::connected() const {
    return m_socket->state() == QAbstractSocket::ConnectedState;
}

void HttpConnection::write(std::string_view bytes) {
    if (!connected())
        return;
    // Straight to the kernel when nothing of ours waits in Qt's buffer: a socket that has been
    // written through QIODevice keeps a 32 KB buffer for the rest of its life, which a
    // connection holding a call for approval (thousands of them at once) does not need. What
    // the kernel does not take now goes through Qt, which sends it when the socket is writable.
    if (m_socket->bytesToWrite() == 0 && !bytes.empty()) {
        const ssize_t sent = ::send(static_cast<int>(m_socket->socketDescriptor()), bytes.data(),
                                    bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent > 0)
            bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
    if (!bytes.empty())
        m_socket->write(bytes.data(), static_cast<qint64>(bytes.size()));
}

void HttpConnection::onReadyRead() {
    // While a request is being answered (an approval hold can last minutes), further bytes stay
    // in the socket, whose buffer is capped: the client is slowed down, not buffered without end.
    if (m_busy)
        return;
    const QByteArray data = m_socket->readAll();
    const auto status =
        m_parser.feed(std::string_view(data.constData(), static_cast<std::size_t>(data.size())));
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
}

void HttpConnection::exchangeDone(bool closeAfter) {
    m_busy = false;
    if (closeAfter || !m_keepAlive) {
        m_socket->disconnectFromHost();
        return;
    }
    m_parser.next();
    // Continue from the event loop, not from inside the handler that just answered: many
    // pipelined requests must not become deep recursion.
    QTimer::singleShot(0, this, [this] {
        if (m_busy || !connected())
            return;
        const auto status = m_parser.parseBuffered();
        if (status == HttpRequestParser::Status::Error)
            fail(m_parser.error().status, m_parser.error().reason);
        else if (status == HttpRequestParser::Status::Complete)
            process();
        else if (m_socket->bytesAvailable() > 0)
            onReadyRead(); // bytes that arrived while the last request was being answered
    });
}

void HttpConnection::fail(int status, const std::string& reason) {
    // After a framing error the rest of the stream cannot be trusted: answer and close.
    const std::string body = nlohmann::json{{"error", reason}}.dump();
    write(formatResponseHead(
        status, {{"Content-Type", "application/json"}, {"Connection", "close"}}, body.size()));
    write(body);
    m_socket->disconnectFromHost();
}

} // namespace portcullis::transport
