#pragma once

#include "policy/policy.h"
#include "risk/riskclassifier.h"

#include <nlohmann/json.hpp>

#include <vector>

namespace portcullis {

struct ClassifiedTool {
    nlohmann::json definition; // the tool as listed by its server
    RiskAssessment assessment;
};

// The recommended starting rule for one tool, per the seed pages:
// Read -> allow; Write -> 30/min per grant; Execute -> 10/min, required arguments required,
// approval for writes; Destructive -> hidden; Financial -> approval for every call;
// Other -> 60/min. Counters are named "<tool>_rate".
// Returns std::nullopt for Destructive (the tool is hidden instead of ruled).
std::optional<ToolRule> recommendedRule(const ClassifiedTool& tool);

// A default-deny policy with the recommended rule for every tool and the Destructive ones hidden.
Policy starterPolicy(const std::vector<ClassifiedTool>& tools);

} // namespace portcullis
