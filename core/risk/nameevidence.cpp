#include "risk/namewords.h"
#include "risk/riskevidence.h"
#include "risk/verbphrase.h"

#include <algorithm>

namespace portcullis {

std::string stringMember(const nlohmann::json& object, const char* key) {
    if (!object.is_object())
        return {};
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

NameEvidence analyseName(const std::string& name) {
    NameEvidence ev;
    ev.words = splitNameWords(name);
    const std::vector<VerbHit> hits = actionVerbs(ev.words, VerbForms::Name, 0);
    // "sp-purchase-analyzer" analyses purchases; "create_analyzer" still creates one.
    const auto agent = std::find_if(ev.words.begin(), ev.words.end(), isReadAgent);
    if (agent != ev.words.end() && (hits.empty() || hits.front().index > 0) &&
        (hits.empty() || agent - ev.words.begin() > std::ptrdiff_t(hits.front().index))) {
        ev.verb = Clue{.kind = ClueKind::NameVerb,
                       .category = RiskCategory::Read,
                       .weight = 0.7,
                       .verb = *agent,
                       .says = "name says it is " +
                               std::string(std::string_view("aeiou").find(agent->front()) ==
                                                   std::string_view::npos
                                               ? "a "
                                               : "an ") +
                               inQuotes(*agent) + ": it looks at things and reports",
                       .context = ev.words};
        return ev;
    }
    if (!hits.empty()) {
        const VerbHit h = mostSevere(hits);
        const bool strong = h.sense.strength == VerbStrength::Strong;
        ev.verb = Clue{.kind = ClueKind::NameVerb,
                       .category = h.sense.category,
                       .weight = strong ? 0.8 : 0.55,
                       .strongVerb = strong,
                       .verb = std::string(h.sense.base),
                       .says = (h.index == 0 ? "name starts with " : "name has the action word ") +
                               inQuotes(ev.words[h.index]) + ": " + std::string(h.sense.effect),
                       .context = without(ev.words, h.index)};
        return ev;
    }
    for (const std::string& w : ev.words) {
        if (isExecNoun(w)) {
            ev.noun = Clue{.kind = ClueKind::NameNoun,
                           .category = RiskCategory::Execute,
                           .weight = 0.55,
                           .strongVerb = false,
                           .says = "name " + inQuotes(name) +
                                   " has no action word but suggests it runs commands (" +
                                   inQuotes(w) + ")"};
            return ev;
        }
    }
    for (const std::string& w : ev.words) {
        if (isReadNoun(w)) {
            ev.noun = Clue{.kind = ClueKind::NameNoun,
                           .category = RiskCategory::Read,
                           .weight = 0.5,
                           .strongVerb = false,
                           .says = "name " + inQuotes(name) +
                                   " has no action word but names something to look at (" +
                                   inQuotes(w) + ")"};
            return ev;
        }
    }
    return ev;
}

} // namespace portcullis
