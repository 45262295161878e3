#include "gateway/router.h"

#include "mcp/jsonrpc.h"
#include "upstream/upstreamclient.h"
#include "util/jsonspans.h"
#include "util/log.h"

#include <QDateTime>

#include <cstring>

namespace portcullis {

using nlohmann::json;

ReplySink::~ReplySink() = default;

namespace {

constexpr const char* kDecisionMetaKey = "io.portcullis/decision";
constexpr int kStartupWaitMs = 15'000;

std::int64_t nowMs() {
    return QDateTime::currentMSecsSinceEpoch();
}

bool supportedVersion(const std::string& v) {
    return v == "2025-11-25" || v == "2025-06-18" || v == "2025-03-26";
}

// The response for the client: the upstream's own text with the client's id put back, so the
// result reaches it as the server wrote it (and no DOM is copied or written again). Responses
// made here, or without their text at hand, are written from the DOM.
std::string responseText(const json& response, const ReceivedText& received, const json& clientId) {
    const std::string_view raw = received.text;
    if (!raw.empty() && response.contains("jsonrpc")) {
        if (const auto id = received.id ? received.id : jsonspans::memberValue(raw, "id")) {
            std::string out;
            out.reserve(raw.size() + 16);
            out.append(raw.substr(0, id->begin));
            out.append(mcp::serialize(clientId));
            out.append(raw.substr(id->end));
            // One line, as SSE data and stdio framing need; an HTTP upstream may pretty-print.
            const bool oneLine = std::memchr(out.data(), '\n', out.size()) == nullptr &&
                                 std::memchr(out.data(), '\r', out.size()) == nullptr;
            return oneLine ? out : jsonspans::minify(out);
        }
    }
    json out = response;
    out["jsonrpc"] = "2.0";
    out["id"] = clientId;
    return mcp::serialize(out);
}

json policyResult(const std::string& text, json meta) {
    return json{{"content", json::array({json{{"type", "text"}, {"text", text}}})},
                {"isError", true},
                {"_meta", json{{kDecisionMetaKey, std::move(meta)}}}};
}

} // namespace

Router::Router(PolicyEngine& engine, ApprovalQueue& approvals, QObject* parent)
    : QObject(parent)
    , m_engine(engine)
    , m_approvals(approvals)
    , m_policy(std::make_shared<const Policy>()) {}

Router::~Router() = default;

std::string Router::inFlightKey(const std::string& session, const json& id) {
    return session + '\x1f' + id.dump();
}

void Router::setUpstreams(std::vector<Upstream> upstreams) {
    m_upstreams = std::move(upstreams);
    for (const Upstream& u : m_upstreams) {
        UpstreamClient* client = u.client;
        connect(client, &UpstreamClient::toolsChanged, this, &Router::rebuildCatalog);
        connect(client, &UpstreamClient::stateChanged, this, [this] {
            if (!upstreamsStarting())
                releaseDeferred();
        });
        connectUpstream(client);
    }
    rebuildCatalog();
}

void Router::connectUpstream(UpstreamClient* client) {
    connect(client, &UpstreamClient::notificationReceived, this,
            [this, client](const json& m) { onUpstreamNotification(client, m); });
    connect(client, &UpstreamClient::serverRequestReceived, this,
            [this, client](const json& m) { onUpstreamServerRequest(client, m); });
}

void Router::setPolicy(PolicySnapshot policy) {
    m_policy = std::move(policy);
    const auto visible = visibleNames();
    if (visible != m_lastVisible) {
        m_lastVisible = visible;
        Q_EMIT toolsListChanged();
    }
}

UpstreamClient* Router::upstreamFor(const std::string& key, const std::string& sessionId,
                                    const std::function<void(const json&)>& push) {
    const Upstream* u = upstreamEntry(key);
    if (!u)
        return nullptr;
    if (!u->perSession || !u->spawn)
        return u->client;
    auto slot = m_sessionUpstreams.find({sessionId, key});
    if (slot != m_sessionUpstreams.end()) {
        if (slot->second.client->state() != UpstreamClient::State::Stopped)
            return slot->second.client.get();
        // It exited (and does not restart on its own): the next request gets a fresh one.
        UpstreamClient* old = slot->second.client.release();
        old->disconnect(this);
        old->deleteLater();
        m_sessionUpstreams.erase(slot);
    }
    std::unique_ptr<UpstreamClient> client = u->spawn();
    UpstreamClient* raw = client.get();
    connectUpstream(raw);
    m_sessionUpstreams.emplace(std::make_pair(sessionId, key),
                               SessionUpstream{std::move(client), sessionId, push});
    log::logger()->info("upstream {}: starting an instance for session {}", key,
                        sessionId.substr(0, 8));
    raw->start();
    return raw;
}

bool Router::sessionBusy(const std::string& sessionId) const {
    // Keys start with the session id and a separator, so the calls of one session are adjacent.
    auto it = m_inFlight.lower_bound(sessionId + '\x1f');
    return it != m_inFlight.end() && it->second.sessionId == sessionId;
}

void Router::stopSessionUpstreams() {
    auto all = std::move(m_sessionUpstreams);
    m_sessionUpstreams.clear();
    for (auto& [key, su] : all)
        su.client->stop();
}

const Router::Upstream* Router::upstreamEntry(const std::string& key) const {
    for (const Upstream& u : m_upstreams) {
        if (u.key == key)
            return &u;
    }
    return nullptr;
}

void Router::rebuildCatalog() {
    std::vector<ToolCatalog::Source> sources;
    for (const Upstream& u : m_upstreams)
        sources.push_back({u.key, u.prefix, &u.client->tools(), &u.client->toolsText()});
    m_catalog.rebuild(sources);
    // Any change upstream is announced: a changed definition matters as much as a new name.
    m_lastVisible = visibleNames();
    Q_EMIT toolsListChanged();
}

std::set<std::string> Router::visibleNames() const {
    std::set<std::string> out;
    for (const ToolRoute& r : m_catalog.routes()) {
        if (PolicyEngine::isHidden(*m_policy, r.server, r.tool))
            continue;
        // Under default deny, a tool with no rule, or a rule that always denies, can never be
        // called, so agents are not shown it.
        const PolicySection* section = nullptr;
        if (auto it = m_policy->servers.find(r.server); it != m_policy->servers.end())
            section = &it->second;
        const ToolRule* rule = section ? section->rule(r.tool) : nullptr;
        if (!rule)
            rule = m_policy->top.rule(r.tool);
        const DefaultAction def =
            section && section->defaultAction ? *section->defaultAction : m_policy->defaultAction();
        if (def == DefaultAction::Deny && (!rule || rule->effectiveAction() == RuleAction::Deny))
            continue;
        out.insert(r.exposed);
    }
    return out;
}

json Router::visibleTools() const {
    const auto visible = visibleNames();
    json tools = json::array();
    for (const ToolRoute& r : m_catalog.routes()) {
        if (!visible.count(r.exposed) || !r.definition)
            continue;
        json t = *r.definition;
        t["name"] = r.exposed;
        tools.push_back(std::move(t));
    }
    return tools;
}

CallEvent Router::newEvent(const GatewaySession& s, const ToolRoute* route, const std::string& name,
                           const json& arguments) {
    CallEvent e;
    e.id = m_nextEventId++;
    e.timeMs = nowMs();
    e.session = s.id;
    e.client = s.clientName;
    e.grant = s.grant;
    e.server = route ? route->server : std::string();
    e.tool = route ? route->tool : name;
    e.exposedName = name;
    e.arguments = arguments;
    return e;
}

void Router::handle(GatewaySession& session, const json& message, std::shared_ptr<ReplySink> sink) {
    const bool hasMethod = message.contains("method");
    if (!hasMethod) {
        handleClientResponse(message);
        return;
    }
    const std::string method = message["method"].get<std::string>();
    if (!message.contains("id")) {
        if (method == "notifications/initialized")
            session.initialized = true;
        else if (method == "notifications/cancelled")
            handleCancelled(session, message.value("params", json::object()));
        else if (method == "notifications/roots/list_changed") {
            for (const Upstream& u : m_upstreams) {
                if (!u.perSession) {
                    u.client->notify(method);
                } else if (auto it = m_sessionUpstreams.find({session.id, u.key});
                           it != m_sessionUpstreams.end()) {
                    it->second.client->notify(method);
                }
            }
        }
        return;
    }
    if (sink)
        dispatchRequest(session, message, std::move(sink), true);
}

void Router::dispatchRequest(GatewaySession& session, const json& message,
                             std::shared_ptr<ReplySink> sink, bool mayDefer) {
    const std::string method = message["method"].get<std::string>();
    const json& id = message["id"];
    if (method == "initialize") {
        handleInitialize(session, message, *sink);
    } else if (method == "ping") {
        sink->finish(mcp::makeResult(id, json::object()));
    } else if ((method == "tools/list" || method == "tools/call") && mayDefer &&
               upstreamsStarting()) {
        if (!m_deferredTimer.isActive())
            m_deferredTimer.start(kStartupWaitMs);
        m_deferred.push_back({session, message, std::move(sink)});
    } else if (method == "tools/list") {
        answerToolsList(message, *sink);
    } else if (method == "tools/call") {
        handleToolsCall(session, message, std::move(sink));
    } else if (method.rfind("resources/", 0) == 0 || method.rfind("prompts/", 0) == 0 ||
               method == "completion/complete" || method == "logging/setLevel") {
        forwardGeneric(session, message, std::move(sink));
    } else {
        sink->finish(
            mcp::makeError(id, mcp::ErrorCode::MethodNotFound, "Method not found: " + method));
    }
}

// One page of the visible tools, written from each tool's own text rather than a DOM so every
// field reaches the agent as its server wrote it. The cursor is the offset of the next page.
void Router::answerToolsList(const json& request, ReplySink& sink) {
    const json& id = request["id"];
    std::size_t offset = 0;
    const json params = request.value("params", json::object());
    if (auto cursor = params.is_object() ? params.find("cursor") : params.end();
        params.is_object() && cursor != params.end() && !cursor->is_null()) {
        const std::string text = cursor->is_string() ? cursor->get<std::string>() : std::string();
        bool ok = text.size() > 1 && text.size() < 12 && text[0] == 'o';
        for (std::size_t i = 1; ok && i < text.size(); ++i)
            ok = text[i] >= '0' && text[i] <= '9';
        if (!ok) {
            sink.finish(mcp::makeError(id, mcp::ErrorCode::InvalidParams,
                                       "Invalid params: unknown cursor"));
            return;
        }
        offset = std::stoul(text.substr(1));
    }
    const auto visible = visibleNames();
    std::string tools;
    std::size_t index = 0;
    std::size_t listed = 0;
    bool more = false;
    for (const ToolRoute& r : m_catalog.routes()) {
        if (!visible.count(r.exposed))
            continue;
        if (index++ < offset)
            continue;
        if (listed == m_toolsPageSize) {
            more = true;
            break;
        }
        if (listed++ > 0)
            tools += ',';
        tools += r.listed;
    }
    std::string out =
        R"({"jsonrpc":"2.0","id":)" + mcp::serialize(id) + R"(,"result":{"tools":[)" + tools + ']';
    if (more)
        out += R"(,"nextCursor":"o)" + std::to_string(offset + listed) + '"';
    out += "}}";
    sink.finishText(out);
}

