#pragma once

#include "calls/callevent.h"
#include "gateway/approvalqueue.h"
#include "gateway/gatewayservice.h"
#include "risk/starterpolicy.h"
#include "upstream/upstreamclient.h"

#include <QObject>
#include <QThread>
#include <QUrl>

#include <memory>
#include <string>
#include <vector>

namespace portcullis {

// What a window shows of one upstream: its state and its tools, already classified (on the
// gateway's thread, so 2 000 tools never cost the GUI thread a frame).
struct UpstreamStatus {
    std::string key;
    UpstreamClient::State state = UpstreamClient::State::Stopped;
    QString lastError;
    QString transport; // the command line or URL
    std::vector<ClassifiedTool> tools;
};

// Counters for the status bar, sent when they change (checked once a second).
struct GatewayStats {
    std::size_t sessions = 0; // live MCP sessions
    bool operator==(const GatewayStats&) const = default;
};

// The gateway on a thread of its own, for the window: every socket, process and timer of the
// GatewayService lives there, and this object (on the caller's thread) only posts requests to it
// and relays what it reports as queued signals. Nothing here waits for the gateway except the
// destructor, which stops it.
class GatewayHost final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GatewayHost)

public:
    explicit GatewayHost(GatewayService::Options options, QObject* parent = nullptr);
    ~GatewayHost() override;

    // Starts the gateway with this policy; started() or startFailed() follows.
    void start(PolicySnapshot policy);
    // The policy in force from now on (the editor's, after every edit).
    void setPolicy(PolicySnapshot policy);
    void decide(std::uint64_t approvalId, ApprovalQueue::Outcome outcome);
    // Calls of this tool in this MCP session are no longer held (see Router::allowForSession).
    void allowForSession(const std::string& sessionId, const std::string& server,
                         const std::string& tool);
    // Stops and starts one upstream again (a person asked for it).
    void restartUpstream(const std::string& key);

    // Stops the gateway without waiting for it and deletes this object once its thread has
    // ended (switching workspaces, closing the window).
    void retire();

    const GatewayService::Options& options() const { return m_options; }

Q_SIGNALS:
    void started(const QUrl& endpoint);
    void startFailed(const QString& error);
    void callEvents(const std::vector<portcullis::CallEvent>& batch);
    void upstreamsChanged(const std::vector<portcullis::UpstreamStatus>& upstreams);
    // A call is held for a person, sent at once (not batched like callEvents) so its card
    // shows without delay; callResolved when it is decided, timed out or cancelled.
    void callHeld(const portcullis::ApprovalQueue::Held& held);
    void callResolved(std::uint64_t approvalId);
    void statsChanged(const portcullis::GatewayStats& stats);

private:
    void post(std::function<void()> work);
    // On the gateway thread: a fresh status of every upstream, at most once per event-loop pass.
    void scheduleStatus();
    void publishStatus();
    void publishStats();

    GatewayService::Options m_options;
    struct ThreadStopper {
        void operator()(QThread* t) const;
    };
    std::unique_ptr<QThread, ThreadStopper> m_thread;
    QObject* m_context = nullptr;              // lives on m_thread; the target of posted work
    std::unique_ptr<GatewayService> m_service; // created, used and destroyed on m_thread
    bool m_statusScheduled = false;            // touched on m_thread only
    GatewayStats m_stats;                      // last sent; touched on m_thread only
};

} // namespace portcullis
