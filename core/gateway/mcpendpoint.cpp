#include "gateway/mcpendpoint.h"

#include "gateway/gatewayservice.h"
#include "mcp/jsonrpc.h"
#include "policy/policyio.h"
#include "util/log.h"

#include <QDateTime>
#include <QHostAddress>
#include <QRandomGenerator>
#include <QUrl>

namespace portcullis {

using nlohmann::json;
using transport::HttpExchange;
using transport::HttpHeaders;
using transport::HttpRequest;

namespace {

constexpr const char* kSessionHeader = "Mcp-Session-Id";

bool supportedVersion(std::string_view v) {
    return v == "2025-11-25" || v == "2025-06-18" || v == "2025-03-26";
}

// Host is "127.0.0.1:PORT", "localhost:PORT" or "[::1]:PORT"; anything else may be a DNS
// rebinding attack from a web page.
bool isLoopbackHost(std::string_view host) {
    std::string_view h = host;
    if (!h.empty() && h.front() == '[') {
        const auto close = h.find(']');
        h = close == std::string_view::npos ? std::string_view() : h.substr(1, close - 1);
    } else if (const auto colon = h.rfind(':'); colon != std::string_view::npos) {
        h = h.substr(0, colon);
    }
    // What clients send nearly always, checked before QHostAddress parses the rest.
    if (h == "localhost" || h == "127.0.0.1" || h == "::1")
        return true;
    const QHostAddress address(QString::fromUtf8(h.data(), static_cast<qsizetype>(h.size())));
    return !address.isNull() && address.isLoopback();
}

bool isLoopbackOrigin(std::string_view origin) {
    const QUrl url(QString::fromUtf8(origin.data(), static_cast<qsizetype>(origin.size())));
    if (!url.isValid() ||
        (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
        return false;
    const QString host = url.host();
    if (host == QLatin1String("localhost"))
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

// Constant time in the length of what was presented, so the comparison leaks nothing.
bool tokensEqual(const QByteArray& expected, std::string_view presented) {
    unsigned char diff = expected.size() == static_cast<qsizetype>(presented.size()) ? 0 : 1;
    for (std::size_t i = 0; i < presented.size(); ++i) {
        const auto e = static_cast<unsigned char>(
            expected.isEmpty()
                ? 0
                : expected[static_cast<qsizetype>(i % static_cast<std::size_t>(expected.size()))]);
        diff |= static_cast<unsigned char>(e ^ static_cast<unsigned char>(presented[i]));
    }
    return diff == 0 && !expected.isEmpty();
}

void respondJson(HttpExchange& ex, int status, const json& body, HttpHeaders headers = {}) {
    headers.emplace_back("Content-Type", "application/json");
    headers.emplace_back("Cache-Control", "no-store");
    ex.respond(status, headers, mcp::serialize(body));
}

void respondRpcError(HttpExchange& ex, int status, int code, const std::string& message,
                     const json& id = nullptr) {
    respondJson(ex, status, mcp::makeError(id, code, message));
}

// A tools/call answered within one to two ticks of this goes out as plain JSON; one waiting
// longer gets its SSE stream head then.
constexpr int kQuietCallTickMs = 1000;

std::string sseEvent(const std::string& line) {
    return "event: message\ndata: " + line + "\n\n";
}

std::string sseEvent(const json& message) {
    return sseEvent(mcp::serialize(message));
}

// Replies to a request that needs a single answer: one JSON body.
class JsonReply final : public ReplySink {
public:
    JsonReply(std::shared_ptr<HttpExchange> ex, HttpHeaders headers)
        : m_ex(std::move(ex))
        , m_headers(std::move(headers)) {}
    void related(const json&) override {}
    void finish(const json& response) override { respondJson(*m_ex, 200, response, m_headers); }
    void finishText(const std::string& response) override {
        HttpHeaders headers = m_headers;
        headers.emplace_back("Content-Type", "application/json");
        headers.emplace_back("Cache-Control", "no-store");
        m_ex->respond(200, headers, response);
    }
    bool alive() const override { return m_ex->alive(); }

private:
    std::shared_ptr<HttpExchange> m_ex;
    HttpHeaders m_headers;
};

} // namespace

// Replies to a tools/call. The answer goes out as one JSON body when it is all there is to
// send (the usual case: one send(), and the cheapest reply for a client to read); the first
// progress notification or server request turns the reply into an SSE stream. A call held for
// a person gets its stream head at once (waiting()), a slow tool's after a second or two
// (startStream()), so a client's timeout for response headers does not run out meanwhile.
class CallReply final : public ReplySink {
public:
    CallReply(std::shared_ptr<HttpExchange> ex, HttpHeaders headers)
        : m_ex(std::move(ex))
        , m_headers(std::move(headers)) {}
    void related(const json& message) override {
        if (m_ex->streaming())
            m_ex->writeChunk(sseEvent(message));
        else
            begin(sseEvent(message));
    }
    void finish(const json& response) override { finishText(mcp::serialize(response)); }
    void finishText(const std::string& response) override {
        if (m_ex->streaming()) {
            m_ex->endStream(sseEvent(response));
            return;
        }
        HttpHeaders headers = std::move(m_headers);
        headers.emplace_back("Content-Type", "application/json");
        headers.emplace_back("Cache-Control", "no-store");
        m_ex->respond(200, headers, response);
    }
    bool alive() const override { return m_ex->alive(); }
    void waiting() override { startStream(); }
    void startStream() {
        if (!m_ex->answered())
            begin({});
    }

private:
    void begin(std::string_view first) {
        HttpHeaders headers = std::move(m_headers);
        m_headers = HttpHeaders();
        headers.emplace_back("Content-Type", "text/event-stream");
        headers.emplace_back("Cache-Control", "no-store");
        m_ex->beginStream(200, headers, first);
    }

    std::shared_ptr<HttpExchange> m_ex;
    HttpHeaders m_headers; // until the head is sent
};

McpEndpoint::McpEndpoint(GatewayService& service, QString token, bool noAuth, QObject* parent)
    : QObject(parent)
    , m_service(service)
    , m_token(token.toUtf8())
    , m_noAuth(noAuth) {
    m_streamStarter.setInterval(kQuietCallTickMs);
    connect(&m_streamStarter, &QTimer::timeout, this, &McpEndpoint::startQuietStreams);
}

McpEndpoint::~McpEndpoint() = default;

void McpEndpoint::startQuietStreams() {
    for (const auto& weak : m_quietCallsOlder) {
        if (auto reply = weak.lock())
            reply->startStream();
    }
    m_quietCallsOlder = std::move(m_quietCalls);
    m_quietCalls = {};
    if (m_quietCallsOlder.empty())
        m_streamStarter.stop();
}

void McpEndpoint::setSessionLimits(std::int64_t idleMs, std::size_t maxSessions) {
    m_sessionIdleMs = std::max<std::int64_t>(idleMs, 1);
    m_maxSessions = std::max<std::size_t>(maxSessions, 1);
    if (!m_expiry.isActive())
        connect(&m_expiry, &QTimer::timeout, this, &McpEndpoint::expireIdleSessions);
    // Checked a few times per idle period: an expiry is late by at most a quarter of it.
    m_expiry.start(static_cast<int>(std::clamp<std::int64_t>(m_sessionIdleMs / 4, 50, 60'000)));
}

bool McpEndpoint::idle(const HttpSession& s) const {
    return !(s.stream && s.stream->alive()) && !m_service.router().sessionBusy(s.session.id);
}

void McpEndpoint::endSession(const std::string& id) {
    auto it = m_sessions.find(id);
    if (it == m_sessions.end())
        return;
    if (it->second->stream)
        it->second->stream->endStream();
    m_service.router().sessionClosed(id);
    m_sessions.erase(id);
}

// A client that goes away without DELETE (most do, when they crash or are killed) would
// otherwise leave its session, and a per-session upstream with it, for as long as we run.
void McpEndpoint::expireIdleSessions() {
    const std::int64_t cutoff = QDateTime::currentMSecsSinceEpoch() - m_sessionIdleMs;
    std::vector<std::string> expired;
    for (const auto& [id, s] : m_sessions) {
        if (s->lastSeenMs < cutoff && idle(*s))
            expired.push_back(id);
    }
    for (const std::string& id : expired) {
        log::logger()->info("session {} ended after {} s without use", id.substr(0, 8),
                            m_sessionIdleMs / 1000);
        endSession(id);
    }
}

bool McpEndpoint::makeRoomForSession() {
    if (m_sessions.size() < m_maxSessions)
        return true;
    const HttpSession* oldest = nullptr;
    for (const auto& [id, s] : m_sessions) {
        if (idle(*s) && (!oldest || s->lastSeenMs < oldest->lastSeenMs))
            oldest = s.get();
    }
    if (!oldest)
        return false;
    log::logger()->info("session {} ended to make room for a new one ({} sessions)",
                        oldest->session.id.substr(0, 8), m_sessions.size());
    endSession(oldest->session.id);
    return true;
}

std::string McpEndpoint::newSessionId() const {
    // 128 bits from the system CSPRNG, hex: visible ASCII as the transport requires.
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    return QByteArray(reinterpret_cast<const char*>(words), sizeof words).toHex().toStdString();
}

bool McpEndpoint::authorised(const HttpRequest& r, HttpExchange& ex) {
    const auto host = r.header("host");
    if (!host || !isLoopbackHost(*host)) {
        respondJson(ex, 403, json{{"error", "Host must be a loopback address"}});
        return false;
    }
    if (const auto origin = r.header("origin"); origin && !isLoopbackOrigin(*origin)) {
        respondJson(ex, 403, json{{"error", "Origin is not allowed"}});
        return false;
    }
    if (m_noAuth)
        return true;
    const auto auth = r.header("authorization");
    constexpr std::string_view bearer = "Bearer ";
    if (!auth || auth->size() <= bearer.size() || auth->substr(0, bearer.size()) != bearer ||
        !tokensEqual(m_token, auth->substr(bearer.size()))) {
        respondJson(ex, 401, json{{"error", "a valid bearer token is required"}},
                    {{"WWW-Authenticate", "Bearer"}});
        return false;
    }
    return true;
}

void McpEndpoint::handle(const HttpRequest& r, std::shared_ptr<HttpExchange> ex) {
    if (!authorised(r, *ex))
        return;
    if (r.path == "/mcp") {
        handleMcp(r, std::move(ex));
    } else if (r.path.rfind("/admin/", 0) == 0) {
        handleAdmin(r, std::move(ex));
    } else {
        respondJson(*ex, 404, json{{"error", "not found; the MCP endpoint is /mcp"}});
    }
}

McpEndpoint::HttpSession* McpEndpoint::sessionFor(const HttpRequest& r, HttpExchange& ex) {
    const auto id = r.header("mcp-session-id");
    if (!id) {
        respondRpcError(ex, 400, mcp::ErrorCode::InvalidRequest,
                        "Bad Request: Mcp-Session-Id header is required");
        return nullptr;
    }
    auto it = m_sessions.find(std::string(*id));
    if (it == m_sessions.end()) {
        respondRpcError(ex, 404, -32001, "Session not found");
        return nullptr;
    }
    if (const auto v = r.header("mcp-protocol-version"); v && !supportedVersion(*v)) {
        respondRpcError(ex, 400, mcp::ErrorCode::InvalidRequest,
                        "Bad Request: unsupported MCP-Protocol-Version " + std::string(*v));
        return nullptr;
    }
    it->second->lastSeenMs = QDateTime::currentMSecsSinceEpoch();
    return it->second.get();
}

void McpEndpoint::handleMcp(const HttpRequest& r, std::shared_ptr<HttpExchange> ex) {
    if (r.method == "POST") {
        handlePost(r, std::move(ex));
    } else if (r.method == "GET") {
        if (!r.hasHeaderToken("accept", "text/event-stream")) {
            respondJson(*ex, 406,
                        json{{"error", "Not Acceptable: GET needs Accept: text/event-stream"}});
            return;
        }
        HttpSession* s = sessionFor(r, *ex);
        if (!s)
            return;
        if (s->stream && s->stream->alive()) {
            respondJson(*ex, 409, json{{"error", "this session already has a GET stream"}});
            return;
        }
        ex->beginStream(200,
                        {{"Content-Type", "text/event-stream"}, {"Cache-Control", "no-store"}});
        // A comment first, so the client sees the stream is open.
        ex->writeChunk(": portcullis stream open\n\n");
        s->stream = ex;
    } else if (r.method == "DELETE") {
        HttpSession* s = sessionFor(r, *ex);
        if (!s)
            return;
        endSession(s->session.id);
        ex->respond(200, {}, {});
    } else {
        respondJson(*ex, 405, json{{"error", "Method Not Allowed"}},
                    {{"Allow", "GET, POST, DELETE"}});
    }
}

void McpEndpoint::handlePost(const HttpRequest& r, std::shared_ptr<HttpExchange> ex) {
    if (!r.hasHeaderToken("accept", "application/json") ||
        !r.hasHeaderToken("accept", "text/event-stream")) {
        respondRpcError(*ex, 406, mcp::ErrorCode::InvalidRequest,
                        "Not Acceptable: Accept must list application/json and text/event-stream");
        return;
    }
    const auto type = r.header("content-type");
    if (!type || type->substr(0, 16) != "application/json") {
        respondRpcError(*ex, 415, mcp::ErrorCode::InvalidRequest,
                        "Unsupported Media Type: Content-Type must be application/json");
        return;
    }
    const auto outcome = mcp::parseMessage(r.body);
    if (const auto* error = std::get_if<mcp::MessageError>(&outcome)) {
        respondJson(*ex, 400, mcp::makeError(*error));
        return;
    }
    const mcp::Message& message = std::get<mcp::Message>(outcome);

    if (message.kind == mcp::MessageKind::Request && message.method() == "initialize") {
        if (!makeRoomForSession()) {
            respondRpcError(*ex, 503, mcp::ErrorCode::InternalError,
                            "Service Unavailable: too many sessions are in use", message.id());
            return;
        }
        auto session = std::make_unique<HttpSession>();
        session->session.id = newSessionId();
        session->session.grant = m_noAuth ? "no-auth" : "token";
        session->lastSeenMs = QDateTime::currentMSecsSinceEpoch();
        HttpSession* raw = session.get();
        raw->session.push = [raw](const json& m) {
            if (raw->stream && raw->stream->alive())
                raw->stream->writeChunk(sseEvent(m));
        };
        const std::string id = raw->session.id;
        m_sessions.emplace(id, std::move(session));
        auto sink = std::make_shared<JsonReply>(ex, HttpHeaders{{kSessionHeader, id}});
        m_service.router().handle(raw->session, message.body, sink);
        return;
    }

    HttpSession* s = sessionFor(r, *ex);
    if (!s)
        return;
    if (message.kind != mcp::MessageKind::Request) {
        m_service.router().handle(s->session, message.body, nullptr);
        ex->respond(202, {}, {});
        return;
    }
    const HttpHeaders headers{{kSessionHeader, s->session.id}};
    std::shared_ptr<ReplySink> sink;
    if (message.method() == "tools/call") {
        auto reply = std::make_shared<CallReply>(ex, headers);
        m_quietCalls.push_back(reply);
        if (!m_streamStarter.isActive())
            m_streamStarter.start();
        sink = std::move(reply);
        const std::string sessionId = s->session.id;
        const json requestId = message.id();
        ex->setOnAbandoned([this, sessionId, requestId] {
            m_service.router().requestAbandoned(sessionId, requestId);
        });
    } else {
        sink = std::make_shared<JsonReply>(ex, headers);
    }
    m_service.router().handle(s->session, message.body, sink);
}

void McpEndpoint::broadcast(const json& message) {
    for (auto& [id, s] : m_sessions)
        s->session.push(message);
}

bool McpEndpoint::wantsEvents() {
    std::erase_if(m_eventStreams, [](const auto& ex) { return !ex->alive(); });
    return !m_eventStreams.empty();
}

void McpEndpoint::publishEvent(const json& event) {
    const std::string chunk = "event: call\ndata: " + mcp::serialize(event) + "\n\n";
    std::erase_if(m_eventStreams, [](const auto& ex) { return !ex->alive(); });
    for (auto& ex : m_eventStreams)
        ex->writeChunk(chunk);
}

void McpEndpoint::handleAdmin(const HttpRequest& r, std::shared_ptr<HttpExchange> ex) {
    const std::string& path = r.path;
    if (path == "/admin/pending" && r.method == "GET") {
        // Written item by item: with thousands held, a document of all of them would cost
        // more than the held calls themselves.
        std::string out = "[";
        m_service.approvals().forEachPending([&out](const ApprovalQueue::Held& h) {
            auto item = toJson(h.event);
            item["approval_id"] = h.id;
            item["deadline_ms"] = h.deadlineMs;
            item["held_ms"] = h.heldAtMs;
            if (out.size() > 1)
                out += ',';
            out += item.dump(-1, ' ', false, json::error_handler_t::replace);
        });
        out += ']';
        ex->respond(200, {{"Content-Type", "application/json"}, {"Cache-Control", "no-store"}},
                    out);
        return;
    }
    constexpr std::string_view pendingPrefix = "/admin/pending/";
    if (path.rfind(pendingPrefix, 0) == 0 && r.method == "POST") {
        const std::string idText = path.substr(pendingPrefix.size());
        bool ok = false;
        const qulonglong id = QString::fromStdString(idText).toULongLong(&ok);
        const json body = json::parse(r.body, nullptr, false);
        if (!ok || body.is_discarded() || !body.is_object() || !body.contains("decision") ||
            (body["decision"] != "approve" && body["decision"] != "reject")) {
            respondJson(*ex, 400,
                        json{{"error", "expected {\"decision\":\"approve\"|\"reject\", "
                                       "\"reason\"?, \"arguments\"?}"}});
            return;
        }
        ApprovalQueue::Outcome o;
        o.verdict = body["decision"] == "approve" ? ApprovalQueue::Verdict::Approve
                                                  : ApprovalQueue::Verdict::Reject;
        o.approver = "admin-api";
        if (body.contains("reason") && body["reason"].is_string())
            o.reason = body["reason"].get<std::string>();
        if (body.contains("arguments")) {
            if (!body["arguments"].is_object()) {
                respondJson(*ex, 400, json{{"error", "\"arguments\" must be an object"}});
                return;
            }
            o.arguments = body["arguments"];
        }
        if (!m_service.decide(id, std::move(o))) {
            respondJson(*ex, 404,
                        json{{"error", "no such pending call (decided, timed out or "
                                       "cancelled)"}});
            return;
        }
        respondJson(*ex, 200, json{{"ok", true}});
        return;
    }
    if (path == "/admin/events" && r.method == "GET") {
        ex->beginStream(200,
                        {{"Content-Type", "text/event-stream"}, {"Cache-Control", "no-store"}});
        ex->writeChunk(": portcullis call events\n\n");
        m_eventStreams.push_back(std::move(ex));
        return;
    }
    if (path == "/admin/tools" && r.method == "GET") {
        json out = json::array();
        for (const ToolRoute& route : m_service.router().catalog().routes()) {
            out.push_back(json{
                {"server", route.server},
                {"name", route.tool},
                {"exposed_name", route.exposed},
                {"hidden", PolicyEngine::isHidden(*m_service.policy(), route.server, route.tool)}});
        }
        respondJson(*ex, 200, out);
        return;
    }
    if (path == "/admin/policy" && r.method == "PUT") {
        const PolicyLoadResult loaded = PolicyIo::parse(r.body);
        if (!loaded.ok()) {
            json problems = json::array();
            for (const auto& p : loaded.problems)
                problems.push_back(p.format("policy"));
            respondJson(*ex, 422,
                        json{{"error", "invalid policy; the policy in force is unchanged"},
                             {"problems", problems}});
            return;
        }
        m_service.setPolicy(std::make_shared<const Policy>(*loaded.policy));
        respondJson(*ex, 200, json{{"ok", true}});
        return;
    }
    respondJson(*ex, 404, json{{"error", "unknown admin endpoint"}});
}

} // namespace portcullis
