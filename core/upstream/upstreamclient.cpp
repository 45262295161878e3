#include "upstream/upstreamclient.h"

#include "mcp/jsonrpc.h"
#include "util/jsonspans.h"
#include "util/log.h"

#include <QDateTime>
#include <QMetaMethod>

#include <algorithm>
#include <utility>

namespace portcullis {

using nlohmann::json;

namespace {

constexpr const char* kPreferredVersion = "2025-11-25";
constexpr int kDeadlineCheckMs = 250;

bool supportedVersion(const std::string& v) {
    return v == "2025-11-25" || v == "2025-06-18" || v == "2025-03-26";
}

// The text of each tool as the server wrote it: kept so agents see the definitions unchanged
// (key order in an inputSchema is the order a model reads the arguments in). Falls back to the
// parsed form when the text is not at hand (a batch, a message made up by the transport).
void appendToolTexts(const json& tools, std::string_view raw, std::vector<std::string>& out) {
    const auto spans =
        raw.empty() ? std::nullopt : jsonspans::arrayElements(raw, {"result", "tools"});
    if (spans && spans->size() == tools.size()) {
        for (std::string_view span : *spans)
            out.push_back(jsonspans::minify(span));
        return;
    }
    for (const json& tool : tools)
        out.push_back(mcp::serialize(tool));
}

json internalError(std::int64_t id, const QString& message) {
    return mcp::makeError(id, mcp::ErrorCode::InternalError, message.toStdString());
}

} // namespace

UpstreamClient::UpstreamClient(Options options, TransportFactory factory, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_factory(std::move(factory)) {
    connect(&m_deadlineTimer, &QTimer::timeout, this, &UpstreamClient::checkDeadlines);
    m_restartTimer.setSingleShot(true);
    connect(&m_restartTimer, &QTimer::timeout, this, &UpstreamClient::start);
}

UpstreamClient::~UpstreamClient() {
    // Handlers may point at sessions that are being torn down too; nobody waits any more.
    m_pending.clear();
    if (m_transport)
        m_transport->disconnect(this);
}

QString UpstreamClient::describe() const {
    return m_transport ? m_transport->describe() : QString();
}

std::int64_t UpstreamClient::nowMs() const {
    return QDateTime::currentMSecsSinceEpoch();
}

void UpstreamClient::setState(State s) {
    if (m_state == s)
        return;
    m_state = s;
    Q_EMIT stateChanged(s);
}

void UpstreamClient::start() {
    m_restartTimer.stop();
    m_autoRestart = m_options.restart;
    if (m_transport) {
        m_transport->disconnect(this);
        m_transport.reset();
    }
    m_ready = false;
    m_transport = m_factory();
    connect(m_transport.get(), &UpstreamTransport::opened, this, &UpstreamClient::onOpened);
    connect(m_transport.get(), &UpstreamTransport::messageReceived, this,
            &UpstreamClient::onMessage);
    m_transport->setSummaryIsEnough([this](std::int64_t id) {
        const auto it = m_pending.find(id);
        return it != m_pending.end() && it->second.summaryIsEnough;
    });
    connect(m_transport.get(), &UpstreamTransport::closed, this, &UpstreamClient::onClosed);
    setState(State::Starting);
    m_transport->start();
}

void UpstreamClient::stop() {
    m_restartTimer.stop();
    m_autoRestart = false;
    failAll(QStringLiteral("upstream %1 is shutting down").arg(m_options.name));
    m_ready = false;
    if (m_transport && m_transport->isOpen())
        m_transport->stop();
    setState(State::Stopped);
}

void UpstreamClient::onOpened() {
    json params = {{"protocolVersion", kPreferredVersion},
                   {"capabilities", m_options.clientCapabilities},
                   {"clientInfo", m_options.clientInfo}};
    const std::int64_t id = m_nextId++;
    m_pending[id] = Pending{
        [this](const json& response) {
            if (response.contains("error")) {
                m_lastError =
                    QStringLiteral("initialize failed: %1")
                        .arg(QString::fromStdString(response["error"].value("message", "")));
                log::logger()->error("upstream {}: {}", m_options.name.toStdString(),
                                     m_lastError.toStdString());
                m_transport->stop();
                return;
            }
            const json& result = response["result"];
            m_protocolVersion = result.value("protocolVersion", "");
            if (!supportedVersion(m_protocolVersion)) {
                m_lastError = QStringLiteral("unsupported protocol version %1")
                                  .arg(QString::fromStdString(m_protocolVersion));
                log::logger()->error("upstream {}: {}", m_options.name.toStdString(),
                                     m_lastError.toStdString());
                m_transport->stop();
                return;
            }
            m_serverInfo = result.value("serverInfo", json::object());
            m_serverCapabilities = result.value("capabilities", json::object());
            m_transport->send(mcp::makeNotification("notifications/initialized"));
            m_restartDelayMs = 0;
            fetchTools(nullptr, std::make_shared<ToolPages>());
        },
        nowMs() + m_options.initializeTimeoutMs, nullptr};
    armDeadlineTimer();
    m_transport->send(mcp::makeRequest(id, "initialize", std::move(params)));
}

void UpstreamClient::fetchTools(const json& cursor, std::shared_ptr<ToolPages> acc) {
    const std::uint64_t generation = cursor.is_null() ? ++m_toolsGeneration : m_toolsGeneration;
    json params = json::object();
    if (!cursor.is_null())
        params["cursor"] = cursor;
    // Send directly: request() refuses until the upstream is ready, and this is what makes it so.
    const std::int64_t id = m_nextId++;
    m_pending[id] = Pending{
        [this, acc, generation](const json& response) {
            if (generation != m_toolsGeneration)
                return; // a list_changed started a newer fetch
            if (response.contains("error")) {
                log::logger()->warn("upstream {}: tools/list failed: {}",
                                    m_options.name.toStdString(), response["error"].dump());
            } else {
                const json& result = response["result"];
                if (auto t = result.find("tools"); t != result.end() && t->is_array()) {
                    acc->tools.insert(acc->tools.end(), t->begin(), t->end());
                    appendToolTexts(*t, m_rawInFlight.text, acc->text);
                }
                if (auto next = result.find("nextCursor");
                    next != result.end() && next->is_string() && acc->tools.size() < 100'000) {
                    fetchTools(*next, acc);
                    return;
                }
            }
            m_tools = std::move(acc->tools);
            m_toolsText = std::move(acc->text);
            const bool first = !m_ready;
            m_ready = true;
            // Tools first: whoever waits for "up" (calls held back while upstreams
            // start) must find them listed.
            Q_EMIT toolsChanged();
            if (first) {
                setState(State::Up);
                sendQueued();
            }
        },
        nowMs() + m_options.requestTimeoutMs, nullptr};
    armDeadlineTimer();
    m_transport->send(mcp::makeRequest(id, "tools/list", std::move(params)));
}

std::int64_t UpstreamClient::request(const std::string& method, json params,
                                     ResponseHandler handler, int timeoutMs, bool summaryIsEnough) {
    const int timeout = timeoutMs > 0 ? timeoutMs : m_options.requestTimeoutMs;
    if (!m_ready && m_state == State::Starting && m_transport) {
        // A first use of a server that is still starting (a per-session upstream is created
        // by the call that needs it): the request waits instead of failing.
        const std::int64_t id = m_nextId++;
        m_pending[id] = Pending{std::move(handler), nowMs() + timeout,
                                mcp::makeRequest(id, method, params), summaryIsEnough};
        armDeadlineTimer();
        return id;
    }
    if (!m_ready || !m_transport || !m_transport->isOpen()) {
        const QString why =
            m_lastError.isEmpty()
                ? QStringLiteral("upstream %1 is not running").arg(m_options.name)
                : QStringLiteral("upstream %1 is down: %2").arg(m_options.name, m_lastError);
        // Not an answer from the server: whatever message is being handled is not this one's.
        const ReceivedText raw = std::exchange(m_rawInFlight, {});
        handler(internalError(-1, why));
        m_rawInFlight = raw;
        return -1;
    }
    const std::int64_t id = m_nextId++;
    m_pending[id] = Pending{std::move(handler), nowMs() + timeout, nullptr, summaryIsEnough};
    armDeadlineTimer();
    m_transport->send(mcp::makeRequest(id, method, std::move(params)));
    return id;
}

void UpstreamClient::cancel(std::int64_t upstreamId, const std::string& reason) {
    auto it = m_pending.find(upstreamId);
    if (it == m_pending.end())
        return;
    const bool sent = it->second.unsent.is_null();
    m_pending.erase(it);
    if (sent)
        notify("notifications/cancelled", json{{"requestId", upstreamId}, {"reason", reason}});
}

void UpstreamClient::notify(const std::string& method, json params) {
    if (m_transport && m_transport->isOpen())
        m_transport->send(mcp::makeNotification(method, std::move(params)));
}

void UpstreamClient::respond(const json& serverRequestId, const json& resultOrError) {
    if (!m_transport || !m_transport->isOpen())
        return;
    json out = resultOrError;
    out["jsonrpc"] = "2.0";
    out["id"] = serverRequestId;
    m_transport->send(out);
}

void UpstreamClient::onMessage(const json& message, ReceivedText raw) {
    const bool hasMethod = message.contains("method");
    const bool hasId = message.contains("id");
    if (!hasMethod && hasId) {
        // A response: only integer ids are ours.
        const json& id = message["id"];
        if (!id.is_number_integer())
            return;
        auto it = m_pending.find(id.get<std::int64_t>());
        if (it == m_pending.end())
            return; // late, cancelled or unknown: ignored as the spec says
        ResponseHandler handler = std::move(it->second.handler);
        m_pending.erase(it);
        m_rawInFlight = raw;
        handler(message);
        m_rawInFlight = {};
        return;
    }
    const std::string method = hasMethod && message["method"].is_string()
                                   ? message["method"].get<std::string>()
                                   : std::string();
    if (hasId) {
        if (method == "ping") {
            respond(message["id"], json{{"result", json::object()}});
            return;
        }
        if (isSignalConnected(QMetaMethod::fromSignal(&UpstreamClient::serverRequestReceived))) {
            Q_EMIT serverRequestReceived(message);
        } else {
            respond(message["id"], json{{"error",
                                         {{"code", mcp::ErrorCode::MethodNotFound},
                                          {"message", "Method not found: " + method}}}});
        }
        return;
    }
    if (method == "notifications/tools/list_changed") {
        if (m_ready)
            fetchTools(nullptr, std::make_shared<ToolPages>());
        return;
    }
    Q_EMIT notificationReceived(message);
}

void UpstreamClient::onClosed(const QString& reason) {
    const bool wasReady = m_ready;
    m_ready = false;
    if (!reason.isEmpty())
        m_lastError = reason;
    failAll(reason.isEmpty() ? QStringLiteral("upstream %1 exited").arg(m_options.name) : reason);
    if (!m_autoRestart || m_state == State::Stopped) {
        setState(State::Stopped);
        return;
    }
    m_restartDelayMs = m_restartDelayMs == 0
                           ? m_options.restartMinMs
                           : std::min(m_restartDelayMs * 2, m_options.restartMaxMs);
    log::logger()->warn("upstream {}: restarting in {} ms{}", m_options.name.toStdString(),
                        m_restartDelayMs, wasReady ? "" : " (it never became ready)");
    setState(State::Restarting);
    m_restartTimer.start(m_restartDelayMs);
}

void UpstreamClient::sendQueued() {
    for (auto& [id, p] : m_pending) {
        if (p.unsent.is_null() || !m_transport || !m_transport->isOpen())
            continue;
        json message = std::move(p.unsent);
        p.unsent = nullptr;
        m_transport->send(message);
    }
}

void UpstreamClient::failAll(const QString& reason) {
    // Handlers may issue new requests; take the table first.
    auto pending = std::move(m_pending);
    m_pending.clear();
    m_deadlineTimer.stop();
    m_rawInFlight = {};
    for (auto& [id, p] : pending)
        p.handler(internalError(id, reason));
}

// One coarse periodic check instead of a timer per request: at thousands of calls per second
// a quarter-second of timeout slack costs nothing and a timer each would.
void UpstreamClient::armDeadlineTimer() {
    if (!m_pending.empty() && !m_deadlineTimer.isActive())
        m_deadlineTimer.start(kDeadlineCheckMs);
}

void UpstreamClient::checkDeadlines() {
    const std::int64_t now = nowMs();
    std::vector<std::int64_t> expired;
    for (const auto& [id, p] : m_pending) {
        if (p.deadlineMs <= now)
            expired.push_back(id);
    }
    for (std::int64_t id : expired) {
        auto it = m_pending.find(id);
        if (it == m_pending.end())
            continue;
        ResponseHandler handler = std::move(it->second.handler);
        const bool sent = it->second.unsent.is_null();
        m_pending.erase(it);
        if (sent)
            notify("notifications/cancelled", json{{"requestId", id}, {"reason", "timed out"}});
        handler(internalError(
            id, QStringLiteral("upstream %1 did not answer in time").arg(m_options.name)));
    }
    if (m_pending.empty())
        m_deadlineTimer.stop();
}

} // namespace portcullis
