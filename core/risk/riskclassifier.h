#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace portcullis {

// Risk taxonomy of the seed pages (see docs/risk.md in the design notes).
enum class RiskCategory { Read, Write, Execute, Destructive, Financial, Other };
enum class RiskLevel { Low, Medium, High, Critical };

const char* toString(RiskCategory c);
const char* toString(RiskLevel r);
std::optional<RiskCategory> riskCategoryFromString(std::string_view s);
RiskLevel defaultRisk(RiskCategory c);

struct RiskAssessment {
    RiskCategory category = RiskCategory::Other;
    RiskLevel risk = RiskLevel::Low;
    double confidence = 0.0; // 0..1
    std::string rationale;   // one line a user understands: which evidence decided
    std::string fingerprint; // toolFingerprint() of the definition that was classified
};

// What the user or the workspace knows beyond the tool definition itself.
struct RiskContext {
    std::optional<RiskCategory> userLabel; // the user's own label always wins
    bool trustedServer = false;            // annotations count as evidence only when true
};

// Classifies one MCP tool definition (an element of a tools/list result: name, description,
// inputSchema, annotations, ...). Pure and thread-safe.
class RiskClassifier final {
public:
    RiskAssessment classify(const nlohmann::json& tool, const RiskContext& context = {}) const;
};

} // namespace portcullis