bool Router::upstreamsStarting() const {
    for (const Upstream& u : m_upstreams) {
        // Only a first start: a restarting upstream must not hold up calls to the others.
        if (u.client->state() == UpstreamClient::State::Starting && u.client->tools().empty())
            return true;
    }
    return false;
}

void Router::releaseDeferred() {
    m_deferredTimer.stop();
    auto deferred = std::move(m_deferred);
    m_deferred.clear();
    for (Deferred& d : deferred) {
        if (d.sink && d.sink->alive())
            dispatchRequest(d.session, d.message, d.sink, false);
    }
}

void Router::handleInitialize(GatewaySession& s, const json& request, ReplySink& sink) {
    const json params = request.value("params", json::object());
    const std::string asked = params.value("protocolVersion", "");
    s.protocolVersion = supportedVersion(asked) ? asked : "2025-11-25";
    s.clientCapabilities = params.value("capabilities", json::object());
    if (auto info = params.find("clientInfo"); info != params.end() && info->is_object())
        s.clientName = info->value("name", "");
    json capabilities = {{"tools", {{"listChanged", true}}}};
    for (const Upstream& u : m_upstreams) {
        const json& caps = u.client->serverCapabilities();
        if (caps.contains("resources"))
            capabilities["resources"] = json::object();
        if (caps.contains("prompts"))
            capabilities["prompts"] = json::object();
    }
    sink.finish(mcp::makeResult(
        request["id"],
        json{
            {"protocolVersion", s.protocolVersion},
            {"capabilities", capabilities},
            {"serverInfo", {{"name", "portcullis"}, {"title", "Portcullis"}, {"version", "0.1.0"}}},
            {"instructions", "Tools here are governed by a Portcullis policy. A result marked "
                             "isError with _meta \"io.portcullis/decision\" is a policy decision, "
                             "not a tool failure; its text says why."}}));
}

