#include "risk/starterpolicy.h"

#include "risk/riskevidence.h"

#include <QRegularExpression>
#include <QString>

#include <algorithm>
#include <memory>

namespace portcullis {

namespace {

// Leading verbs of API operation names (CreateCluster, RunTask, put_item) that change
// something. Case-insensitive because many servers accept "createCluster" or "create_cluster"
// as readily as "CreateCluster", and a call that slips past approval is the worse mistake.
constexpr const char* kWritePrefixes =
    "(?i)^(Create|Update|Put|Post|Patch|Delete|Remove|Run|Start|Stop|Reboot|Terminate|Register|"
    "Deregister|Tag|Untag|Modify|Attach|Detach|Associate|Disassociate|Execute|Invoke|Submit|"
    "Send|Set|Add|Enable|Disable|Reset|Restore|Cancel|Revoke|Grant)";

Limit perMinute(const std::string& tool, std::int64_t max) {
    return Limit{tool + "_rate", LimitWindow::Minute, max, LimitScope::Grant};
}

// Argument names with dots or brackets would be read back as a deeper path, and a path that
// never exists would deny every call, so such arguments are not required.
bool plainArgument(const std::string& name) {
    return !name.empty() && name.find_first_of(".[]") == std::string::npos;
}

Condition argumentExists(const std::string& argument) {
    Condition c;
    c.path = "args." + argument;
    c.steps = {PathStep{argument, -1}};
    c.op = ConditionOp::Exists;
    c.value = true;
    return c;
}

Condition argumentMatches(const std::string& argument, const std::string& pattern) {
    Condition c;
    c.path = "args." + argument;
    c.steps = {PathStep{argument, -1}};
    c.op = ConditionOp::Regex;
    c.value = pattern;
    c.regex = std::make_shared<const QRegularExpression>(QString::fromStdString(pattern));
    return c;
}

// "^(Create|Delete)" from the write verbs an operation enum actually uses.
std::string enumPattern(const std::vector<std::string>& verbs) {
    std::string alternatives;
    for (const std::string& v : verbs) {
        if (!alternatives.empty())
            alternatives += '|';
        alternatives += QRegularExpression::escape(QString::fromStdString(v)).toStdString();
    }
    return "^(" + alternatives + ")";
}

ToolRule executeRule(const std::string& name, const nlohmann::json& definition) {
    const nlohmann::json schema = definition.is_object()
                                      ? definition.value("inputSchema", nlohmann::json())
                                      : nlohmann::json();
    const SchemaEvidence ev = analyseSchema(schema);

    ToolRule rule;
    rule.limits = std::vector<Limit>{perMinute(name, 10)};
    std::vector<Condition> require;
    for (const std::string& arg : ev.required) {
        if (plainArgument(arg))
            require.push_back(argumentExists(arg));
    }
    if (!require.empty())
        rule.require = std::move(require);

    // Approval for the writes only when we can tell them apart; otherwise for every call.
    const auto& sel = ev.selector;
    const bool screenable = sel && plainArgument(sel->property) && !sel->unknownMembers &&
                            (!sel->hasEnum || !sel->writeVerbs.empty());
    if (screenable) {
        const std::string pattern = sel->hasEnum ? enumPattern(sel->writeVerbs) : kWritePrefixes;
        rule.approveIf = std::vector<Condition>{argumentMatches(sel->property, pattern)};
    } else {
        rule.action = RuleAction::Approve;
    }
    return rule;
}

} // namespace

std::optional<ToolRule> recommendedRule(const ClassifiedTool& tool) {
    const std::string name = stringMember(tool.definition, "name");
    ToolRule rule;
    switch (tool.assessment.category) {
    case RiskCategory::Read:
        return rule; // listed, so allowed under default deny
    case RiskCategory::Write:
        rule.limits = std::vector<Limit>{perMinute(name, 30)};
        return rule;
    case RiskCategory::Execute:
        return executeRule(name, tool.definition);
    case RiskCategory::Destructive:
        return std::nullopt;
    case RiskCategory::Financial:
        rule.action = RuleAction::Approve;
        return rule;
    case RiskCategory::Other:
        rule.limits = std::vector<Limit>{perMinute(name, 60)};
        return rule;
    }
    return std::nullopt;
}

Policy starterPolicy(const std::vector<ClassifiedTool>& tools) {
    Policy policy; // version "1" by default
    policy.top.defaultAction = DefaultAction::Deny;
    policy.top.hasTools = true;
    std::vector<std::string> hidden;
    for (const ClassifiedTool& tool : tools) {
        const std::string name = stringMember(tool.definition, "name");
        if (name.empty())
            continue;
        if (auto rule = recommendedRule(tool))
            policy.top.tools.emplace(name, std::move(*rule));
        else if (std::find(hidden.begin(), hidden.end(), name) == hidden.end())
            hidden.push_back(name);
    }
    if (!hidden.empty())
        policy.top.hide = std::move(hidden);
    return policy;
}

} // namespace portcullis
