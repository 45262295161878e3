#pragma once

#include "calls/callevent.h"
#include "gateway/approvalqueue.h"
#include "gateway/gatewaysession.h"
#include "gateway/toolcatalog.h"
#include "policy/policyengine.h"
#include "upstream/upstreamtransport.h"

#include <QObject>
#include <QTimer>

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace portcullis {

class UpstreamClient;

// Routes one downstream session's messages: answers initialize, ping and tools/list itself,
// puts every tools/call through the policy (and the approval queue), forwards allowed calls
// with fresh ids, and maps responses, progress and cancellations back.
class Router final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Router)

public:
    struct Upstream {
        std::string key;
        std::string prefix;
        // Lists the tools; with shared isolation it also takes every call.
        UpstreamClient* client = nullptr;
        int timeoutMs = 120'000;
        // Per-session isolation: each downstream session gets its own upstream from spawn(),
        // created by the first request that needs it and stopped when the session ends.
        bool perSession = false;
        std::function<std::unique_ptr<UpstreamClient>()> spawn;
    };

    Router(PolicyEngine& engine, ApprovalQueue& approvals, QObject* parent = nullptr);
    ~Router() override;

    void setUpstreams(std::vector<Upstream> upstreams);
    // Swaps the policy in force; calls already decided keep their decision.
    void setPolicy(PolicySnapshot policy);
    PolicySnapshot policy() const { return m_policy; }

    // A request or notification from a client. Requests must come with a sink.
    void handle(GatewaySession& session, const nlohmann::json& message,
                std::shared_ptr<ReplySink> sink);
    // The client went away: its held calls are cancelled, its upstream calls too.
    void sessionClosed(const std::string& sessionId);
    // The connection that waited for this request closed. A held call is cancelled (nobody is
    // left to tell); a call already upstream runs to its end, as the transport spec says a
    // disconnect is not a cancellation.
    void requestAbandoned(const std::string& sessionId, const nlohmann::json& requestId);

    // Tools per tools/list page sent to agents; clients follow nextCursor for the rest.
    void setToolsPageSize(std::size_t n) { m_toolsPageSize = n > 0 ? n : 1; }

    // A person allowed this tool for the rest of one MCP session: its calls that would be held
    // are forwarded instead (deny rules and limits still apply). Forgotten when the session ends.
    void allowForSession(const std::string& sessionId, const std::string& server,
                         const std::string& tool);
    // Events carry the response the agent got (for the window's detail pane).
    void setKeepResponses(bool keep) { m_keepResponses = keep; }

    // Whether the session has a call in flight or held.
    bool sessionBusy(const std::string& sessionId) const;

    // Stops the upstreams that belong to single sessions (the shared ones are the caller's).
    void stopSessionUpstreams();
    std::size_t sessionUpstreamCount() const { return m_sessionUpstreams.size(); }

    // The aggregated tools/list, hidden tools removed.
    nlohmann::json visibleTools() const;
    const ToolCatalog& catalog() const { return m_catalog; }

Q_SIGNALS:
    void callEvent(const portcullis::CallEvent& event);
    void toolsListChanged();
    // A message for every downstream session (resources or prompts changed upstream).
    void broadcast(const nlohmann::json& message);

private:
    struct InFlight {
        std::string sessionId;
        std::function<void(const nlohmann::json&)> push; // the session's stream
        nlohmann::json originalId;
        std::shared_ptr<ReplySink> sink;
        UpstreamClient* upstream = nullptr;
        std::int64_t upstreamId = -1;
        std::uint64_t approvalId = 0;
        std::string progressToken; // ours, when the client sent one
        // Null while the call is held: the approval queue has the event then, and thousands of
        // held calls should not carry an empty one each.
        std::unique_ptr<CallEvent> event;
        Reservation reservation;
        std::int64_t startedMs = 0;
    };
    struct ProgressRoute {
        std::string key; // in-flight key
        nlohmann::json originalToken;
    };

    void rebuildCatalog();
    bool upstreamsStarting() const;
    void dispatchRequest(GatewaySession& session, const nlohmann::json& message,
                         std::shared_ptr<ReplySink> sink, bool mayDefer);
    void releaseDeferred();
    void onUpstreamNotification(UpstreamClient* upstream, const nlohmann::json& message);
    void onUpstreamServerRequest(UpstreamClient* upstream, const nlohmann::json& message);
    void handleInitialize(GatewaySession& s, const nlohmann::json& request, ReplySink& sink);
    void answerToolsList(const nlohmann::json& request, ReplySink& sink);
    void handleToolsCall(GatewaySession& s, const nlohmann::json& request,
                         std::shared_ptr<ReplySink> sink);
    void handleCancelled(GatewaySession& s, const nlohmann::json& params);
    void handleClientResponse(const nlohmann::json& message);
    void forwardGeneric(GatewaySession& s, const nlohmann::json& request,
                        std::shared_ptr<ReplySink> sink);
    void forwardCall(const std::string& key, const nlohmann::json& arguments);
    // `raw` is the upstream's text of `response`, when it came from one.
    void finishCall(const std::string& key, const nlohmann::json& response, CallDecision decision,
                    const ReceivedText& raw = {});
    void answerPolicy(GatewaySession& s, const nlohmann::json& id, ReplySink& sink, CallEvent event,
                      const std::string& text, const std::string& decision,
                      std::int64_t retryAfterS = -1);
    // The upstream that serves this session's requests to server `key`; a per-session one is
    // created (and started) here. Null when the server is not configured.
    UpstreamClient* upstreamFor(const std::string& key, const std::string& sessionId,
                                const std::function<void(const nlohmann::json&)>& push);
    void connectUpstream(UpstreamClient* client);
    const Upstream* upstreamEntry(const std::string& key) const;
    std::set<std::string> visibleNames() const;
    static std::string inFlightKey(const std::string& session, const nlohmann::json& id);
    CallEvent newEvent(const GatewaySession& s, const ToolRoute* route, const std::string& name,
                       const nlohmann::json& arguments);

    PolicyEngine& m_engine;
    ApprovalQueue& m_approvals;
    PolicySnapshot m_policy;
    std::vector<Upstream> m_upstreams;
    ToolCatalog m_catalog;
    std::map<std::string, InFlight> m_inFlight;
    std::map<std::string, ProgressRoute> m_progress;
    // Server->client requests relayed downstream: our id -> (upstream, its id).
    std::map<std::string, std::pair<UpstreamClient*, nlohmann::json>> m_relayed;
    struct SessionUpstream {
        std::unique_ptr<UpstreamClient> client;
        std::string sessionId;
        // Where a server request goes when none of the session's calls is in flight.
        std::function<void(const nlohmann::json&)> push;
    };
    // (session id, server key) -> that session's own upstream.
    std::map<std::pair<std::string, std::string>, SessionUpstream> m_sessionUpstreams;
    // (session id, server key, tool) a person allowed for the session.
    std::set<std::tuple<std::string, std::string, std::string>> m_sessionAllowed;
    bool m_keepResponses = false;
    std::size_t m_toolsPageSize = 500;
    std::uint64_t m_nextEventId = 1;
    std::uint64_t m_nextToken = 1;
    std::set<std::string> m_lastVisible;
    // tools/list and tools/call that arrived while upstreams were still starting: answered
    // once they are up (or failed), so the first list a client sees is not empty.
    struct Deferred {
        GatewaySession session;
        nlohmann::json message;
        std::shared_ptr<ReplySink> sink;
    };
    std::vector<Deferred> m_deferred;
    QTimer m_deferredTimer;
};

} // namespace portcullis