void Router::answerPolicy(GatewaySession&, const json& id, ReplySink& sink, CallEvent event,
                          const std::string& text, const std::string& decision,
                          std::int64_t retryAfterS) {
    json meta = {{"decision", decision}, {"rule", event.rule}};
    if (retryAfterS >= 0)
        meta["retry_after_s"] = retryAfterS;
    std::string response = mcp::serialize(mcp::makeResult(id, policyResult(text, std::move(meta))));
    event.responseBytes = static_cast<std::int64_t>(response.size());
    event.outcome = CallOutcome::ToolError;
    sink.finishText(response);
    if (m_keepResponses)
        event.response = std::make_shared<const std::string>(std::move(response));
    Q_EMIT callEvent(event);
}

void Router::handleToolsCall(GatewaySession& s, const json& request,
                             std::shared_ptr<ReplySink> sink) {
    const json& id = request["id"];
    // References into the request: a call's arguments are copied once, into its event.
    static const json kNoObject = json::object();
    const auto paramsAt = request.find("params");
    const json& params = paramsAt != request.end() ? *paramsAt : kNoObject;
    if (!params.is_object() || !params.contains("name") || !params["name"].is_string()) {
        sink->finish(mcp::makeError(id, mcp::ErrorCode::InvalidParams,
                                    "Invalid params: tools/call needs a string \"name\""));
        return;
    }
    const std::string name = params["name"].get<std::string>();
    const auto argumentsAt = params.find("arguments");
    const json& arguments = argumentsAt != params.end() ? *argumentsAt : kNoObject;
    if (!arguments.is_object()) {
        sink->finish(mcp::makeError(id, mcp::ErrorCode::InvalidParams,
                                    "Invalid params: \"arguments\" must be an object"));
        return;
    }
    const std::string key = inFlightKey(s.id, id);
    if (m_inFlight.count(key)) {
        sink->finish(mcp::makeError(id, mcp::ErrorCode::InvalidRequest,
                                    "request id is already in use by a call in progress"));
        return;
    }

    const ToolRoute* route = m_catalog.find(name);
    CallEvent event = newEvent(s, route, name, arguments);
    // Unknown and hidden tools get the same bytes, so hiding reveals nothing.
    if (!route || PolicyEngine::isHidden(*m_policy, route->server, route->tool)) {
        event.decision = CallDecision::Hidden;
        event.rule = route ? "hide" : "";
        event.outcome = CallOutcome::RpcError;
        event.rpcErrorCode = mcp::ErrorCode::InvalidParams;
        sink->finish(mcp::makeError(id, mcp::ErrorCode::InvalidParams, "Unknown tool: " + name));
        Q_EMIT callEvent(event);
        return;
    }

    ToolCall call;
    call.server = route->server;
    call.tool = route->tool;
    call.arguments = &arguments;
    call.caller = {s.grant, s.id};
    PolicyDecision d = m_engine.decide(*m_policy, call);
    event.rule = d.rule;
    event.reason = d.reason;

    switch (d.kind) {
    case DecisionKind::Hidden:
        event.decision = CallDecision::Hidden;
        event.outcome = CallOutcome::RpcError;
        sink->finish(mcp::makeError(id, mcp::ErrorCode::InvalidParams, "Unknown tool: " + name));
        Q_EMIT callEvent(event);
        return;
    case DecisionKind::Deny:
        event.decision = CallDecision::Denied;
        answerPolicy(s, id, *sink, std::move(event), "Blocked by policy: " + d.reason, "deny");
        return;
    case DecisionKind::RateLimited:
        event.decision = CallDecision::RateLimited;
        answerPolicy(s, id, *sink, std::move(event), "Rate limited by policy: " + d.reason,
                     "rate_limited", d.retryAfterS);
        return;
    case DecisionKind::NeedsApproval:
    case DecisionKind::Allow:
        break;
    }

    InFlight inf;
    inf.sessionId = s.id;
    inf.push = s.push;
    inf.originalId = id;
    inf.sink = sink;
    inf.reservation = std::move(d.reservation);
    inf.event = std::make_unique<CallEvent>(std::move(event));
    if (auto meta = params.find("_meta"); meta != params.end() && meta->is_object()) {
        if (auto token = meta->find("progressToken"); token != meta->end()) {
            inf.progressToken = "pt-" + std::to_string(m_nextToken++);
            m_progress[inf.progressToken] = ProgressRoute{key, *token};
        }
    }
    InFlight& entry = m_inFlight.emplace(key, std::move(inf)).first->second;

    if (d.kind == DecisionKind::NeedsApproval &&
        m_sessionAllowed.count({s.id, entry.event->server, entry.event->tool})) {
        d.kind = DecisionKind::Allow;
        entry.event->approver = "session";
        entry.event->reason = "allowed for this session by a person in Portcullis";
    }
    if (d.kind == DecisionKind::Allow) {
        entry.event->decision = CallDecision::Allowed;
        forwardCall(key, arguments);
        return;
    }

    // Held for a person. The approval queue keeps the event until the call is decided; one
    // copy per held call matters when thousands wait.
    CallEvent pending = std::move(*entry.event);
    entry.event.reset();
    pending.decision = CallDecision::Pending;
    pending.finished = false;
    Q_EMIT callEvent(pending);
    const json originalToken = m_inFlight[key].progressToken.empty()
                                   ? json()
                                   : m_progress[m_inFlight[key].progressToken].originalToken;
    std::weak_ptr<ReplySink> weakSink = sink;
    auto keepAlive = [weakSink, originalToken](std::int64_t waitedMs) {
        auto sinkNow = weakSink.lock();
        if (!sinkNow || originalToken.is_null())
            return;
        sinkNow->related(mcp::makeNotification(
            "notifications/progress", json{{"progressToken", originalToken},
                                           {"progress", waitedMs / 1000},
                                           {"message", "Waiting for approval in Portcullis"}}));
    };
    const std::int64_t heldAt = nowMs();
    const std::uint64_t approvalId = m_approvals.hold(
        std::move(pending), d.approval,
        [this, key, heldAt](const ApprovalQueue::Outcome& o, CallEvent&& heldEvent) {
            auto it = m_inFlight.find(key);
            if (it == m_inFlight.end())
                return;
            InFlight& f = it->second;
            f.approvalId = 0;
            f.event = std::make_unique<CallEvent>(std::move(heldEvent));
            f.event->approver = o.approver;
            f.event->decisionLatencyMs = nowMs() - heldAt;
            f.event->finished = true;
            switch (o.verdict) {
            case ApprovalQueue::Verdict::Approve: {
                f.event->decision = CallDecision::Approved;
                const json args = o.arguments ? *o.arguments : f.event->arguments;
                f.event->arguments = args;
                forwardCall(key, args);
                return;
            }
            case ApprovalQueue::Verdict::Cancel: {
                // The client is gone or asked to stop: nothing to answer, nothing forwarded.
                m_engine.limiter().release(f.reservation);
                f.event->decision = CallDecision::Cancelled;
                CallEvent e = std::move(*f.event);
                if (!f.progressToken.empty())
                    m_progress.erase(f.progressToken);
                m_inFlight.erase(it);
                Q_EMIT callEvent(e);
                return;
            }
            case ApprovalQueue::Verdict::Reject:
            case ApprovalQueue::Verdict::Timeout:
            case ApprovalQueue::Verdict::Shutdown: {
                m_engine.limiter().release(f.reservation);
                const bool timeout = o.verdict == ApprovalQueue::Verdict::Timeout;
                f.event->decision = timeout ? CallDecision::Timeout : CallDecision::Rejected;
                std::string text = timeout ? "Not approved in time: the call was not made"
                                           : "Rejected by a person in Portcullis";
                if (!timeout && !o.reason.empty())
                    text += ": " + o.reason;
                json meta = {{"decision", timeout ? "timeout" : "rejected"},
                             {"rule", f.event->rule}};
                if (!o.reason.empty() && !timeout)
                    meta["reason"] = o.reason;
                finishCall(key, mcp::makeResult(f.originalId, policyResult(text, meta)),
                           f.event->decision);
                return;
            }
            }
        },
        keepAlive);
    if (auto it = m_inFlight.find(key); it != m_inFlight.end()) {
        it->second.approvalId = approvalId;
        sink->waiting();
    }
}

