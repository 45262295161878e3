#pragma once

#include "risk/riskclassifier.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace portcullis {

// What kind of evidence a clue is. The order is the tie-break between equally severe clues:
// the rationale then names the evidence a user can check most easily (the name first).
enum class ClueKind {
    NameVerb,          // "detach_user_policy"
    DescriptionLead,   // "Deletes a complete Express Mode deployment ..."
    DestructivePhrase, // "cannot be undone", "permanently deletes"
    OperationList,     // an enum or a description listing CreateCluster, DeleteService, ...
    FreeCommand,       // a free-form "command" or "script" argument
    ConfirmFlag,       // a "confirmed" boolean: the server itself treats calls as writes
    ExecutePhrase,     // "executes shell commands"
    ReadOnlyPhrase,    // "read-only", "does not modify"
    GuidancePhrase,    // "provides guidance"
    WritePhrase,       // "write operation"
    NameNoun,          // "git_status", "bash": no verb, but the noun tells
};

// A string member of a JSON object, or "" when it is missing or not a string: tool
// definitions come from servers we do not control.
std::string stringMember(const nlohmann::json& object, const char* key);

// Members the designated initializers may leave out carry {} initializers, which keeps
// -Wmissing-field-initializers quiet.
struct Clue {
    ClueKind kind = ClueKind::NameVerb;
    RiskCategory category = RiskCategory::Other;
    double weight = 0.0; // the confidence this clue gives on its own
    bool strongVerb = true;
    std::string verb{};                 // base form of the deciding verb, if any
    std::string says{};                 // rationale fragment a user understands
    std::vector<std::string> context{}; // words naming what is acted on (money, policies, ...)
};

struct NameEvidence {
    std::vector<std::string> words;
    std::optional<Clue> verb; // the action word, most severe of several (fail closed)
    std::optional<Clue> noun; // only when there is no verb
};
NameEvidence analyseName(const std::string& name);

struct DescriptionEvidence {
    bool empty = true;
    std::optional<Clue> lead; // the verb the description opens with
    std::vector<Clue> phrases;
};
DescriptionEvidence analyseDescription(const std::string& description);

// An argument that picks which operation a multi-purpose tool performs (api_operation, action).
struct OperationSelector {
    std::string property{};
    bool hasEnum = false;
    bool unknownMembers = false;           // enum members we could not read as operations
    std::vector<std::string> writeVerbs{}; // leading verbs of the members that change things
};

struct SchemaEvidence {
    std::vector<std::string> required;
    std::optional<OperationSelector> selector;
    std::vector<Clue> clues;
};
SchemaEvidence analyseSchema(const nlohmann::json& inputSchema);

} // namespace portcullis
