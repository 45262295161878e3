#pragma once

#include "transport/httprequestparser.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QSocketNotifier>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

class QTcpServer;

namespace portcullis::transport {

class HttpConnection;

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// The answer to one request: either a whole response, or a stream (SSE) of chunks. Safe to
// keep after the client has gone: writes then go nowhere and alive() says so.
class HttpExchange final {
public:
    explicit HttpExchange(HttpConnection* connection);

    void respond(int status, const HttpHeaders& headers, std::string_view body);
    // Starts a chunked stream; firstData, when given, goes out with the head in one send.
    void beginStream(int status, const HttpHeaders& headers, std::string_view firstData = {});
    void writeChunk(std::string_view data);
    // Ends the stream, with a last piece of data in the same write when given.
    void endStream(std::string_view finalData = {});

    bool alive() const;
    bool answered() const { return m_state != State::Idle; }
    bool streaming() const { return m_state == State::Streaming; }
    // Runs if the client goes away before the exchange is over.
    void setOnAbandoned(std::function<void()> f) { m_onAbandoned = std::move(f); }

private:
    friend class HttpConnection;
    enum class State { Idle, Streaming, Done };
    QPointer<HttpConnection> m_connection;
    State m_state = State::Idle;
    std::function<void()> m_onAbandoned;
};

using HttpHandler =
    std::function<void(const HttpRequest& request, std::shared_ptr<HttpExchange> exchange)>;

// A small HTTP/1.1 server on QTcpServer: bounded incremental parsing (431 / 413 / 400 with a
// closing connection), keep-alive, one request at a time per connection, chunked streaming.
class HttpServer final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpServer)

public:
    explicit HttpServer(HttpHandler handler, HttpRequestParser::Limits limits = {},
                        QObject* parent = nullptr);
    ~HttpServer() override;

    bool listen(const QHostAddress& address, quint16 port, QString* error);
    void close();
    quint16 port() const;
    QHostAddress address() const;
    int connectionCount() const;

private:
    friend class DescriptorServer;
    void accepted(int fd);

    HttpHandler m_handler;
    HttpRequestParser::Limits m_limits;
    QTcpServer* m_server; // a child
};

// One client connection on its socket descriptor, read and written with recv()/send() and a
// QSocketNotifier rather than QTcpSocket: a connection that holds a call for approval (there
// can be thousands at once) then costs no Qt read or write buffer, and a request costs one
// recv() and its answer one send(). Owned by the server; deletes itself when the client goes.
class HttpConnection final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpConnection)

public:
    HttpConnection(int fd, const HttpHandler& handler, const HttpRequestParser::Limits& limits,
                   QObject* parent);
    ~HttpConnection() override;

    void write(std::string_view bytes);
    // The current exchange is over; parse the next pipelined request, or close.
    void exchangeDone(bool closeAfter);
    bool connected() const { return m_fd >= 0 && !m_closing; }

private:
    void onReadable();
    void onWritable();
    void parseBuffered();
    void process();
    void fail(int status, const std::string& reason);
    void closeAfterWrites();
    void finishClose();
    void drop();

    int m_fd;
    QSocketNotifier m_readNotifier;
    std::unique_ptr<QSocketNotifier> m_writeNotifier; // only while output waits for the kernel
    std::string m_unsent;
    const HttpHandler& m_handler;
    std::weak_ptr<HttpExchange> m_current;
    HttpRequestParser m_parser;
    bool m_busy = false;
    bool m_keepAlive = true;
    bool m_sentContinue = false;
    bool m_closing = false; // answered for the last time: flushing, then lingering, then closing
};

} // namespace portcullis::transport