void Router::forwardCall(const std::string& key, const json& arguments) {
    auto it = m_inFlight.find(key);
    if (it == m_inFlight.end())
        return;
    InFlight& f = it->second;
    json params(json::value_t::object);
    params["name"] = f.event->tool;
    params["arguments"] = arguments;
    if (!f.progressToken.empty())
        params["_meta"]["progressToken"] = f.progressToken;
    f.startedMs = nowMs();
    const Upstream* entry = upstreamEntry(f.event->server);
    f.upstream = upstreamFor(f.event->server, f.sessionId, f.push);
    if (!f.upstream || !entry) {
        finishCall(key,
                   mcp::makeError(f.originalId, mcp::ErrorCode::InternalError,
                                  "upstream " + f.event->server + " is not configured"),
                   CallDecision::Error);
        return;
    }
    const CallDecision decided = f.event->decision;
    const std::int64_t upstreamId = f.upstream->request(
        "tools/call", std::move(params),
        [this, key, decided, upstream = f.upstream](const json& response) {
            finishCall(key, response, decided, upstream->rawMessage());
        },
        entry->timeoutMs, /*summaryIsEnough=*/true);
    if (auto again = m_inFlight.find(key); again != m_inFlight.end())
        again->second.upstreamId = upstreamId;
}

