#pragma once

#include "gateway/gatewaysession.h"
#include "transport/httpserver.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <map>
#include <memory>
#include <string>

namespace portcullis {

class CallReply;
class GatewayService;

// HTTP in front of the router: /mcp (Streamable HTTP: POST, GET, DELETE) and /admin/*.
// Every request is checked before anything else: Host and Origin must be loopback (DNS
// rebinding), and the bearer token must match (compared in constant time).
class McpEndpoint final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(McpEndpoint)

public:
    McpEndpoint(GatewayService& service, QString token, bool noAuth, QObject* parent = nullptr);
    ~McpEndpoint() override;

    void handle(const transport::HttpRequest& request,
                std::shared_ptr<transport::HttpExchange> exchange);
    // Pushes a message to every session's GET stream.
    void broadcast(const nlohmann::json& message);
    // An admin SSE subscriber gets every call event.
    void publishEvent(const nlohmann::json& event);
    // Whether anyone listens on /admin/events (building an event's JSON costs a copy of its
    // arguments, on every call).
    bool wantsEvents();
    std::size_t sessionCount() const { return m_sessions.size(); }

    // Sessions are ended when idle this long (no request, no open GET stream, no call in
    // flight); at most maxSessions live at once, the least recently seen idle one making room.
    void setSessionLimits(std::int64_t idleMs, std::size_t maxSessions);

private:
    struct HttpSession {
        GatewaySession session;
        std::shared_ptr<transport::HttpExchange> stream; // the GET stream, if open
        std::int64_t lastSeenMs = 0;
    };

    bool authorised(const transport::HttpRequest& r, transport::HttpExchange& ex);
    void handleMcp(const transport::HttpRequest& r, std::shared_ptr<transport::HttpExchange> ex);
    void handlePost(const transport::HttpRequest& r, std::shared_ptr<transport::HttpExchange> ex);
    void handleAdmin(const transport::HttpRequest& r, std::shared_ptr<transport::HttpExchange> ex);
    HttpSession* sessionFor(const transport::HttpRequest& r, transport::HttpExchange& ex);
    std::string newSessionId() const;
    bool idle(const HttpSession& s) const;
    void endSession(const std::string& id);
    void expireIdleSessions();
    bool makeRoomForSession();
    void startQuietStreams();

    GatewayService& m_service;
    QByteArray m_token;
    bool m_noAuth;
    std::map<std::string, std::unique_ptr<HttpSession>> m_sessions;
    std::vector<std::shared_ptr<transport::HttpExchange>> m_eventStreams;
    std::int64_t m_sessionIdleMs = 60 * 60 * 1000;
    std::size_t m_maxSessions = 10'000;
    QTimer m_expiry;
    // Replies to tools/call not answered yet, by the tick of m_streamStarter they arrived
    // before: each gets its stream head on the second tick after it arrived.
    std::vector<std::weak_ptr<CallReply>> m_quietCalls;
    std::vector<std::weak_ptr<CallReply>> m_quietCallsOlder;
    QTimer m_streamStarter;
};

} // namespace portcullis
