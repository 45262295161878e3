#pragma once

#include "policy/policy.h"
#include "risk/starterpolicy.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace portcullis {

// The edits the rule editor makes to a policy, as pure functions: each takes the current policy
// and returns a new one (or the reason it refused), so one call is one undoable step and the
// caller keeps both values. Every policy returned is valid: it serializes and loads back equal.
//
// Addressing: a tool is (server key, tool name). An edit changes the server's section
// (servers.KEY) when that section already has a rule for the tool, and the top level otherwise.
// A top-level rule or `hide` entry applies to every server's tool of that name, because that is
// what the format says; the editor only moves a tool into a section when the user made one.
//
// Fail closed: an edit that is not about the kind (limits, conditions, approval, reason) never
// changes what happens to the tool. Giving limits to a tool that is denied only by the default
// writes {"action":"deny", "limits": [...]}, because a bare rule would allow it. For the same
// reason an emptied rule is dropped only when the default then allows the tool anyway.
namespace PolicyEdit {

// The one choice the editor shows per tool, in the order the engine tests it.
enum class RuleKind { Allow, Deny, Hide, NeedsApproval };
const char* toString(RuleKind kind); // allow, deny, hide, approve

struct ToolRef {
    std::string server; // key in servers.json; empty when the tool belongs to no known server
    std::string tool;   // the upstream's own tool name
    bool operator==(const ToolRef&) const = default;
};

enum class ConditionList { Require, DenyIf, ApproveIf };
const char* toString(ConditionList list); // require, deny_if, approve_if

// The outcome of one edit: the new policy, or why nothing changed (a sentence that starts with
// the JSON path it is about, like the loader's problems).
struct EditResult {
    std::optional<Policy> policy;
    std::string problem;