void Router::finishCall(const std::string& key, const json& response, CallDecision decision,
                        const ReceivedText& raw) {
    auto it = m_inFlight.find(key);
    if (it == m_inFlight.end())
        return;
    InFlight f = std::move(it->second);
    m_inFlight.erase(it);
    if (!f.progressToken.empty())
        m_progress.erase(f.progressToken);

    CallEvent e = std::move(*f.event);
    e.finished = true;
    e.decision = decision;
    if (f.startedMs > 0)
        e.upstreamMs = nowMs() - f.startedMs;
    if (const auto error = response.find("error"); error != response.end()) {
        // The call did not happen as far as the limits are concerned.
        m_engine.limiter().release(f.reservation);
        e.outcome = CallOutcome::RpcError;
        e.rpcErrorCode = error->is_object() ? error->value("code", 0) : 0;
        if (decision == CallDecision::Allowed)
            e.decision = CallDecision::Error;
    } else {
        const auto result = response.find("result");
        e.outcome =
            result != response.end() && result->is_object() && result->value("isError", false)
                ? CallOutcome::ToolError
                : CallOutcome::Ok;
    }
    std::string bytes = responseText(response, raw, f.originalId);
    e.responseBytes = static_cast<std::int64_t>(bytes.size());
    if (f.sink && f.sink->alive())
        f.sink->finishText(bytes);
    if (m_keepResponses)
        e.response = std::make_shared<const std::string>(std::move(bytes));
    Q_EMIT callEvent(e);
}

