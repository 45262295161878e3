#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace portcullis {

// Checks a tool call's arguments against the tool's MCP inputSchema before they go upstream, so
// a person who edits a held call sees what the server would object to. Schemas come from
// untrusted servers: whatever their shape, checking returns promptly and never recurses without
// bound. A keyword this checker does not know, or one whose value is malformed (a bad pattern, a
// non-numeric minimum, a $ref to another document), constrains nothing, as JSON Schema says of
// unknown keywords, so a flaw in a schema is never blamed on the arguments.

struct SchemaProblem {
    std::string path;    // JSON Pointer of the offending value in the arguments, "" for the root
    std::string message; // e.g. "expected a string, got a number"
};

// Limits on the work one check may do. Schemas applied inside one another more deeply than
// kMaxSchemaDepth, or more steps (schema applications and pattern matches) than kMaxSchemaSteps,
// end the check with a single problem saying so.
inline constexpr std::size_t kMaxSchemaProblems = 50;
inline constexpr int kMaxSchemaDepth = 64;
inline constexpr std::size_t kMaxSchemaSteps = 100'000;

// Every problem found, at most kMaxSchemaProblems, in document order (members in the order the
// arguments object iterates them, array items by index, a value before what is inside it).
// An empty result means the arguments fit.
std::vector<SchemaProblem> checkArguments(const nlohmann::json& inputSchema,
                                          const nlohmann::json& arguments);

// One line per problem, "path: message" ("(arguments)" standing for the root), joined with '\n'.
std::string describe(const std::vector<SchemaProblem>& problems);

} // namespace portcullis
