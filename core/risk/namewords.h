#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace portcullis {

// Splits a tool or operation name into lower-case words, whatever the naming convention:
// snake_case, camelCase, PascalCase, kebab-case, dotted and "___"-namespaced names
// ("aws_knowledge_aws___search_documentation" -> aws, knowledge, aws, search, documentation).
// Digits stay with the word they follow ("s3", "ec2"); an acronym keeps its plural ("IDs" -> ids).
std::vector<std::string> splitNameWords(std::string_view name);

// Lower-case words of free text (descriptions). A slash counts as "or", so "builds/pushes"
// reads as two alternatives.
std::vector<std::string> splitProseWords(std::string_view text);

// "CreateCluster", "DescribeTasks": the shape of an API operation name.
bool isCamelCase(std::string_view word);

std::string lowerAscii(std::string_view text);

} // namespace portcullis