void Router::handleCancelled(GatewaySession& s, const json& params) {
    if (!params.is_object() || !params.contains("requestId"))
        return;
    const std::string key = inFlightKey(s.id, params["requestId"]);
    auto it = m_inFlight.find(key);
    if (it == m_inFlight.end())
        return; // unknown or already finished: ignored, as the spec says
    if (it->second.approvalId) {
        m_approvals.cancel(it->second.approvalId, "cancelled by the client");
        return;
    }
    InFlight f = std::move(it->second);
    m_inFlight.erase(it);
    if (!f.progressToken.empty())
        m_progress.erase(f.progressToken);
    if (f.upstream && f.upstreamId >= 0)
        f.upstream->cancel(f.upstreamId, params.value("reason", "cancelled by the client"));
    f.event->decision = CallDecision::Cancelled;
    f.event->finished = true;
    Q_EMIT callEvent(*f.event);
}

void Router::allowForSession(const std::string& sessionId, const std::string& server,
                             const std::string& tool) {
    m_sessionAllowed.insert({sessionId, server, tool});
}

void Router::sessionClosed(const std::string& sessionId) {
    for (auto it = m_sessionAllowed.lower_bound({sessionId, {}, {}});
         it != m_sessionAllowed.end() && std::get<0>(*it) == sessionId;)
        it = m_sessionAllowed.erase(it);
    std::vector<std::string> keys;
    for (const auto& [key, f] : m_inFlight) {
        if (f.sessionId == sessionId)
            keys.push_back(key);
    }
    GatewaySession gone;
    gone.id = sessionId;
    for (const std::string& key : keys) {
        auto it = m_inFlight.find(key);
        if (it == m_inFlight.end())
            continue;
        handleCancelled(gone, json{{"requestId", it->second.originalId},
                                   {"reason", "the client disconnected"}});
    }
    // The session's own upstreams end with it. Deleted later: this may run inside one of
    // their signals.
    for (auto it = m_sessionUpstreams.begin(); it != m_sessionUpstreams.end();) {
        if (it->first.first != sessionId) {
            ++it;
            continue;
        }
        for (auto r = m_relayed.begin(); r != m_relayed.end();)
            r = r->second.first == it->second.client.get() ? m_relayed.erase(r) : std::next(r);
        UpstreamClient* client = it->second.client.release();
        client->disconnect(this);
        client->stop();
        client->deleteLater();
        it = m_sessionUpstreams.erase(it);
    }
}

