#pragma once

#include "transport/httprequestparser.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTcpServer>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

class QTcpSocket;

namespace portcullis::transport {

class HttpConnection;

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// The answer to one request: either a whole response, or a stream (SSE) of chunks. Safe to
// keep after the client has gone: writes then go nowhere and alive() says so.
class HttpExchange final {
public:
    explicit HttpExchange(HttpConnection* connection);

    void respond(int status, const HttpHeaders& headers, std::string_view body);
    void beginStream(int status, const HttpHeaders& headers);
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
    void onNewConnection();

    HttpHandler m_handler;
    HttpRequestParser::Limits m_limits;
    QTcpServer* m_server; // a child
};

// One client connection. Owned by the server's QTcpServer children; deletes itself when the
// socket closes.
class HttpConnection final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpConnection)

public:
    HttpConnection(QTcpSocket* socket, const HttpHandler& handler,
                   const HttpRequestParser::Limits& limits, QObject* parent);
    ~HttpConnection() override;

    void write(std::string_view bytes);
    // The current exchange is over; parse the next pipelined request, or close.
    void exchangeDone(bool closeAfter);
    bool connected() const;

private:
    void onReadyRead();
    void process();
    void fail(int status, const std::string& reason);

    QTcpSocket* m_socket;
    const HttpHandler& m_handler;
    std::weak_ptr<HttpExchange> m_current;
    HttpRequestParser m_parser;
    bool m_busy = false;
    bool m_keepAlive = true;
    bool m_sentContinue = false;
};

} // namespace portcullis::transport
