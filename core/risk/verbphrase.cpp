#include "risk/verbphrase.h"

#include <array>

namespace portcullis {

namespace {

constexpr auto kConjunctions = std::to_array<std::string_view>({"and", "or", "then"});

// A few verbs mean different things depending on what they act on.
VerbSense refine(VerbSense sense, const std::vector<std::string>& object) {
    constexpr auto identifiers = std::to_array<std::string_view>(
        {"id", "ids", "identifier", "name", "names", "address", "dns", "host", "hostname", "url",
         "uri", "path", "library", "symbol", "reference", "ref", "alias", "handle", "username"});
    constexpr auto nonMoney = std::to_array<std::string_view>(
        {"file",       "files",   "data",     "domain", "domains",  "ownership", "owner",
         "repository", "repo",    "issue",    "issues", "call",     "chat",      "conversation",
         "project",    "channel", "team",     "ticket", "document", "documents", "image",
         "images",     "contact", "contacts", "dns"});
    if (sense.base == "resolve" && !object.empty() && oneOf(object.front(), identifiers))
        return {sense.base, RiskCategory::Read, VerbStrength::Strong,
                "only looks up an identifier"};
    if (sense.base == "transfer" && anyOf(object, nonMoney))
        return {sense.base, RiskCategory::Write, VerbStrength::Strong, "moves it to a new place"};
    if (sense.base == "generate" && mentionsCredential(object))
        return {sense.base, RiskCategory::Write, VerbStrength::Strong, "creates a new credential"};
    return sense;
}

} // namespace

std::string inQuotes(std::string_view s) {
    return "'" + std::string(s) + "'";
}

VerbHit mostSevere(const std::vector<VerbHit>& hits) {
    return *std::max_element(hits.begin(), hits.end(), [](const VerbHit& a, const VerbHit& b) {
        return severity(a.sense.category) < severity(b.sense.category);
    });
}

// Verb-like words after the action verb are usually its object ("list_tags", "get_run_logs"),
// so only a verb joined by a conjunction counts as a second action.
std::vector<VerbHit> actionVerbs(const std::vector<std::string>& words, VerbForms forms,
                                 std::size_t from, bool firstIsPrimary) {
    std::vector<VerbHit> all;
    for (std::size_t i = from; i < words.size(); ++i) {
        if (auto v = lookupVerb(words[i], forms))
            all.push_back({i, *v});
    }
    if (all.empty())
        return {};
    // A weak verb first is often a noun ("dns_record_list"), so a strong one later wins.
    auto primary =
        firstIsPrimary ? all.begin() : std::find_if(all.begin(), all.end(), [](const VerbHit& h) {
            return h.sense.strength == VerbStrength::Strong;
        });
    std::vector<VerbHit> chosen{primary == all.end() ? all.front() : *primary};
    for (const VerbHit& h : all) {
        if (h.index != chosen.front().index && h.index > from &&
            oneOf(words[h.index - 1], kConjunctions))
            chosen.push_back(h);
    }
    for (VerbHit& h : chosen) {
        std::vector<std::string> object(words.begin() + static_cast<std::ptrdiff_t>(h.index) + 1,
                                        words.end());
        h.sense = refine(h.sense, object);
    }
    return chosen;
}

std::vector<std::string> without(std::vector<std::string> words, std::size_t index) {
    words.erase(words.begin() + static_cast<std::ptrdiff_t>(index));
    return words;
}

} // namespace portcullis
