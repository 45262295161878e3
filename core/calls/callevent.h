#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace portcullis {

// What happened to one tools/call, as the monitor shows it and the audit log records it.
enum class CallDecision {
    Allowed,     // forwarded by policy
    Denied,      // deny, require / deny_if
    RateLimited, // a limit was full
    Pending,     // held for a person (not yet finished)
    Approved,    // held, then approved and forwarded
    Rejected,    // held, then rejected by a person
    Timeout,     // held until the deadline passed (on_timeout: deny)
    Cancelled,   // the client cancelled or went away while the call was held or in flight
    Hidden,      // a hidden or unknown tool was called
    Error        // the upstream failed (JSON-RPC error, crash, timeout)
};
const char* toString(CallDecision d); // "allowed", "denied", "rate_limited", ...
std::optional<CallDecision> callDecisionFromString(std::string_view s);

enum class CallOutcome { None, Ok, ToolError, RpcError };
const char* toString(CallOutcome o); // "none", "ok", "is_error", "rpc_error"

struct CallEvent {
    std::uint64_t id = 0;     // gateway-wide, increasing
    std::int64_t timeMs = 0;  // wall clock, ms since the epoch, when the call arrived
    std::string session;      // downstream MCP session id
    std::string client;       // clientInfo.name of the session
    std::string grant;        // which credential (token) the client used
    std::string server;       // upstream key in servers.json
    std::string tool;         // upstream tool name
    std::string exposedName;  // name the agent used
    nlohmann::json arguments; // as sent by the agent (or as edited by the approver)
    CallDecision decision = CallDecision::Allowed;
    std::string rule;                    // JSON path of the deciding policy rule
    std::string reason;                  // text given to the agent, if any
    std::string approver;                // who decided a held call ("gui", "admin-api")
    std::int64_t decisionLatencyMs = -1; // how long a held call waited for a person
    std::int64_t upstreamMs = -1;        // time spent upstream
    CallOutcome outcome = CallOutcome::None;
    int rpcErrorCode = 0; // when outcome is RpcError
    std::int64_t responseBytes = 0;
    bool finished = true; // false for the "pending" event of a held call
    // The exact bytes the agent got, kept only when the gateway is asked to (the window's
    // detail pane); shared so a batch of events copies no payload.
    std::shared_ptr<const std::string> response;
};

// The event as one JSON object (keys in a fixed order), e.g. for /admin/events and exports.
nlohmann::ordered_json toJson(const CallEvent& event);

} // namespace portcullis