void Router::requestAbandoned(const std::string& sessionId, const json& requestId) {
    auto it = m_inFlight.find(inFlightKey(sessionId, requestId));
    if (it != m_inFlight.end() && it->second.approvalId)
        m_approvals.cancel(it->second.approvalId, "the client disconnected");
}

void Router::onUpstreamNotification(UpstreamClient*, const json& message) {
    const std::string method = message.value("method", "");
    if (method == "notifications/progress") {
        const json params = message.value("params", json::object());
        const json token = params.value("progressToken", json());
        if (!token.is_string())
            return;
        auto route = m_progress.find(token.get<std::string>());
        if (route == m_progress.end())
            return;
        auto it = m_inFlight.find(route->second.key);
        if (it == m_inFlight.end() || !it->second.sink)
            return;
        json out = message;
        out["params"]["progressToken"] = route->second.originalToken;
        it->second.sink->related(out);
        return;
    }
    if (method == "notifications/resources/list_changed" ||
        method == "notifications/prompts/list_changed" ||
        method == "notifications/resources/updated") {
        Q_EMIT broadcast(message);
        return;
    }
    // Log messages and the rest concern no particular client when an upstream is shared.
}

void Router::onUpstreamServerRequest(UpstreamClient* upstream, const json& message) {
    // In shared mode the request belongs to the session whose call to this upstream is in
    // flight; with several, the most recent one.
    const InFlight* owner = nullptr;
    for (const auto& [key, f] : m_inFlight) {
        if (f.upstream == upstream && f.upstreamId >= 0 && f.sink && f.sink->alive() &&
            (!owner || f.startedMs >= owner->startedMs))
            owner = &f;
    }
    if (!owner) {
        // A session's own upstream may ask while none of its calls runs (roots/list right
        // after initialize): the session's stream takes it.
        for (const auto& [key, su] : m_sessionUpstreams) {
            if (su.client.get() == upstream && su.push) {
                const std::string ourId =
                    "gw:" + upstream->name().toStdString() + ':' + std::to_string(m_nextToken++);
                m_relayed[ourId] = {upstream, message["id"]};
                json out = message;
                out["id"] = ourId;
                su.push(out);
                return;
            }
        }
        upstream->respond(message["id"], json{{"error",
                                               {{"code", mcp::ErrorCode::MethodNotFound},
                                                {"message", "no client call in progress to relay "
                                                            "this request to"}}}});
        return;
    }
    const std::string ourId =
        "gw:" + upstream->name().toStdString() + ':' + std::to_string(m_nextToken++);
    m_relayed[ourId] = {upstream, message["id"]};
    json out = message;
    out["id"] = ourId;
    owner->sink->related(out);
}

