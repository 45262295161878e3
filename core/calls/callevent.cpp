#include "calls/callevent.h"

#include <array>
#include <utility>

namespace portcullis {

namespace {

constexpr std::array<std::pair<std::string_view, CallDecision>, 10> kDecisions{{
    {"allowed", CallDecision::Allowed},
    {"denied", CallDecision::Denied},
    {"rate_limited", CallDecision::RateLimited},
    {"pending", CallDecision::Pending},
    {"approved", CallDecision::Approved},
    {"rejected", CallDecision::Rejected},
    {"timeout", CallDecision::Timeout},
    {"cancelled", CallDecision::Cancelled},
    {"hidden", CallDecision::Hidden},
    {"error", CallDecision::Error},
}};

} // namespace

const char* toString(CallDecision d) {
    for (const auto& [name, value] : kDecisions) {
        if (value == d)
            return name.data();
    }
    return "error";
}

std::optional<CallDecision> callDecisionFromString(std::string_view s) {
    for (const auto& [name, value] : kDecisions) {
        if (name == s)
            return value;
    }
    return std::nullopt;
}

const char* toString(CallOutcome o) {
    switch (o) {
    case CallOutcome::None:
        return "none";
    case CallOutcome::Ok:
        return "ok";
    case CallOutcome::ToolError:
        return "is_error";
    case CallOutcome::RpcError:
        return "rpc_error";
    }
    return "none";
}

nlohmann::ordered_json toJson(const CallEvent& e) {
    nlohmann::ordered_json j;
    j["id"] = e.id;
    j["time_ms"] = e.timeMs;
    j["session"] = e.session;
    j["client"] = e.client;
    j["grant"] = e.grant;
    j["server"] = e.server;
    j["tool"] = e.tool;
    j["exposed_name"] = e.exposedName;
    // Replacement characters rather than an exception for arguments with broken UTF-8.
    j["arguments"] = nlohmann::ordered_json::parse(
        e.arguments.is_null()
            ? std::string("null")
            : e.arguments.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    j["decision"] = toString(e.decision);
    j["rule"] = e.rule;
    if (!e.reason.empty())
        j["reason"] = e.reason;
    if (!e.approver.empty())
        j["approver"] = e.approver;
    if (e.decisionLatencyMs >= 0)
        j["decision_latency_ms"] = e.decisionLatencyMs;
    if (e.upstreamMs >= 0)
        j["upstream_ms"] = e.upstreamMs;
    j["outcome"] = toString(e.outcome);
    if (e.outcome == CallOutcome::RpcError)
        j["rpc_error_code"] = e.rpcErrorCode;
    j["response_bytes"] = e.responseBytes;
    j["finished"] = e.finished;
    return j;
}

} // namespace portcullis
