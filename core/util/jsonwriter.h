#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace portcullis {

// Appends `value` as compact JSON, byte for byte what
// value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) gives, at a fraction of
// its cost for what messages mostly hold: ASCII strings without escapes, integers, objects.
// nlohmann walks every byte of every string through a UTF-8 decoder; here such strings are
// copied whole, and only the rest (escapes, non-ASCII text, floats) is left to nlohmann.
void appendCompactJson(std::string& out, const nlohmann::json& value);

} // namespace portcullis
