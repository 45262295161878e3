#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace portcullis {

// "sha256:<hex>" of the tool definition's canonical JSON (keys sorted, no whitespace), so a
// server that changes a tool's definition behind the user's back is noticed.
std::string toolFingerprint(const nlohmann::json& tool);

} // namespace portcullis
