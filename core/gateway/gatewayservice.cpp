#include "gateway/gatewayservice.h"

#include "gateway/mcpendpoint.h"
#include "mcp/jsonrpc.h"
#include "transport/httpserver.h"
#include "upstream/httptransport.h"
#include "upstream/stdiotransport.h"
#include "util/log.h"

#include <QProcessEnvironment>

namespace portcullis {

using nlohmann::json;

namespace {
constexpr std::size_t kBatchMax = 256;
constexpr int kBatchIntervalMs = 50;
// A fresh transport for each (re)start of the server's MCP session.
UpstreamClient::TransportFactory transportFactory(const ServerConfig& s) {
    if (s.transport != ServerConfig::Transport::Stdio) {
        HttpTransport::Options h;
        h.name = QString::fromStdString(s.key);
        h.url = QUrl(s.url);
        h.headers = s.headers;
        h.legacySse = s.transport == ServerConfig::Transport::LegacySse;
        return [h] { return std::make_unique<HttpTransport>(h); };
    }
    StdioTransport::Options t;
    t.name = QString::fromStdString(s.key);
    t.program = s.command;
    t.arguments = s.args;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const auto& [k, v] : s.env)
        env.insert(k, v);
    t.environment = env;
    t.workingDirectory = s.cwd;
    return [t] { return std::make_unique<StdioTransport>(t); };
}

} // namespace

