#pragma once

#include "policy/policy.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis {

// Parses "args", "args.a.b", "args.items[0].name" into steps below the arguments object.
// Returns std::nullopt for anything else (no leading "args", empty key, bad index).
std::optional<std::vector<PathStep>> parseArgumentPath(std::string_view path);

// The value at steps inside a call's arguments, or nullptr when the path is absent.
const nlohmann::json* resolveArgument(const nlohmann::json& arguments,
                                      const std::vector<PathStep>& steps);

// Whether the condition holds for these arguments. A missing path makes every op but `exists`
// false, which inside `require` means the call is denied (fail closed).
bool conditionHolds(const Condition& condition, const nlohmann::json& arguments);

// "args.api_operation regex ^Delete" — for reasons shown to agents and people.
std::string describeCondition(const Condition& condition);

} // namespace portcullis