    bool ok() const { return policy.has_value(); }
};

// --- Reading -------------------------------------------------------------------------------

// The rule the engine applies to the tool (its server section's, else the top level's), or
// nullptr when the default decides.
const ToolRule* ruleOf(const Policy& policy, const ToolRef& ref);
DefaultAction defaultFor(const Policy& policy, const std::string& server);

// Hide when hidden (by name or "*", top level or server section); otherwise the rule's action,
// or the default when there is no rule. Conditions do not change the kind.
RuleKind kindOf(const Policy& policy, const ToolRef& ref);

// The catalog's rule column: what happens to a call, shortest first.
//
//   hidden                                   hidden by name or "*"
//   default deny / default allow             no rule; the (section's) default decides
//   denied                                   "action": "deny" (nothing else matters then)
//   allow                                    a rule with nothing that restricts
//   needs approval                           "action": "approve"
//   denied if 1 condition                    require + deny_if count
//   needs approval if 2 conditions           approve_if count (action allow)
//   denied if 1 condition · needs approval if 1 condition    both kinds of conditions
//   allow · 30/min, 1000/day                 limits follow "·" whatever came first
//   needs approval · 5/h per session         a scope other than the default grant is named
//
// Windows read /s, /min, /h, /day; scopes "per session" and "global". all_tools limits are
// left out: they are the same on every row.
std::string ruleSummary(const Policy& policy, const ToolRef& ref);

// --- Editing one tool ----------------------------------------------------------------------

// Hide adds the name to `hide` and leaves any rule as it is, so hiding and showing again gives
// the old rule back. The other kinds remove the name from `hide` (top level and the server's
// section; refused when "*" hides everything) and set "action": Allow removes the key, Deny and
// NeedsApproval write "deny" / "approve". Allow drops a rule left empty when the default
// allows the tool anyway; limits, conditions and the reason are kept for every kind.
EditResult setKind(const Policy& policy, const ToolRef& ref, RuleKind kind);

// Replaces the tool's limits (an empty list removes the key). An empty counter gets a name of
// its own: "<tool>_rate", else "<tool>_rate_per_<window>", else "<tool>_rate_<n>". A name the
// user typed is kept, even when another rule uses it: equal names share one count on purpose.
EditResult setLimits(const Policy& policy, const ToolRef& ref, std::vector<Limit> limits);

// Replaces one list of conditions (an empty list removes the key). Refused, with the first
// problem, when a path or a value is invalid; see conditionProblem().
EditResult setConditions(const Policy& policy, const ToolRef& ref, ConditionList list,
                         std::vector<Condition> conditions);

// std::nullopt removes "approval" (the engine then waits 50 s and denies).
EditResult setApproval(const Policy& policy, const ToolRef& ref,
                       std::optional<ApprovalSettings> approval);

// An empty text removes "reason".
EditResult setReason(const Policy& policy, const ToolRef& ref, const std::string& reason);

// The tool goes back to the default: its rule is removed (where the addressing finds it) and
// its name leaves `hide`. When the removed rule was a server section's, a top-level rule of the
// same name applies again.
EditResult removeRule(const Policy& policy, const ToolRef& ref);

// --- Policy-wide ---------------------------------------------------------------------------

// server empty: the top level, where std::nullopt is refused ("default" is required).
// Otherwise servers.KEY, created when missing; std::nullopt there removes the section's own
// default so the top level's applies, and a section left empty is removed.
EditResult setDefault(const Policy& policy, const std::string& server,
                      std::optional<DefaultAction> defaultAction);

// all_tools.limits of the top level (server empty) or of servers.KEY. Empty counters are
// named "all_calls" (or "<server>_all_calls"), made unique as for setLimits.
EditResult setAllToolsLimits(const Policy& policy, const std::string& server,
                             std::vector<Limit> limits);

// --- Many tools at once (one undoable step; all or nothing) --------------------------------

EditResult setKind(const Policy& policy, const std::vector<ToolRef>& refs, RuleKind kind);

// Gives each tool `limit`: a limit it already has with the same window and scope takes the new
// max (and keeps its counter, so calls already counted still count); otherwise it is added.
// An empty counter gets a name per tool, so tools do not share a count unless asked to.
EditResult applyLimit(const Policy& policy, const std::vector<ToolRef>& refs, const Limit& limit);

// The classifier's recommended rule (recommendedRule()) for each tool of one server, replacing
// the rule it had; a Destructive tool loses its rule and is hidden. Applied to every tool of a
// default-deny policy this gives starterPolicy()'s rules and hide list. A recommended counter
// name already used by another rule is made unique.
EditResult applyRecommendedRules(const Policy& policy, const std::string& server,
                                 const std::vector<ClassifiedTool>& tools);

// --- Building conditions -------------------------------------------------------------------

// Empty when the condition can be enforced; otherwise what is wrong with it, for the field
// that holds it ("path: ..." or "value: ..."). The same checks as loading a policy.
std::string conditionProblem(const Condition& condition);

// An argument a condition can test, read from a tool's inputSchema.
struct ArgumentChoice {
    std::string path;               // "args.cluster", or "args.api_params.cluster" one level down
    std::vector<std::string> types; // JSON Schema types ("string", "integer", "null", ...), from
                                    // "type" or anyOf/oneOf; empty when the schema does not say
    nlohmann::json values = nlohmann::json::array(); // "enum" / "const" values, for a dropdown
    std::string description;
    bool required = false;
    bool operator==(const ArgumentChoice&) const = default;
};

// Top-level properties in key order (nlohmann::json keeps keys sorted), each followed by its own
// properties when it is an object that lists them. Names a path cannot spell (with ".", "[" or "]")
// are left out.
std::vector<ArgumentChoice> argumentsOf(const nlohmann::json& inputSchema);

// The operators that can hold for such an argument, in ConditionOp order (see condition.h):
// strings eq neq in not_in regex contains exists; numbers eq neq in not_in lt lte gt gte exists;
// booleans and null eq neq exists; arrays contains exists; objects exists. Enum values limit a
// choice to eq neq in not_in exists, plus regex for strings (one pattern such as "^Delete"
// covers many members, and the recommended rules use it). A union of types gets the union; an
// argument of unknown type gets every operator.
std::vector<ConditionOp> operatorsFor(const ArgumentChoice& argument);

} // namespace PolicyEdit

} // namespace portcullis
