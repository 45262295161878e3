#include "policy/policy.h"

#include <algorithm>
#include <array>
#include <utility>

namespace portcullis {

namespace {

template <typename E, std::size_t N>
std::optional<E> lookup(const std::array<std::pair<std::string_view, E>, N>& table,
                        std::string_view s) {
    for (const auto& [name, value] : table) {
        if (name == s)
            return value;
    }
    return std::nullopt;
}

template <typename E, std::size_t N>
const char* nameOf(const std::array<std::pair<std::string_view, E>, N>& table, E v) {
    for (const auto& [name, value] : table) {
        if (value == v)
            return name.data();
    }
    return "?";
}

constexpr std::array<std::pair<std::string_view, DefaultAction>, 2> kDefaults{{
    {"allow", DefaultAction::Allow},
    {"deny", DefaultAction::Deny},
}};
constexpr std::array<std::pair<std::string_view, RuleAction>, 3> kActions{{
    {"allow", RuleAction::Allow},
    {"deny", RuleAction::Deny},
    {"approve", RuleAction::Approve},
}};
constexpr std::array<std::pair<std::string_view, LimitWindow>, 4> kWindows{{
    {"second", LimitWindow::Second},
    {"minute", LimitWindow::Minute},
    {"hour", LimitWindow::Hour},
    {"day", LimitWindow::Day},
}};
constexpr std::array<std::pair<std::string_view, LimitScope>, 3> kScopes{{
    {"grant", LimitScope::Grant},
    {"session", LimitScope::Session},
    {"global", LimitScope::Global},
}};
constexpr std::array<std::pair<std::string_view, TimeoutAction>, 2> kTimeouts{{
    {"deny", TimeoutAction::Deny},
    {"allow", TimeoutAction::Allow},
}};
constexpr std::array<std::pair<std::string_view, ConditionOp>, 11> kOps{{
    {"eq", ConditionOp::Eq},
    {"neq", ConditionOp::Neq},
    {"in", ConditionOp::In},
    {"not_in", ConditionOp::NotIn},
    {"lt", ConditionOp::Lt},
    {"lte", ConditionOp::Lte},
    {"gt", ConditionOp::Gt},
    {"gte", ConditionOp::Gte},
    {"regex", ConditionOp::Regex},
    {"contains", ConditionOp::Contains},
    {"exists", ConditionOp::Exists},
}};

} // namespace

bool PolicySection::hides(const std::string& tool) const {
    if (!hide)
        return false;
    return std::any_of(hide->begin(), hide->end(),
                       [&](const std::string& h) { return h == "*" || h == tool; });
}

const ToolRule* PolicySection::rule(const std::string& tool) const {
    auto it = tools.find(tool);
    return it == tools.end() ? nullptr : &it->second;
}

std::vector<std::string> Policy::extensionsUsed() const {
    bool action = false, approveIf = false, approval = false, reason = false;
    auto scan = [&](const PolicySection& s) {
        for (const auto& [name, rule] : s.tools) {
            action = action || rule.action.has_value();
            approveIf = approveIf || rule.approveIf.has_value();
            approval = approval || rule.approval.has_value();
            reason = reason || rule.reason.has_value();
        }
    };
    scan(top);
    for (const auto& [key, section] : servers)
        scan(section);
    std::vector<std::string> out;
    if (action)
        out.emplace_back("action");
    if (approveIf)
        out.emplace_back("approve_if");
    if (approval)
        out.emplace_back("approval");
    if (reason)
        out.emplace_back("reason");
    if (hasServers)
        out.emplace_back("servers");
    return out;
}

const char* toString(DefaultAction v) {
    return nameOf(kDefaults, v);
}
const char* toString(RuleAction v) {
    return nameOf(kActions, v);
}
const char* toString(LimitWindow v) {
    return nameOf(kWindows, v);
}
const char* toString(LimitScope v) {
    return nameOf(kScopes, v);
}
const char* toString(TimeoutAction v) {
    return nameOf(kTimeouts, v);
}
const char* toString(ConditionOp v) {
    return nameOf(kOps, v);
}

std::optional<DefaultAction> defaultActionFromString(std::string_view s) {
    return lookup(kDefaults, s);
}
std::optional<RuleAction> ruleActionFromString(std::string_view s) {
    return lookup(kActions, s);
}
std::optional<LimitWindow> limitWindowFromString(std::string_view s) {
    return lookup(kWindows, s);
}
std::optional<LimitScope> limitScopeFromString(std::string_view s) {
    return lookup(kScopes, s);
}
std::optional<TimeoutAction> timeoutActionFromString(std::string_view s) {
    return lookup(kTimeouts, s);
}
std::optional<ConditionOp> conditionOpFromString(std::string_view s) {
    return lookup(kOps, s);
}

std::int64_t windowMillis(LimitWindow w) {
    switch (w) {
    case LimitWindow::Second:
        return 1000;
    case LimitWindow::Minute:
        return 60'000;
    case LimitWindow::Hour:
        return 3'600'000;
    case LimitWindow::Day:
        return 86'400'000;
    }
    return 60'000;
}

} // namespace portcullis