GatewayService::GatewayService(Options options, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_counters(std::make_shared<MemoryCounterStore>())
    , m_limiter(m_counters)
    , m_engine(m_limiter) {
    m_router = std::make_unique<Router>(m_engine, m_approvals);
    connect(m_router.get(), &Router::callEvent, this, &GatewayService::onCallEvent);
    m_router->setKeepResponses(m_options.keepResponses);
    m_batchTimer.setSingleShot(true);
    connect(&m_batchTimer, &QTimer::timeout, this, &GatewayService::flushEvents);
}

GatewayService::~GatewayService() {
    stop();
}

QUrl GatewayService::endpoint() const {
    if (!m_http)
        return {};
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(m_http->address().toString());
    url.setPort(m_http->port());
    url.setPath(QStringLiteral("/mcp"));
    return url;
}

bool GatewayService::start(PolicySnapshot policy, QString* error) {
    if (!m_options.noAuth && m_options.token.isEmpty() && m_options.listen) {
        *error = QStringLiteral("a token is required (or --no-auth for loopback testing)");
        return false;
    }
    if (m_options.listen && !m_options.listenAddress.isLoopback() && !m_options.allowRemote) {
        *error = QStringLiteral("refusing to listen on %1: not a loopback address")
                     .arg(m_options.listenAddress.toString());
        return false;
    }
    if (!m_options.auditPath.isEmpty()) {
        QString auditError;
        m_audit = AuditLog::open(m_options.auditPath, m_options.auditArguments, &auditError);
        if (!m_audit) {
            *error = auditError;
            return false;
        }
    }
    setPolicy(std::move(policy));

    std::vector<Router::Upstream> routes;
    for (const ServerConfig& s : m_options.servers.servers) {
        if (s.disabled)
            continue;
        UpstreamClient::Options o;
        o.name = QString::fromStdString(s.key);
        o.requestTimeoutMs = s.timeoutS * 1000;
        // What the router relays from upstream servers to the agent that made the call.
        o.clientCapabilities = json{{"roots", json{{"listChanged", true}}},
                                    {"sampling", json::object()},
                                    {"elicitation", json::object()}};
        auto client = std::make_unique<UpstreamClient>(o, transportFactory(s));
        connect(client.get(), &UpstreamClient::stateChanged, this,
                [this, key = o.name] { Q_EMIT upstreamStateChanged(key); });
        Router::Upstream route;
        route.key = s.key;
        route.prefix = s.prefix.value_or(s.key);
        route.client = client.get();
        route.timeoutMs = s.timeoutS * 1000;
        if (s.isolation == ServerConfig::Isolation::PerSession) {
            route.perSession = true;
            // A session's own instance lives as long as the session: no restart after a
            // crash, since the server's state for that session is gone with it.
            UpstreamClient::Options own = o;
            own.restart = false;
            route.spawn = [own, factory = transportFactory(s)] {
                return std::make_unique<UpstreamClient>(own, factory);
            };
        }
        routes.push_back(std::move(route));
        m_upstreams.push_back(std::move(client));
    }
    m_router->setUpstreams(routes);
    connect(m_router.get(), &Router::toolsListChanged, this, [this] {
        if (m_endpoint)
            m_endpoint->broadcast(mcp::makeNotification("notifications/tools/list_changed"));
        Q_EMIT toolsChanged();
    });

    if (m_options.listen) {
        m_endpoint = std::make_unique<McpEndpoint>(*this, m_options.token, m_options.noAuth);
        m_endpoint->setSessionLimits(std::int64_t{m_options.sessionIdleS} * 1000,
                                     m_options.maxSessions);
        connect(m_router.get(), &Router::broadcast, m_endpoint.get(), &McpEndpoint::broadcast);
        m_http = std::make_unique<transport::HttpServer>(
            [this](const transport::HttpRequest& r, std::shared_ptr<transport::HttpExchange> ex) {
                m_endpoint->handle(r, std::move(ex));
            });
        if (!m_http->listen(m_options.listenAddress, m_options.port, error))
            return false;
        if (m_options.noAuth)
            log::logger()->warn("AUTHENTICATION IS OFF (--no-auth): any local process can use "
                                "this gateway");
    }
    for (auto& u : m_upstreams)
        u->start();
    return true;
}

void GatewayService::stop() {
    if (m_stopped)
        return;
    m_stopped = true;
    m_approvals.rejectAll("the gateway is shutting down");
    if (m_http)
        m_http->close();
    m_router->stopSessionUpstreams();
    for (auto& u : m_upstreams)
        u->stop();
    flushEvents();
    if (m_audit)
        m_audit->flush();
}

void GatewayService::setPolicy(PolicySnapshot policy) {
    if (m_options.approvalTimeoutOverrideS > 0) {
        auto copy = std::make_shared<Policy>(*policy);
        auto apply = [&](PolicySection& s) {
            for (auto& [name, rule] : s.tools) {
                ApprovalSettings a = rule.approval.value_or(ApprovalSettings{});
                a.timeoutS = m_options.approvalTimeoutOverrideS;
                if (rule.approval || rule.approveIf ||
                    rule.effectiveAction() == RuleAction::Approve)
                    rule.approval = a;
            }
        };
        apply(copy->top);
        for (auto& [k, s] : copy->servers)
            apply(s);
        policy = std::move(copy);
    }
    m_router->setPolicy(std::move(policy));
}

bool GatewayService::decide(std::uint64_t approvalId, ApprovalQueue::Outcome outcome) {
    return m_approvals.decide(approvalId, std::move(outcome));
}

std::size_t GatewayService::sessionCount() const {
    return m_endpoint ? m_endpoint->sessionCount() : 0;
}

void GatewayService::onCallEvent(const CallEvent& event) {
    if (m_audit && event.finished)
        m_audit->append(event);
    if (m_endpoint && m_endpoint->wantsEvents())
        m_endpoint->publishEvent(toJson(event));
    m_batch.push_back(event);
    if (m_batch.size() >= kBatchMax)
        flushEvents();
    else if (!m_batchTimer.isActive())
        m_batchTimer.start(kBatchIntervalMs);
}

void GatewayService::flushEvents() {
    m_batchTimer.stop();
    if (m_batch.empty())
        return;
    std::vector<CallEvent> batch;
    batch.swap(m_batch);
    Q_EMIT callEvents(batch);
}

} // namespace portcullis