void Router::handleClientResponse(const json& message) {
    if (!message.contains("id") || !message["id"].is_string())
        return;
    auto it = m_relayed.find(message["id"].get<std::string>());
    if (it == m_relayed.end())
        return;
    auto [upstream, originalId] = it->second;
    m_relayed.erase(it);
    json body = json::object();
    if (message.contains("result"))
        body["result"] = message["result"];
    else
        body["error"] = message.value("error", json::object());
    upstream->respond(originalId, body);
}

void Router::forwardGeneric(GatewaySession& s, const json& request,
                            std::shared_ptr<ReplySink> sink) {
    const json& id = request["id"];
    const std::string method = request["method"].get<std::string>();
    const std::string capability = method.substr(0, method.find('/'));
    UpstreamClient* target = nullptr;
    for (const Upstream& u : m_upstreams) {
        const json& caps = u.client->serverCapabilities();
        if (caps.contains(capability == "completion" ? "completions" : capability) ||
            (capability == "logging" && caps.contains("logging"))) {
            target = upstreamFor(u.key, s.id, s.push);
            break;
        }
    }
    if (!target) {
        sink->finish(
            mcp::makeError(id, mcp::ErrorCode::MethodNotFound, "Method not found: " + method));
        return;
    }
    target->request(method, request.value("params", json::object()),
                    [sink, id](const json& response) {
                        json out = response;
                        out["jsonrpc"] = "2.0";
                        out["id"] = id;
                        if (sink->alive())
                            sink->finish(out);
                    });
}

} // namespace portcullis
