#pragma once

#include "risk/riskclassifier.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis {

// "delete" says what a tool does; "generate" or "manage" only hint at it.
enum class VerbStrength { Strong, Weak };

struct VerbSense {
    std::string_view base; // dictionary form, e.g. "delete"
    RiskCategory category;
    VerbStrength strength;
    std::string_view effect; // for the rationale, e.g. "removes access immediately, no undo"
};

// Which inflections count. In names only the bare verb and a gerund ("troubleshooting") are
// verbs: a plural or past form there is almost always a noun or adjective ("list_tags",
// "deleted_items"). Prose also uses the third person ("Deletes the stack").
enum class VerbForms { Name, Prose };

std::optional<VerbSense> lookupVerb(std::string_view lowerWord, VerbForms forms);

// Higher is worse; the most severe evidence wins (fail closed).
int severity(RiskCategory c);

// Words that make a change a money movement ("create_refund", "cancel_subscription").
bool isMoneyNoun(std::string_view lowerWord);

// What a security-critical noun is about ("policies", "credentials"), for the rationale.
std::optional<std::string_view> securityTopic(std::string_view lowerWord);

// Whether the words name a credential: "secret", "password", "token", or a "key" after "api",
// "access", "ssh"... ("key" alone is usually a cache or map key).
bool mentionsCredential(const std::vector<std::string>& lowerWords);

// Nouns for a tool that looks at its object: "analyzer", "validator", "estimator".
bool isReadAgent(std::string_view lowerWord);

// Names without a verb that still say what they give you: "git_status", "directory_tree".
bool isReadNoun(std::string_view lowerWord);

// Names without a verb that say they run things: "bash", "shell", "python".
bool isExecNoun(std::string_view lowerWord);

} // namespace portcullis
