#include "policy/policyengine.h"

#include "policy/condition.h"

namespace portcullis {

const char* toString(DecisionKind kind) {
    switch (kind) {
    case DecisionKind::Hidden:
        return "hidden";
    case DecisionKind::Deny:
        return "deny";
    case DecisionKind::RateLimited:
        return "rate_limited";
    case DecisionKind::NeedsApproval:
        return "approve";
    case DecisionKind::Allow:
        return "allow";
    }
    return "deny";
}

namespace {

const PolicySection* sectionFor(const Policy& policy, std::string_view server) {
    if (policy.servers.empty() || server.empty())
        return nullptr;
    auto it = policy.servers.find(std::string(server));
    return it == policy.servers.end() ? nullptr : &it->second;
}

std::string sectionBase(std::string_view server, const PolicySection* section) {
    return section ? "servers." + std::string(server) + '.' : std::string();
}

std::string limitText(const Limit& l) {
    return "at most " + std::to_string(l.max) + (l.max == 1 ? " call per " : " calls per ") +
           toString(l.window) + " (counter " + l.counter + ", per " + toString(l.scope) + ")";
}

const nlohmann::json& emptyArguments() {
    static const nlohmann::json empty = nlohmann::json::object();
    return empty;
}

} // namespace

bool PolicyEngine::isHidden(const Policy& policy, std::string_view server, std::string_view tool) {
    const std::string name(tool);
    if (policy.top.hides(name))
        return true;
    const PolicySection* section = sectionFor(policy, server);
    return section && section->hides(name);
}

PolicyDecision PolicyEngine::decide(const Policy& policy, const ToolCall& call) const {
    PolicyDecision d;
    const std::string tool(call.tool);
    const nlohmann::json& args = call.arguments ? *call.arguments : emptyArguments();
    const PolicySection* section = sectionFor(policy, call.server);
    const std::string base = sectionBase(call.server, section);

    // 1. Hidden: answered like a tool that does not exist.
    if (policy.top.hides(tool)) {
        d.kind = DecisionKind::Hidden;
        d.rule = "hide";
        d.reason = "Unknown tool: " + tool;
        return d;
    }
    if (section && section->hides(tool)) {
        d.kind = DecisionKind::Hidden;
        d.rule = base + "hide";
        d.reason = "Unknown tool: " + tool;
        return d;
    }

    // A rule in the server's section replaces a top-level rule of the same name.
    const ToolRule* rule = section ? section->rule(tool) : nullptr;
    std::string rulePath;
    if (rule) {
        rulePath = base + "tools." + tool;
    } else if ((rule = policy.top.rule(tool))) {
        rulePath = "tools." + tool;
    }

    // 2. Not listed under default deny.
    if (!rule) {
        const bool sectionDefault = section && section->defaultAction;
        const DefaultAction def = sectionDefault ? *section->defaultAction : policy.defaultAction();
        if (def == DefaultAction::Deny) {
            d.kind = DecisionKind::Deny;
            d.rule = sectionDefault ? base + "default" : "default";
            d.reason = "not permitted by policy";
            return d;
        }
    }

    auto denyWith = [&](std::string path, std::string fallback) {
        d.kind = DecisionKind::Deny;
        d.rule = std::move(path);
        d.reason = rule && rule->reason ? *rule->reason : std::move(fallback);
        return d;
    };

    if (rule) {
        // 3. Explicit deny.
        if (rule->effectiveAction() == RuleAction::Deny)
            return denyWith(rulePath + ".action", "tool is denied");
        // 4. require (all must hold) and deny_if (any denies).
        if (rule->require) {
            for (std::size_t i = 0; i < rule->require->size(); ++i) {
                const Condition& c = (*rule->require)[i];
                if (!conditionHolds(c, args))
                    return denyWith(rulePath + ".require[" + std::to_string(i) + ']',
                                    "required condition not met: " + describeCondition(c));
            }
        }
        if (rule->denyIf) {
            for (std::size_t i = 0; i < rule->denyIf->size(); ++i) {
                const Condition& c = (*rule->denyIf)[i];
                if (conditionHolds(c, args))
                    return denyWith(rulePath + ".deny_if[" + std::to_string(i) + ']',
                                    "arguments match a deny rule: " + describeCondition(c));
            }
        }
    }

    // 5. Limits: all or nothing.
    const std::vector<Limit>* allTools = nullptr;
    std::string allToolsPath;
    if (section && section->allToolsLimits) {
        allTools = &*section->allToolsLimits;
        allToolsPath = base + "all_tools.limits";
    } else if (policy.top.allToolsLimits) {
        allTools = &*policy.top.allToolsLimits;
        allToolsPath = "all_tools.limits";
    }
    const std::vector<Limit>* toolLimits = rule && rule->limits ? &*rule->limits : nullptr;
    const std::size_t allCount = allTools ? allTools->size() : 0;
    if (allCount + (toolLimits ? toolLimits->size() : 0) > 0) {
        std::vector<const Limit*> limits;
        limits.reserve(allCount + (toolLimits ? toolLimits->size() : 0));
        if (allTools) {
            for (const Limit& l : *allTools)
                limits.push_back(&l);
        }
        if (toolLimits) {
            for (const Limit& l : *toolLimits)
                limits.push_back(&l);
        }
        ReserveOutcome r = m_limiter.reserve(limits, call.caller);
        if (!r.granted) {
            const auto i = static_cast<std::size_t>(r.fullIndex);
            const Limit& full = *limits[i];
            d.kind = DecisionKind::RateLimited;
            d.rule = i < allCount ? allToolsPath + '[' + std::to_string(i) + ']'
                                  : rulePath + ".limits[" + std::to_string(i - allCount) + ']';
            d.retryAfterS = (r.retryAfterMs + 999) / 1000;
            d.reason = "rate limit reached: " + limitText(full) + "; retry in " +
                       std::to_string(d.retryAfterS) + " s";
            return d;
        }
        d.reservation = std::move(r.reservation);
    }

    // 6. Approval.
    if (rule) {
        const ApprovalSettings approval = rule->approval.value_or(ApprovalSettings{});
        if (rule->effectiveAction() == RuleAction::Approve) {
            d.kind = DecisionKind::NeedsApproval;
            d.rule = rulePath + ".action";
            d.reason = rule->reason.value_or("every call of this tool needs a human");
            d.approval = approval;
            return d;
        }
        if (rule->approveIf) {
            for (std::size_t i = 0; i < rule->approveIf->size(); ++i) {
                const Condition& c = (*rule->approveIf)[i];
                if (conditionHolds(c, args)) {
                    d.kind = DecisionKind::NeedsApproval;
                    d.rule = rulePath + ".approve_if[" + std::to_string(i) + ']';
                    d.reason = rule->reason.value_or("needs a human: " + describeCondition(c));
                    d.approval = approval;
                    return d;
                }
            }
        }
    }

    // 7. Allow.
    d.kind = DecisionKind::Allow;
    d.rule = rule ? rulePath : "default";
    d.reason.clear();
    return d;
}

} // namespace portcullis
