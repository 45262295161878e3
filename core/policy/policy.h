#pragma once

#include <QRegularExpression>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace portcullis {

// The in-memory form of policy.json (format v1, see policies/policy.schema.json).
// Every field keeps whether it was present, so a loaded policy saves back in the shape it came in
// and a policy without extensions stays a plain PolicyLayer policy.

enum class DefaultAction { Allow, Deny };
enum class RuleAction { Allow, Deny, Approve };
enum class LimitWindow { Second, Minute, Hour, Day };
enum class LimitScope { Grant, Session, Global };
enum class TimeoutAction { Deny, Allow };
enum class ConditionOp { Eq, Neq, In, NotIn, Lt, Lte, Gt, Gte, Regex, Contains, Exists };

// One step of an argument path: a key ("a" in args.a) or an index ([0] in args.a[0]).
struct PathStep {
    std::string key;
    std::int64_t index = -1; // >= 0 for an array index, -1 for a key
    bool operator==(const PathStep&) const = default;
};

struct Condition {
    std::string path;            // as written, e.g. "args.api_params.cluster[0]"
    std::vector<PathStep> steps; // parsed from path, without the leading "args"
    ConditionOp op = ConditionOp::Eq;
    nlohmann::json value;
    // Compiled once at load; shared so copies of a policy stay cheap.
    std::shared_ptr<const QRegularExpression> regex;
    nlohmann::json extensions = nlohmann::json::object(); // "x-*" keys, kept verbatim

    bool operator==(const Condition& o) const {
        return path == o.path && op == o.op && value == o.value && extensions == o.extensions;
    }
};

struct Limit {
    std::string counter;
    LimitWindow window = LimitWindow::Minute;
    std::int64_t max = 1;
    LimitScope scope = LimitScope::Grant;
    nlohmann::json extensions = nlohmann::json::object();
    bool operator==(const Limit&) const = default;
};

struct ApprovalSettings {
    int timeoutS = 50;
    TimeoutAction onTimeout = TimeoutAction::Deny;
    nlohmann::json extensions = nlohmann::json::object();
    bool operator==(const ApprovalSettings&) const = default;
};

struct ToolRule {
    std::optional<RuleAction> action;
    std::optional<std::string> reason;
    std::optional<std::vector<Condition>> require;
    std::optional<std::vector<Condition>> denyIf;
    std::optional<std::vector<Condition>> approveIf;
    std::optional<std::vector<Limit>> limits;
    std::optional<ApprovalSettings> approval;
    nlohmann::json extensions = nlohmann::json::object(); // "x-*" keys, kept verbatim

    RuleAction effectiveAction() const { return action.value_or(RuleAction::Allow); }
    bool operator==(const ToolRule&) const = default;
};

// The keys shared by the top level and a servers.KEY section.
struct PolicySection {
    std::optional<DefaultAction> defaultAction;
    std::optional<std::vector<std::string>> hide;
    std::optional<std::vector<Limit>> allToolsLimits;
    nlohmann::json allToolsExtensions = nlohmann::json::object();
    std::map<std::string, ToolRule> tools;
    bool hasTools = false;                                // "tools" key present, even if empty
    nlohmann::json extensions = nlohmann::json::object(); // at the top level: the file's own "x-*"

    bool hides(const std::string& tool) const;
    const ToolRule* rule(const std::string& tool) const;
    bool operator==(const PolicySection&) const = default;
};

struct Policy {
    std::string version = "1";
    std::optional<std::string> description;
    PolicySection top; // top.defaultAction is always set on a valid policy
    std::map<std::string, PolicySection> servers;
    bool hasServers = false;

    DefaultAction defaultAction() const { return top.defaultAction.value_or(DefaultAction::Deny); }

    // Extension keys in use ("action", "approve_if", "approval", "servers"), in a stable order;
    // empty means the policy is a plain PolicyLayer policy.
    std::vector<std::string> extensionsUsed() const;

    bool operator==(const Policy&) const = default;
};

using PolicySnapshot = std::shared_ptr<const Policy>;

// Names as written in policy.json.
const char* toString(DefaultAction v);
const char* toString(RuleAction v);
const char* toString(LimitWindow v);
const char* toString(LimitScope v);
const char* toString(TimeoutAction v);
const char* toString(ConditionOp v);
std::int64_t windowMillis(LimitWindow w);

std::optional<DefaultAction> defaultActionFromString(std::string_view s);
std::optional<RuleAction> ruleActionFromString(std::string_view s);
std::optional<LimitWindow> limitWindowFromString(std::string_view s);
std::optional<LimitScope> limitScopeFromString(std::string_view s);
std::optional<TimeoutAction> timeoutActionFromString(std::string_view s);
std::optional<ConditionOp> conditionOpFromString(std::string_view s);

} // namespace portcullis
