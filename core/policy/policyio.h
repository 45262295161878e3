#pragma once

#include "policy/policy.h"

#include <QString>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis {

struct PolicyProblem {
    enum class Severity { Error, Warning };
    Severity severity = Severity::Error;
    std::string path; // JSON path, empty for the document itself
    std::string message;
    int line = 0; // 1-based; 0 when unknown
    int column = 0;

    bool isError() const { return severity == Severity::Error; }
    // "FILE:LINE:COL: path: message" (warnings say so after the location).
    std::string format(const std::string& file) const;
};

struct PolicyLoadResult {
    std::optional<Policy> policy; // set only when there is no error (warnings allowed)
    std::vector<PolicyProblem> problems;

    bool ok() const { return policy.has_value(); }
    std::size_t errorCount() const;
};

// Reads, validates and writes policy.json. Loading never half-succeeds: either every key is
// understood and valid, or the result carries every problem found and no policy.
namespace PolicyIo {

// Limits that keep a hostile or broken file from costing memory or stack.
inline constexpr std::size_t kMaxPolicyBytes = 16 * 1024 * 1024;
inline constexpr int kMaxDepth = 64;

PolicyLoadResult parse(std::string_view text);
PolicyLoadResult loadFile(const QString& fileName);

// Stable key order, two-space indent, trailing newline. Keys that were absent stay absent, so a
// policy without extensions is written in the plain PolicyLayer shape.
nlohmann::ordered_json toJson(const Policy& policy);
std::string serialize(const Policy& policy);
// Atomic: a crash mid-write leaves the old file intact (QSaveFile). Returns an error message on
// failure.
std::optional<QString> saveFile(const Policy& policy, const QString& fileName);

} // namespace PolicyIo

} // namespace portcullis
