#include "risk/namewords.h"
#include "risk/riskevidence.h"
#include "risk/verbphrase.h"

#include <array>

namespace portcullis {

namespace {

// Schemas come from servers we do not control; a real one nests anyOf a level or two, a hostile
// one could nest it until the stack runs out.
constexpr int kMaxDepth = 4;

std::vector<const nlohmann::json*> alternatives(const nlohmann::json& def) {
    std::vector<const nlohmann::json*> out;
    for (const char* key : {"anyOf", "oneOf"}) {
        if (auto it = def.find(key); it != def.end() && it->is_array()) {
            for (const auto& branch : *it)
                out.push_back(&branch);
        }
    }
    return out;
}

bool hasType(const nlohmann::json& def, std::string_view type, int depth = 0) {
    if (!def.is_object() || depth > kMaxDepth)
        return false;
    if (auto it = def.find("type"); it != def.end()) {
        if (it->is_string() && it->get<std::string>() == type)
            return true;
        if (it->is_array()) {
            for (const auto& t : *it) {
                if (t.is_string() && t.get<std::string>() == type)
                    return true;
            }
        }
    }
    for (const nlohmann::json* branch : alternatives(def)) {
        if (hasType(*branch, type, depth + 1))
            return true;
    }
    return false;
}

// Members of an "enum", or of a oneOf of "const"s (how some generators write a Literal).
std::vector<std::string> enumStrings(const nlohmann::json& def, int depth = 0) {
    std::vector<std::string> out;
    if (!def.is_object() || depth > kMaxDepth)
        return out;
    if (auto it = def.find("enum"); it != def.end() && it->is_array()) {
        for (const auto& v : *it) {
            if (v.is_string())
                out.push_back(v.get<std::string>());
        }
    }
    if (auto it = def.find("const"); it != def.end() && it->is_string())
        out.push_back(it->get<std::string>());
    for (const nlohmann::json* branch : alternatives(def)) {
        auto more = enumStrings(*branch, depth + 1);
        out.insert(out.end(), more.begin(), more.end());
    }
    return out;
}

// An enum-valued argument whose members are operations: classify each member like a name.
std::optional<Clue> readSelectorEnum(const std::string& property,
                                     const std::vector<std::string>& members,
                                     OperationSelector& selector) {
    std::string firstChange;
    bool anyRead = false;
    for (const std::string& m : members) {
        const NameEvidence member = analyseName(m);
        if (!member.verb) {
            selector.unknownMembers = true;
            continue;
        }
        if (member.verb->category == RiskCategory::Read) {
            anyRead = true;
            continue;
        }
        if (firstChange.empty())
            firstChange = m;
        // The verb as the member spells it ("Create", "create"), so the approval regex
        // matches the server's own casing; a member whose verb is not in front goes whole.
        const std::string& lead = member.words.front();
        std::string prefix =
            lowerAscii(m.substr(0, lead.size())) == lead && lookupVerb(lead, VerbForms::Name)
                ? m.substr(0, lead.size())
                : m;
        if (!oneOf(prefix, selector.writeVerbs))
            selector.writeVerbs.push_back(std::move(prefix));
    }
    if (!firstChange.empty())
        return Clue{.kind = ClueKind::OperationList,
                    .category = RiskCategory::Execute,
                    .weight = 0.75,
                    .says = "its " + inQuotes(property) +
                            " argument picks operations, writes included (e.g. " + firstChange +
                            ")"};
    if (anyRead && !selector.unknownMembers)
        return Clue{.kind = ClueKind::OperationList,
                    .category = RiskCategory::Read,
                    .weight = 0.55,
                    .says = "its " + inQuotes(property) + " argument only picks read operations"};
    return std::nullopt;
}

bool isConfirmFlag(const std::vector<std::string>& words) {
    constexpr auto confirmWords = std::to_array<std::string_view>(
        {"confirm", "confirmed", "confirmation", "acknowledge", "acknowledged", "force"});
    return anyOf(words, confirmWords) ||
           (words.size() == 2 && words[0] == "dry" && words[1] == "run") ||
           (words.size() == 1 && words[0] == "dryrun");
}

} // namespace

SchemaEvidence analyseSchema(const nlohmann::json& inputSchema) {
    SchemaEvidence ev;
    if (!inputSchema.is_object())
        return ev;
    if (auto it = inputSchema.find("required"); it != inputSchema.end() && it->is_array()) {
        for (const auto& r : *it) {
            if (r.is_string())
                ev.required.push_back(r.get<std::string>());
        }
    }
    const auto props = inputSchema.find("properties");
    if (props == inputSchema.end() || !props->is_object())
        return ev;

    constexpr auto selectorWords = std::to_array<std::string_view>(
        {"operation", "operations", "action", "actions", "command", "method", "op", "verb"});
    constexpr auto commandWords =
        std::to_array<std::string_view>({"command", "cmd", "script", "shell", "commandline"});
    bool confirmSeen = false;
    bool freeCommandSeen = false;
    for (const auto& [key, def] : props->items()) {
        if (!def.is_object())
            continue;
        const std::vector<std::string> words = splitNameWords(key);
        const std::string about = lowerAscii(stringMember(def, "description"));
        if (hasType(def, "boolean") && isConfirmFlag(words) && !confirmSeen) {
            confirmSeen = true;
            // "confirmed" is the server admitting the call changes things; "force" and
            // "dry_run" say less, so they only settle a tool we could not read otherwise.
            const bool admitsChange =
                !anyOf(words, std::array<std::string_view, 3>{"force", "dry", "dryrun"});
            ev.clues.push_back(Clue{.kind = ClueKind::ConfirmFlag,
                                    .category = RiskCategory::Write,
                                    .weight = 0.45,
                                    .strongVerb = admitsChange,
                                    .says = "asks for a " + inQuotes(key) +
                                            " flag, so the server itself treats calls as changes"});
            continue;
        }
        const std::vector<std::string> members = enumStrings(def);
        if (!hasType(def, "string") && members.empty())
            continue;
        const bool selectorName = anyOf(words, selectorWords);
        const auto camelOps = std::count_if(members.begin(), members.end(), [](const auto& m) {
            return isCamelCase(m) && lookupVerb(splitNameWords(m).front(), VerbForms::Name);
        });
        if (!members.empty() && (selectorName || camelOps >= 2)) {
            OperationSelector sel{.property = key, .hasEnum = true};
            if (auto clue = readSelectorEnum(key, members, sel))
                ev.clues.push_back(std::move(*clue));
            if (!ev.selector || !ev.selector->hasEnum)
                ev.selector = std::move(sel);
            continue;
        }
        const bool mentionsOperation =
            about.find("operation") != std::string::npos || about.find("api") != std::string::npos;
        const bool runsCode = (anyOf(words, commandWords) ||
                               (key == "code" && (about.find("run") != std::string::npos ||
                                                  about.find("execut") != std::string::npos))) &&
                              !mentionsOperation;
        if (runsCode && members.empty()) {
            // A free-form command cannot be screened by a prefix regex ("rm -rf" starts with
            // nothing we know), so it is no selector: the starter rule asks for every call.
            if (!freeCommandSeen)
                ev.clues.push_back(Clue{.kind = ClueKind::FreeCommand,
                                        .category = RiskCategory::Execute,
                                        .weight = 0.65,
                                        .says = "takes a free-form " + inQuotes(key) + " to run"});
            freeCommandSeen = true;
            continue;
        }
        if (selectorName && !ev.selector)
            ev.selector = OperationSelector{.property = key, .hasEnum = false};
    }
    return ev;
}

} // namespace portcullis
