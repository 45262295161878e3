#pragma once

#include "policy/policy.h"
#include "policy/ratelimiter.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace portcullis {

enum class DecisionKind { Hidden, Deny, RateLimited, NeedsApproval, Allow };
const char* toString(DecisionKind kind); // hidden, deny, rate_limited, approve, allow

struct ToolCall {
    std::string_view server;                   // key in servers.json; selects a servers.KEY section
    std::string_view tool;                     // the upstream's own tool name
    const nlohmann::json* arguments = nullptr; // null means no arguments
    CallerIdentity caller;
};

struct PolicyDecision {
    DecisionKind kind = DecisionKind::Deny;
    std::string rule;   // JSON path of the deciding rule: "default", "tools.x.deny_if[0]", ...
    std::string reason; // for the agent and the monitor
    std::int64_t retryAfterS = 0; // rate_limited only
    ApprovalSettings approval;    // needs approval only
    Reservation reservation;      // units taken; the caller releases them if the call never runs
};

// Applies the decision order of policy.json to one tools/call:
// hidden -> default deny -> action deny -> require / deny_if -> limits -> approval -> allow.
// Stateless apart from the limiter, so one engine serves every policy snapshot.
class PolicyEngine final {
public:
    explicit PolicyEngine(RateLimiter& limiter)
        : m_limiter(limiter) {}

    PolicyDecision decide(const Policy& policy, const ToolCall& call) const;

    // Whether the tool is hidden from tools/list (top level or its server section, or "*").
    static bool isHidden(const Policy& policy, std::string_view server, std::string_view tool);

    RateLimiter& limiter() const { return m_limiter; }

private:
    RateLimiter& m_limiter;
};

} // namespace portcullis
