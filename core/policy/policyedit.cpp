#include "policy/policyedit.h"

#include "policy/condition.h"
#include "policy/policyengine.h"
#include "policy/policyio.h"

#include <QRegularExpression>
#include <QString>

#include <algorithm>
#include <set>
#include <utility>

namespace portcullis::PolicyEdit {

using nlohmann::json;

namespace {

// The loader's bounds (policyio.cpp); an edit outside them would save a file that cannot load.
constexpr std::int64_t kMaxLimit = 1'000'000'000;
constexpr int kMaxTimeoutS = 86'400;

PolicySection* sectionOf(Policy& policy, const std::string& server) {
    auto it = server.empty() ? policy.servers.end() : policy.servers.find(server);
    return it == policy.servers.end() ? nullptr : &it->second;
}

const PolicySection* sectionOf(const Policy& policy, const std::string& server) {
    auto it = server.empty() ? policy.servers.end() : policy.servers.find(server);
    return it == policy.servers.end() ? nullptr : &it->second;
}

bool inSection(const Policy& policy, const ToolRef& ref) {
    const PolicySection* section = sectionOf(policy, ref.server);
    return section && section->rule(ref.tool);
}

// Where edits of this tool go: see "Addressing" in the header.
PolicySection& target(Policy& policy, const ToolRef& ref) {
    return inSection(policy, ref) ? *sectionOf(policy, ref.server) : policy.top;
}

std::string rulePath(const Policy& policy, const ToolRef& ref) {
    const std::string base = inSection(policy, ref) ? "servers." + ref.server + '.' : "";
    return base + "tools." + ref.tool;
}

bool hidesEverything(const std::optional<std::vector<std::string>>& hide) {
    return hide && std::find(hide->begin(), hide->end(), "*") != hide->end();
}

void removeName(std::optional<std::vector<std::string>>& hide, const std::string& tool) {
    if (!hide)
        return;
    // An emptied list goes away with the entry that was in it rather than leaving "hide": [].
    if (std::erase(*hide, tool) > 0 && hide->empty())
        hide.reset();
}

// Shows a tool hidden by name. A "*" cannot be narrowed to "all but this one", so it refuses.
std::string unhide(Policy& policy, const ToolRef& ref) {
    PolicySection* section = sectionOf(policy, ref.server);
    if (hidesEverything(policy.top.hide))
        return "hide: \"*\" hides every tool; remove it before showing " + ref.tool;
    if (section && hidesEverything(section->hide))
        return "servers." + ref.server + ".hide: \"*\" hides every tool of " + ref.server +
               "; remove it before showing " + ref.tool;
    removeName(policy.top.hide, ref.tool);
    if (section)
        removeName(section->hide, ref.tool);
    return {};
}

void hide(Policy& policy, const ToolRef& ref) {
    if (PolicyEngine::isHidden(policy, ref.server, ref.tool))
        return;
    PolicySection& section = target(policy, ref);
    if (!section.hide)
        section.hide.emplace();
    section.hide->push_back(ref.tool);
}

// The tool's rule where edits go, created when missing. keepDenied: a tool that only the
// default denies gets an explicit deny, so the new rule does not let it through.
ToolRule& ensureRule(Policy& policy, const ToolRef& ref, bool keepDenied) {
    const bool denied =
        keepDenied && !ruleOf(policy, ref) && defaultFor(policy, ref.server) == DefaultAction::Deny;
    auto [it, created] = target(policy, ref).tools.try_emplace(ref.tool);
    if (created && denied)
        it->second.action = RuleAction::Deny;
    return it->second;
}

// Whether an empty rule at the tool's address can go without letting any call through that
// it would have stopped: only when a default of allow takes its place everywhere it applies.
bool emptyRuleRedundant(const Policy& policy, const ToolRef& ref) {
    if (inSection(policy, ref))
        return !policy.top.rule(ref.tool) && defaultFor(policy, ref.server) == DefaultAction::Allow;
    if (policy.defaultAction() != DefaultAction::Allow)
        return false;
    return std::none_of(policy.servers.begin(), policy.servers.end(), [&](const auto& entry) {
        const PolicySection& s = entry.second;
        return !s.rule(ref.tool) && s.defaultAction == DefaultAction::Deny;
    });
}

void dropIfEmpty(Policy& policy, const ToolRef& ref) {
    const ToolRule* rule = ruleOf(policy, ref);
    if (rule && *rule == ToolRule{} && emptyRuleRedundant(policy, ref))
        target(policy, ref).tools.erase(ref.tool);
}

// A server section with nothing in it says nothing; "servers": {} would still count as an
// extension when the policy is exported.
void dropEmptySection(Policy& policy, const std::string& server) {
    auto it = policy.servers.find(server);
    if (it == policy.servers.end() || !(it->second == PolicySection{}))
        return;
    policy.servers.erase(it);
    policy.hasServers = !policy.servers.empty();
}

// The safety net behind "every policy returned is valid": the file the policy saves as must
// load back without an error. Cheap next to a click, and it catches what the checks above miss.
EditResult finish(Policy policy) {
    // Written with rules, these keys load back as present.
    policy.top.hasTools = policy.top.hasTools || !policy.top.tools.empty();
    for (auto& [key, section] : policy.servers)
        section.hasTools = section.hasTools || !section.tools.empty();
    policy.hasServers = policy.hasServers || !policy.servers.empty();
    EditResult result;
    std::string text;
    try {
        text = PolicyIo::serialize(policy);
    } catch (const json::exception& e) {
        result.problem = std::string("cannot be written as JSON: ") + e.what();
        return result;
    }
    const PolicyLoadResult loaded = PolicyIo::parse(text);
    for (const PolicyProblem& p : loaded.problems) {
        if (p.isError()) {
            result.problem = p.path.empty() ? p.message : p.path + ": " + p.message;
            return result;
        }
    }
    // What runs must be what the saved file says.
    if (!(*loaded.policy == policy)) {
        result.problem = "the edited policy would not load back as it is";
        return result;
    }
    result.policy = std::move(policy);
    return result;
}

EditResult refuse(std::string problem) {
    EditResult result;
    result.problem = std::move(problem);
    return result;
}

// A brace-initialised json is null, not {}: a caller's ApprovalSettings{600, ..., {}} must not
// become a difference after saving and loading.
void objectIfNull(json& extensions) {
    if (extensions.is_null())
        extensions = json::object();
}

// --- Counters ----------------------------------------------------------------------------

void collectCounters(const std::optional<std::vector<Limit>>& limits, std::set<std::string>& out) {
    if (!limits)
        return;
    for (const Limit& l : *limits)
        out.insert(l.counter);
}

std::set<std::string> countersInUse(const Policy& policy) {
    std::set<std::string> used;
    auto scan = [&](const PolicySection& s) {
        collectCounters(s.allToolsLimits, used);
        for (const auto& [name, rule] : s.tools)
            collectCounters(rule.limits, used);
    };
    scan(policy.top);
    for (const auto& [key, section] : policy.servers)
        scan(section);
    return used;
}

std::string freshCounter(const std::string& primary, LimitWindow window,
                         std::set<std::string>& used) {
    std::string name = primary;
    if (used.count(name))
        name = primary + "_per_" + portcullis::toString(window);
    for (int n = 2; used.count(name); ++n)
        name = primary + '_' + std::to_string(n);
    used.insert(name);
    return name;
}

// Checks limits and names their empty counters. `used` holds the names taken elsewhere.
std::string prepareLimits(std::vector<Limit>& limits, const std::string& path,
                          const std::string& primary, std::set<std::string> used) {
    for (std::size_t i = 0; i < limits.size(); ++i) {
        if (limits[i].max < 1 || limits[i].max > kMaxLimit)
            return path + '[' + std::to_string(i) + "].max: expected a whole number from 1 to " +
                   std::to_string(kMaxLimit) + ", got " + std::to_string(limits[i].max);
    }
    for (Limit& l : limits) {
        objectIfNull(l.extensions);
        if (!l.counter.empty())
            used.insert(l.counter);
    }
    for (Limit& l : limits) {
        if (l.counter.empty())
            l.counter = freshCounter(primary, l.window, used);
    }
    return {};
}

// --- Shared steps of the tool edits ------------------------------------------------------

// Applies `change` to the tool's rule (created if needed without changing the tool's kind),
// then tidies and validates.
template <typename Change>
EditResult editRule(const Policy& in, const ToolRef& ref, Change&& change) {
    if (ref.tool.empty())
        return refuse("a tool name is needed");
    Policy policy = in;
    const std::string path = rulePath(policy, ref);
    const bool existed = target(policy, ref).rule(ref.tool);
    ToolRule& rule = ensureRule(policy, ref, true);
    const ToolRule fresh = rule;
    if (std::string problem = change(policy, rule, path); !problem.empty())
        return refuse(std::move(problem));
    // Clearing something a tool never had must not leave a rule behind.
    if (!existed && rule == fresh)
        target(policy, ref).tools.erase(ref.tool);
    dropIfEmpty(policy, ref);
    return finish(std::move(policy));
}

std::string applyKind(Policy& policy, const ToolRef& ref, RuleKind kind) {
    if (ref.tool.empty())
        return "a tool name is needed";
    if (kind == RuleKind::Hide) {
        hide(policy, ref);
        return {};
    }
    if (std::string problem = unhide(policy, ref); !problem.empty())
        return problem;
    ToolRule& rule = ensureRule(policy, ref, false);
    switch (kind) {
    case RuleKind::Allow:
        rule.action.reset(); // allow is the absent action, which keeps the file plain PolicyLayer
        break;
    case RuleKind::Deny:
        rule.action = RuleAction::Deny;
        break;
    case RuleKind::NeedsApproval:
        rule.action = RuleAction::Approve;
        break;
    case RuleKind::Hide:
        break;
    }
    dropIfEmpty(policy, ref);
    return {};
}

// Gives the tool `limit`, replacing a limit of the same window and scope. `used` tracks the
// counter names taken so far, so tools in one bulk edit get different ones.
void giveLimit(ToolRule& rule, const std::string& tool, const Limit& limit,
               std::set<std::string>& used) {
    if (!rule.limits)
        rule.limits.emplace();
    for (Limit& l : *rule.limits) {
        if (l.window == limit.window && l.scope == limit.scope) {
            l.max = limit.max;
            if (!limit.counter.empty())
                l.counter = limit.counter;
            return;
        }
    }
    Limit added = limit;
    objectIfNull(added.extensions);
    if (added.counter.empty())
        added.counter = freshCounter(tool + "_rate", added.window, used);
    rule.limits->push_back(std::move(added));
}

std::optional<std::vector<Condition>>& listOf(ToolRule& rule, ConditionList list) {
    switch (list) {
    case ConditionList::Require:
        return rule.require;
    case ConditionList::DenyIf:
        return rule.denyIf;
    case ConditionList::ApproveIf:
        return rule.approveIf;
    }
    return rule.require;
}

// --- Summary -----------------------------------------------------------------------------

const char* windowShort(LimitWindow w) {
    switch (w) {
    case LimitWindow::Second:
        return "/s";
    case LimitWindow::Minute:
        return "/min";
    case LimitWindow::Hour:
        return "/h";
    case LimitWindow::Day:
        return "/day";
    }
    return "";
}

std::string limitsText(const std::vector<Limit>& limits) {
    std::string out;
    for (const Limit& l : limits) {
        if (!out.empty())
            out += ", ";
        out += std::to_string(l.max) + windowShort(l.window);
        if (l.scope == LimitScope::Session)
            out += " per session";
        else if (l.scope == LimitScope::Global)
            out += " global";
    }
    return out;
}

std::string conditionCount(std::size_t n) {
    return std::to_string(n) + (n == 1 ? " condition" : " conditions");
}

std::size_t sizeOf(const std::optional<std::vector<Condition>>& list) {
    return list ? list->size() : 0;
}

// --- Schema ------------------------------------------------------------------------------

void addType(std::vector<std::string>& types, const std::string& type) {
    if (!type.empty() && std::find(types.begin(), types.end(), type) == types.end())
        types.push_back(type);
}

const char* jsonTypeName(const json& v) {
    switch (v.type()) {
    case json::value_t::string:
        return "string";
    case json::value_t::boolean:
        return "boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
        return "integer";
    case json::value_t::number_float:
        return "number";
    case json::value_t::array:
        return "array";
    case json::value_t::object:
        return "object";
    case json::value_t::null:
        return "null";
    default:
        return "";
    }
}

// "type" as a string or list, and the types of anyOf/oneOf members (Pydantic writes
// Optional[str] as anyOf string, null); enum and const values wherever they appear.
void readTypes(const json& schema, std::vector<std::string>& types, json& values) {
    if (!schema.is_object())
        return;
    if (auto it = schema.find("enum"); it != schema.end() && it->is_array()) {
        for (const json& v : *it)
            values.push_back(v);
    }
    if (auto it = schema.find("const"); it != schema.end())
        values.push_back(*it);
    if (auto it = schema.find("type"); it != schema.end()) {
        if (it->is_string())
            addType(types, it->get<std::string>());
        else if (it->is_array()) {
            for (const json& t : *it) {
                if (t.is_string())
                    addType(types, t.get<std::string>());
            }
        }
    }
    for (const char* key : {"anyOf", "oneOf"}) {
        if (auto it = schema.find(key); it != schema.end() && it->is_array()) {
            for (const json& member : *it)
                readTypes(member, types, values);
        }
    }
}

bool pathSpellable(const std::string& name) {
    return !name.empty() && name.find_first_of(".[]") == std::string::npos;
}

bool listed(const json& schema, const char* key, const std::string& name) {
    auto it = schema.find(key);
    return it != schema.end() && it->is_array() &&
           std::find(it->begin(), it->end(), json(name)) != it->end();
}

ArgumentChoice choiceFor(const std::string& path, const json& property, bool required) {
    ArgumentChoice c;
    c.path = path;
    c.required = required;
    readTypes(property, c.types, c.values);
    if (c.types.empty()) { // {"enum": ["fast", "safe"]} says its type through its values
        for (const json& v : c.values)
            addType(c.types, jsonTypeName(v));
    }
    if (property.is_object()) {
        if (auto it = property.find("description"); it != property.end() && it->is_string())
            c.description = it->get<std::string>();
    }
    return c;
}

const json* propertiesOf(const json& schema) {
    if (!schema.is_object())
        return nullptr;
    auto it = schema.find("properties");
    return it != schema.end() && it->is_object() ? &*it : nullptr;
}

unsigned bit(ConditionOp op) {
    return 1u << static_cast<unsigned>(op);
}

unsigned opsForType(const std::string& type) {
    using O = ConditionOp;
    if (type == "string")
        return bit(O::Eq) | bit(O::Neq) | bit(O::In) | bit(O::NotIn) | bit(O::Regex) |
               bit(O::Contains) | bit(O::Exists);
    if (type == "integer" || type == "number")
        return bit(O::Eq) | bit(O::Neq) | bit(O::In) | bit(O::NotIn) | bit(O::Lt) | bit(O::Lte) |
               bit(O::Gt) | bit(O::Gte) | bit(O::Exists);
    if (type == "boolean" || type == "null")
        return bit(O::Eq) | bit(O::Neq) | bit(O::Exists);
    if (type == "array")
        return bit(O::Contains) | bit(O::Exists);
    if (type == "object")
        return bit(O::Exists);
    return ~0u; // a type we do not know: anything may hold
}

constexpr ConditionOp kAllOps[] = {
    ConditionOp::Eq,    ConditionOp::Neq,      ConditionOp::In,     ConditionOp::NotIn,
    ConditionOp::Lt,    ConditionOp::Lte,      ConditionOp::Gt,     ConditionOp::Gte,
    ConditionOp::Regex, ConditionOp::Contains, ConditionOp::Exists,
};

} // namespace

const char* toString(RuleKind kind) {
    switch (kind) {
    case RuleKind::Allow:
        return "allow";
    case RuleKind::Deny:
        return "deny";
    case RuleKind::Hide:
        return "hide";
    case RuleKind::NeedsApproval:
        return "approve";
    }
    return "?";
}

const char* toString(ConditionList list) {
    switch (list) {
    case ConditionList::Require:
        return "require";
    case ConditionList::DenyIf:
        return "deny_if";
    case ConditionList::ApproveIf:
        return "approve_if";
    }
    return "?";
}

const ToolRule* ruleOf(const Policy& policy, const ToolRef& ref) {
    if (const PolicySection* section = sectionOf(policy, ref.server)) {
        if (const ToolRule* rule = section->rule(ref.tool))
            return rule;
    }
    return policy.top.rule(ref.tool);
}

DefaultAction defaultFor(const Policy& policy, const std::string& server) {
    const PolicySection* section = sectionOf(policy, server);
    if (section && section->defaultAction)
        return *section->defaultAction;
    return policy.defaultAction();
}

RuleKind kindOf(const Policy& policy, const ToolRef& ref) {
    if (PolicyEngine::isHidden(policy, ref.server, ref.tool))
        return RuleKind::Hide;
    const ToolRule* rule = ruleOf(policy, ref);
    if (!rule)
        return defaultFor(policy, ref.server) == DefaultAction::Allow ? RuleKind::Allow
                                                                      : RuleKind::Deny;
    switch (rule->effectiveAction()) {
    case RuleAction::Allow:
        return RuleKind::Allow;
    case RuleAction::Deny:
        return RuleKind::Deny;
    case RuleAction::Approve:
        return RuleKind::NeedsApproval;
    }
    return RuleKind::Deny;
}

std::string ruleSummary(const Policy& policy, const ToolRef& ref) {
    if (PolicyEngine::isHidden(policy, ref.server, ref.tool))
        return "hidden";
    const ToolRule* rule = ruleOf(policy, ref);
    if (!rule)
        return defaultFor(policy, ref.server) == DefaultAction::Allow ? "default allow"
                                                                      : "default deny";
    if (rule->effectiveAction() == RuleAction::Deny)
        return "denied";

    std::vector<std::string> parts;
    if (const std::size_t n = sizeOf(rule->require) + sizeOf(rule->denyIf); n > 0)
        parts.push_back("denied if " + conditionCount(n));
    if (rule->effectiveAction() == RuleAction::Approve)
        parts.emplace_back("needs approval");
    else if (const std::size_t n = sizeOf(rule->approveIf); n > 0)
        parts.push_back("needs approval if " + conditionCount(n));
    if (parts.empty())
        parts.emplace_back("allow");
    if (rule->limits && !rule->limits->empty())
        parts.push_back(limitsText(*rule->limits));

    std::string out;
    for (const std::string& part : parts)
        out += (out.empty() ? "" : " · ") + part;
    return out;
}

EditResult setKind(const Policy& policy, const ToolRef& ref, RuleKind kind) {
    return setKind(policy, std::vector<ToolRef>{ref}, kind);
}

EditResult setKind(const Policy& in, const std::vector<ToolRef>& refs, RuleKind kind) {
    Policy policy = in;
    for (const ToolRef& ref : refs) {
        if (std::string problem = applyKind(policy, ref, kind); !problem.empty())
            return refuse(std::move(problem));
    }
    return finish(std::move(policy));
}

EditResult setLimits(const Policy& in, const ToolRef& ref, std::vector<Limit> limits) {
    return editRule(in, ref, [&](Policy& policy, ToolRule& rule, const std::string& path) {
        rule.limits.reset(); // its old names are free again
        if (std::string problem =
                prepareLimits(limits, path + ".limits", ref.tool + "_rate", countersInUse(policy));
            !problem.empty())
            return problem;
        if (!limits.empty())
            rule.limits = std::move(limits);
        return std::string();
    });
}

std::string conditionProblem(const Condition& c) {
    if (!parseArgumentPath(c.path))
        return "path: expected a path into the call's arguments like \"args.name\" or "
               "\"args.items[0].id\", got \"" +
               c.path + '"';
    const std::string op = std::string("\"") + portcullis::toString(c.op) + '"';
    switch (c.op) {
    case ConditionOp::In:
    case ConditionOp::NotIn:
        if (!c.value.is_array())
            return "value: " + op + " needs a list of values";
        break;
    case ConditionOp::Lt:
    case ConditionOp::Lte:
    case ConditionOp::Gt:
    case ConditionOp::Gte:
        if (!c.value.is_number())
            return "value: " + op + " needs a number";
        break;
    case ConditionOp::Exists:
        if (!c.value.is_boolean())
            return "value: " + op + " needs true or false";
        break;
    case ConditionOp::Regex: {
        if (!c.value.is_string())
            return "value: " + op + " needs a pattern";
        const QRegularExpression re(QString::fromStdString(c.value.get<std::string>()));
        if (!re.isValid())
            return "value: invalid regular expression: " + re.errorString().toStdString() +
                   " at offset " + std::to_string(re.patternErrorOffset());
        break;
    }
    case ConditionOp::Eq:
    case ConditionOp::Neq:
    case ConditionOp::Contains:
        break;
    }
    // A NaN or infinity is written as null, so the saved policy would test something else.
    try {
        if (json::parse(c.value.dump()) != c.value)
            return "value: cannot be saved as JSON unchanged";
    } catch (const json::exception& e) {
        return std::string("value: cannot be saved as JSON: ") + e.what();
    }
    return {};
}

EditResult setConditions(const Policy& in, const ToolRef& ref, ConditionList list,
                         std::vector<Condition> conditions) {
    return editRule(in, ref, [&](Policy&, ToolRule& rule, const std::string& path) {
        for (std::size_t i = 0; i < conditions.size(); ++i) {
            Condition& c = conditions[i];
            if (std::string problem = conditionProblem(c); !problem.empty())
                return path + '.' + toString(list) + '[' + std::to_string(i) + "]." + problem;
            objectIfNull(c.extensions);
            // What the engine reads: the parsed path and the compiled pattern.
            c.steps = *parseArgumentPath(c.path);
            c.regex.reset();
            if (c.op == ConditionOp::Regex)
                c.regex = std::make_shared<const QRegularExpression>(
                    QString::fromStdString(c.value.get<std::string>()));
        }
        auto& slot = listOf(rule, list);
        if (conditions.empty())
            slot.reset();
        else
            slot = std::move(conditions);
        return std::string();
    });
}

EditResult setApproval(const Policy& in, const ToolRef& ref,
                       std::optional<ApprovalSettings> approval) {
    return editRule(in, ref, [&](Policy&, ToolRule& rule, const std::string& path) {
        if (approval && (approval->timeoutS < 1 || approval->timeoutS > kMaxTimeoutS))
            return path + ".approval.timeout_s: expected whole seconds from 1 to " +
                   std::to_string(kMaxTimeoutS) + ", got " + std::to_string(approval->timeoutS);
        if (approval)
            objectIfNull(approval->extensions);
        rule.approval = std::move(approval);
        return std::string();
    });
}

EditResult setReason(const Policy& in, const ToolRef& ref, const std::string& reason) {
    return editRule(in, ref, [&](Policy&, ToolRule& rule, const std::string&) {
        if (reason.empty())
            rule.reason.reset();
        else
            rule.reason = reason;
        return std::string();
    });
}

EditResult removeRule(const Policy& in, const ToolRef& ref) {
    if (ref.tool.empty())
        return refuse("a tool name is needed");
    Policy policy = in;
    target(policy, ref).tools.erase(ref.tool);
    removeName(policy.top.hide, ref.tool);
    if (PolicySection* section = sectionOf(policy, ref.server))
        removeName(section->hide, ref.tool);
    return finish(std::move(policy));
}

EditResult setDefault(const Policy& in, const std::string& server,
                      std::optional<DefaultAction> defaultAction) {
    Policy policy = in;
    if (server.empty()) {
        if (!defaultAction)
            return refuse("default: a policy needs a default (allow or deny)");
        policy.top.defaultAction = defaultAction;
        return finish(std::move(policy));
    }
    if (!defaultAction && !sectionOf(policy, server))
        return finish(std::move(policy)); // nothing to remove
    policy.servers[server].defaultAction = defaultAction;
    dropEmptySection(policy, server);
    return finish(std::move(policy));
}

EditResult setAllToolsLimits(const Policy& in, const std::string& server,
                             std::vector<Limit> limits) {
    Policy policy = in;
    PolicySection* section = &policy.top;
    std::string path = "all_tools.limits";
    if (!server.empty()) {
        section = &policy.servers[server];
        path = "servers." + server + '.' + path;
    }
    section->allToolsLimits.reset(); // its old names are free again
    const std::string primary = server.empty() ? "all_calls" : server + "_all_calls";
    if (std::string problem = prepareLimits(limits, path, primary, countersInUse(policy));
        !problem.empty())
        return refuse(std::move(problem));
    // "all_tools" holding only "x-" keys still needs its (empty) limits to be written.
    if (!limits.empty() || !section->allToolsExtensions.empty())
        section->allToolsLimits = std::move(limits);
    if (!server.empty())
        dropEmptySection(policy, server);
    return finish(std::move(policy));
}

EditResult applyLimit(const Policy& in, const std::vector<ToolRef>& refs, const Limit& limit) {
    if (limit.max < 1 || limit.max > kMaxLimit)
        return refuse("limits.max: expected a whole number from 1 to " + std::to_string(kMaxLimit) +
                      ", got " + std::to_string(limit.max));
    Policy policy = in;
    std::set<std::string> used = countersInUse(policy);
    for (const ToolRef& ref : refs) {
        if (ref.tool.empty())
            return refuse("a tool name is needed");
        giveLimit(ensureRule(policy, ref, true), ref.tool, limit, used);
    }
    return finish(std::move(policy));
}

EditResult applyRecommendedRules(const Policy& in, const std::string& server,
                                 const std::vector<ClassifiedTool>& tools) {
    Policy policy = in;
    for (const ClassifiedTool& tool : tools) {
        const json& def = tool.definition;
        const auto name = def.is_object() ? def.find("name") : def.end();
        if (!def.is_object() || name == def.end() || !name->is_string() ||
            name->get<std::string>().empty())
            continue; // starterPolicy() skips such tools too
        const ToolRef ref{server, name->get<std::string>()};
        std::optional<ToolRule> recommended = recommendedRule(tool);
        if (!recommended) {
            hide(policy, ref); // where the old rule was, before it goes
            target(policy, ref).tools.erase(ref.tool);
            continue;
        }
        if (std::string problem = unhide(policy, ref); !problem.empty())
            return refuse(std::move(problem));
        ToolRule& rule = ensureRule(policy, ref, false);
        rule = ToolRule{};
        if (recommended->limits) {
            std::set<std::string> used = countersInUse(policy);
            for (Limit& l : *recommended->limits) {
                if (used.count(l.counter))
                    l.counter = freshCounter(ref.tool + "_rate", l.window, used);
                used.insert(l.counter);
            }
        }
        rule = std::move(*recommended);
        dropIfEmpty(policy, ref);
    }
    return finish(std::move(policy));
}

std::vector<ArgumentChoice> argumentsOf(const json& inputSchema) {
    std::vector<ArgumentChoice> out;
    const json* properties = propertiesOf(inputSchema);
    if (!properties)
        return out;
    for (const auto& [name, property] : properties->items()) {
        if (!pathSpellable(name))
            continue;
        const std::string path = "args." + name;
        out.push_back(choiceFor(path, property, listed(inputSchema, "required", name)));
        const json* nested = propertiesOf(property);
        if (!nested)
            continue;
        for (const auto& [inner, innerProperty] : nested->items()) {
            if (pathSpellable(inner))
                out.push_back(choiceFor(path + '.' + inner, innerProperty,
                                        listed(property, "required", inner)));
        }
    }
    return out;
}

std::vector<ConditionOp> operatorsFor(const ArgumentChoice& argument) {
    using O = ConditionOp;
    unsigned mask = 0;
    if (!argument.values.empty()) {
        mask = bit(O::Eq) | bit(O::Neq) | bit(O::In) | bit(O::NotIn) | bit(O::Exists);
        const bool strings = std::all_of(argument.values.begin(), argument.values.end(),
                                         [](const json& v) { return v.is_string(); });
        if (strings)
            mask |= bit(O::Regex);
    } else if (argument.types.empty()) {
        mask = ~0u;
    } else {
        for (const std::string& type : argument.types)
            mask |= opsForType(type);
    }
    std::vector<ConditionOp> out;
    for (ConditionOp op : kAllOps) {
        if (mask & bit(op))
            out.push_back(op);
    }
    return out;
}

} // namespace portcullis::PolicyEdit
