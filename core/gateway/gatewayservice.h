#pragma once

#include "calls/auditlog.h"
#include "calls/callevent.h"
#include "gateway/approvalqueue.h"
#include "gateway/router.h"
#include "policy/memorycounterstore.h"
#include "policy/policyengine.h"
#include "upstream/upstreamclient.h"
#include "workspace/serversconfig.h"

#include <QHostAddress>
#include <QObject>
#include <QTimer>
#include <QUrl>

#include <memory>
#include <vector>

namespace portcullis {

namespace transport {
class HttpServer;
}
class McpEndpoint;

// The gateway as one object with a small API: start/stop, swap the policy, call events out
// in batches, approval decisions in. The headless gateway runs it on the main thread; the
// window runs it on a thread of its own.
class GatewayService final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GatewayService)

public:
    struct Options {
        ServersConfig servers;
        QHostAddress listenAddress = QHostAddress::LocalHost;
        quint16 port = 0;
        bool allowRemote = false;
        QString token;                    // required unless noAuth
        bool noAuth = false;              // loopback testing with peers that cannot send headers
        int approvalTimeoutOverrideS = 0; // > 0 replaces every rule's approval timeout
        QString auditPath;                // empty: no audit log
        AuditLog::ArgumentsMode auditArguments = AuditLog::ArgumentsMode::Hash;
        bool listen = true;         // false: no HTTP (stdio-only serving)
        int sessionIdleS = 60 * 60; // HTTP sessions unused this long end
        std::size_t maxSessions = 10'000;
        bool keepResponses = false; // call events carry the response (the window's detail pane)
    };

    explicit GatewayService(Options options, QObject* parent = nullptr);
    ~GatewayService() override;

    bool start(PolicySnapshot policy, QString* error);
    // Rejects held calls, flushes the audit log, stops the upstreams.
    void stop();

    void setPolicy(PolicySnapshot policy);
    PolicySnapshot policy() const { return m_router->policy(); }
    QUrl endpoint() const;

    Router& router() { return *m_router; }
    ApprovalQueue& approvals() { return m_approvals; }
    const std::vector<std::unique_ptr<UpstreamClient>>& upstreams() const { return m_upstreams; }
    const Options& options() const { return m_options; }
    bool decide(std::uint64_t approvalId, ApprovalQueue::Outcome outcome);
    // Live MCP sessions over HTTP (a --stdio client is not counted).
    std::size_t sessionCount() const;

Q_SIGNALS:
    // Every 50 ms or 256 events, whichever comes first; never one signal per event.
    void callEvents(const std::vector<portcullis::CallEvent>& batch);
    void upstreamStateChanged(const QString& key);
    void toolsChanged();

private:
    void onCallEvent(const CallEvent& event);
    void flushEvents();

    Options m_options;
    std::shared_ptr<MemoryCounterStore> m_counters;
    RateLimiter m_limiter;
    PolicyEngine m_engine;
    ApprovalQueue m_approvals;
    std::unique_ptr<Router> m_router;
    std::vector<std::unique_ptr<UpstreamClient>> m_upstreams;
    std::unique_ptr<AuditLog> m_audit;
    std::unique_ptr<McpEndpoint> m_endpoint;
    std::unique_ptr<transport::HttpServer> m_http;
    std::vector<CallEvent> m_batch;
    QTimer m_batchTimer;
    bool m_stopped = false;
};

} // namespace portcullis
