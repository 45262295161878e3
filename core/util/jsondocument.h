#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string_view>

namespace portcullis {

// The document of text that isValidJson() accepted: the same values, of the same types, as
// nlohmann::json::parse gives (non-negative integers unsigned, negative ones signed, the last of
// a repeated key kept), built without nlohmann's lexer, which copies every byte into a token
// buffer before it becomes a value. std::nullopt for a number no double can hold (1e400), which
// nlohmann refuses as well. Text that is not valid JSON is not checked again: validate first.
std::optional<nlohmann::json> documentOfValidJson(std::string_view validJson);

} // namespace portcullis
