#include "risk/riskclassifier.h"

#include "risk/riskevidence.h"
#include "risk/riskvocabulary.h"
#include "risk/toolfingerprint.h"

#include <algorithm>
#include <array>
#include <utility>

namespace portcullis {

namespace {

constexpr std::array<std::pair<std::string_view, RiskCategory>, 6> kCategories{{
    {"Read", RiskCategory::Read},
    {"Write", RiskCategory::Write},
    {"Execute", RiskCategory::Execute},
    {"Destructive", RiskCategory::Destructive},
    {"Financial", RiskCategory::Financial},
    {"Other", RiskCategory::Other},
}};

constexpr std::array<std::pair<std::string_view, RiskLevel>, 4> kLevels{{
    {"Low", RiskLevel::Low},
    {"Medium", RiskLevel::Medium},
    {"High", RiskLevel::High},
    {"Critical", RiskLevel::Critical},
}};

std::string categoryName(RiskCategory c) {
    return toString(c);
}

std::optional<bool> hint(const nlohmann::json& annotations, const char* key) {
    const auto it = annotations.find(key);
    if (it == annotations.end() || !it->is_boolean())
        return std::nullopt;
    return it->get<bool>();
}

// More severe first; between equally severe clues the one a user can check most easily.
bool outranks(const Clue& a, const Clue& b) {
    const int sa = severity(a.category);
    const int sb = severity(b.category);
    return sa != sb ? sa > sb : a.kind < b.kind;
}

const Clue* strongest(const std::vector<Clue>& clues) {
    const Clue* best = nullptr;
    for (const Clue& c : clues) {
        if (!best || outranks(c, *best))
            best = &c;
    }
    return best;
}

RiskLevel atLeast(RiskLevel a, RiskLevel b) {
    return static_cast<int>(a) >= static_cast<int>(b) ? a : b;
}

std::vector<std::string> joined(std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// "IAM policies", "permissions, roles": what makes a change security-critical.
std::string securityTopics(const std::vector<std::string>& words) {
    std::vector<std::string> topics;
    bool iam = false;
    for (const std::string& w : words) {
        const auto topic = securityTopic(w);
        if (!topic)
            continue;
        if (*topic == "IAM")
            iam = true;
        else if (std::find(topics.begin(), topics.end(), *topic) == topics.end())
            topics.emplace_back(*topic);
    }
    std::string out;
    for (const std::string& t : topics)
        out += (out.empty() ? "" : ", ") + t;
    if (iam)
        out = out.empty() ? std::string("IAM") : "IAM " + out;
    return out;
}

std::optional<std::string> moneyNoun(const std::vector<std::string>& words) {
    for (const std::string& w : words) {
        if (isMoneyNoun(w))
            return w;
    }
    return std::nullopt;
}

struct Verdict {
    RiskCategory category = RiskCategory::Other;
    RiskLevel risk = RiskLevel::Low;
    double confidence = 0.0;
    std::string main;
    std::vector<std::string> notes;
};

// The spec calls annotations untrusted hints: they may lower the risk only for a server the
// user trusts, while a hint that the tool is dangerous is believed from anyone (fail closed).
void applyAnnotations(const nlohmann::json& tool, const RiskContext& context, bool readsCredentials,
                      Verdict& v) {
    if (!tool.is_object())
        return;
    const auto it = tool.find("annotations");
    if (it == tool.end() || !it->is_object())
        return;
    const std::optional<bool> readOnly = hint(*it, "readOnlyHint");
    const std::optional<bool> destructive = hint(*it, "destructiveHint");
    const std::string was = categoryName(v.category);
    const bool trusted = context.trustedServer;

    if (readOnly == true) {
        if (trusted) {
            if (v.category == RiskCategory::Read) {
                v.notes.emplace_back("the server, which you trust, agrees it is read-only");
            } else {
                v.notes.push_back("its name and description suggested " + was);
                v.main = "the server, which you trust, marks it read-only";
                v.category = RiskCategory::Read;
                v.risk = readsCredentials ? RiskLevel::Medium : RiskLevel::Low;
            }
            v.confidence = std::max(v.confidence, 0.9);
        } else if (v.category != RiskCategory::Read && v.category != RiskCategory::Other) {
            v.confidence -= 0.2;
            v.notes.emplace_back("the server claims it is read-only, but it is not trusted");
        }
        return; // destructiveHint means nothing for a read-only tool (spec)
    }
    if (trusted && destructive == false && v.category == RiskCategory::Destructive) {
        v.notes.push_back("its name and description suggested " + was);
        v.main = "the server, which you trust, says its changes are not destructive";
        v.category = RiskCategory::Write;
        v.risk = RiskLevel::Medium;
        v.confidence = std::max(v.confidence, 0.85);
    }
    const bool readish = v.category == RiskCategory::Read || v.category == RiskCategory::Other;
    if (readOnly == false && readish) {
        if (trusted) {
            v.notes.push_back("its name and description suggested " + was);
            v.main = "the server, which you trust, says it changes things";
            v.category = RiskCategory::Write;
            v.risk = atLeast(v.risk, RiskLevel::Medium);
            v.confidence = std::max(v.confidence, 0.8);
        } else {
            v.confidence -= 0.15;
            v.notes.emplace_back("the server says it is not read-only");
        }
    }
    if (destructive == true && severity(v.category) <= severity(RiskCategory::Write)) {
        if (v.category != RiskCategory::Write)
            v.category = RiskCategory::Write;
        v.risk = atLeast(v.risk, RiskLevel::High);
        v.notes.emplace_back("the server says it may destroy data, so High");
    }
}

struct Clues {
    std::vector<Clue> decisive; // may overrule milder clues (the worse reading wins)
    std::vector<Clue> fallback; // only speak when nothing decisive does
    const Clue* confirm = nullptr;

    bool listsWrites() const {
        return std::any_of(decisive.begin(), decisive.end(), [](const Clue& c) {
            return c.kind == ClueKind::OperationList && c.category == RiskCategory::Execute;
        });
    }
};

Clues sortClues(const NameEvidence& name, const DescriptionEvidence& desc,
                const SchemaEvidence& schema) {
    Clues out;
    const bool strongName = name.verb && name.verb->strongVerb;
    const bool saysReadOnly =
        std::any_of(desc.phrases.begin(), desc.phrases.end(),
                    [](const Clue& c) { return c.kind == ClueKind::ReadOnlyPhrase; });
    if (name.verb)
        out.decisive.push_back(*name.verb);
    if (desc.lead) {
        // Prose opens with "Run", "Removes" or "Adds" loosely ("Removes tags" for untag); only
        // a plain statement that it executes or pays may overrule a clear verb in the name,
        // and "executes a read-only command" does not overrule a reading one.
        const Clue& lead = *desc.lead;
        const bool plainlyExecutes = lead.verb == "execute" || lead.verb == "exec" ||
                                     lead.verb == "invoke" || lead.verb == "eval";
        const bool readOnlyRun =
            plainlyExecutes && saysReadOnly && name.verb->category == RiskCategory::Read;
        const bool grave =
            lead.category == RiskCategory::Financial || (plainlyExecutes && !readOnlyRun);
        const bool mayOverrule = !strongName || (lead.strongVerb && grave);
        (mayOverrule ? out.decisive : out.fallback).push_back(lead);
    }
    for (const Clue& c : desc.phrases) {
        // A listing of API operations in prose decides only for a tool that names no action of
        // its own; in a "list_tags" or "Calculate costs" tool it documents fields or inputs.
        const bool listDecides = c.kind == ClueKind::OperationList &&
                                 c.category != RiskCategory::Read && !strongName &&
                                 !(desc.lead && desc.lead->category == RiskCategory::Read);
        const bool decisive = c.kind == ClueKind::DestructivePhrase || listDecides;
        (decisive ? out.decisive : out.fallback).push_back(c);
    }
    for (const Clue& c : schema.clues) {
        if (c.kind == ClueKind::ConfirmFlag) {
            out.confirm = &c;
            continue;
        }
        const bool decisive =
            (c.kind == ClueKind::OperationList && c.category != RiskCategory::Read) ||
            (c.kind == ClueKind::FreeCommand && !name.verb);
        (decisive ? out.decisive : out.fallback).push_back(c);
    }
    if (name.noun)
        out.fallback.push_back(*name.noun);
    return out;
}

// Independent clues that agree make us surer; a decisive clue that reads the tool as milder,
// or a description that tells another story than the name, makes us less sure (we still go
// with the worse reading).
double corroboration(const Clues& clues, const Clue* deciding, RiskCategory category,
                     const Clue* lead) {
    int agree = 0;
    int disagree = 0;
    for (const std::vector<Clue>* list : {&clues.decisive, &clues.fallback}) {
        for (const Clue& c : *list) {
            if (&c == deciding || c.category == RiskCategory::Other)
                continue;
            if (c.category == category)
                ++agree;
            else if (list == &clues.decisive && severity(c.category) < severity(category))
                ++disagree;
        }
    }
    if (clues.confirm && clues.confirm != deciding && clues.confirm->category == category)
        ++agree;
    if (lead && deciding && deciding->kind == ClueKind::NameVerb &&
        severity(lead->category) > severity(category))
        ++disagree;
    return 0.1 * std::min(agree, 2) - 0.1 * std::min(disagree, 2);
}

void applyUserLabel(RiskCategory label, Verdict& v) {
    v.notes.clear();
    if (label != v.category) {
        v.notes.push_back("the classifier said " + categoryName(v.category));
        v.risk = defaultRisk(label); // our finer risk only holds for our own category
    }
    v.category = label;
    v.main = "you labelled it " + categoryName(label);
    v.confidence = 1.0;
}

} // namespace

const char* toString(RiskCategory c) {
    for (const auto& [name, value] : kCategories) {
        if (value == c)
            return name.data();
    }
    return "Other";
}

const char* toString(RiskLevel r) {
    for (const auto& [name, value] : kLevels) {
        if (value == r)
            return name.data();
    }
    return "Low";
}

std::optional<RiskCategory> riskCategoryFromString(std::string_view s) {
    // Case-insensitive: labels come from people and from other tools' exports.
    for (const auto& [name, value] : kCategories) {
        if (name.size() == s.size() &&
            std::equal(name.begin(), name.end(), s.begin(), [](char a, char b) {
                const auto lower = [](char c) {
                    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
                };
                return lower(a) == lower(b);
            }))
            return value;
    }
    return std::nullopt;
}

RiskLevel defaultRisk(RiskCategory c) {
    switch (c) {
    case RiskCategory::Read:
    case RiskCategory::Other:
        return RiskLevel::Low;
    case RiskCategory::Write:
        return RiskLevel::Medium;
    case RiskCategory::Execute:
        return RiskLevel::High;
    case RiskCategory::Destructive:
    case RiskCategory::Financial:
        return RiskLevel::Critical;
    }
    return RiskLevel::Low;
}

RiskAssessment RiskClassifier::classify(const nlohmann::json& tool,
                                        const RiskContext& context) const {
    const std::string name = stringMember(tool, "name");
    const NameEvidence nameEv = analyseName(name);
    const DescriptionEvidence descEv = analyseDescription(stringMember(tool, "description"));
    const SchemaEvidence schemaEv = analyseSchema(
        tool.is_object() ? tool.value("inputSchema", nlohmann::json()) : nlohmann::json());
    const Clues clues = sortClues(nameEv, descEv, schemaEv);

    Verdict v;
    const Clue* deciding = strongest(clues.decisive);
    if (!deciding)
        deciding = strongest(clues.fallback);
    if (deciding) {
        v.category = deciding->category;
        v.confidence = deciding->weight;
        v.main = deciding->says;
    } else {
        v.confidence = descEv.empty ? 0.15 : 0.3;
        v.main = "name '" + name + "' has no action word and the description " +
                 (descEv.empty ? "is empty" : "does not say what it does") + ": cannot tell";
    }

    // What the deciding verb acts on ("refund" in create_refund); the verb itself is not its
    // own object, or git_checkout would move money.
    std::vector<std::string> objectWords =
        deciding ? deciding->context : std::vector<std::string>{};
    const Clue* lead = descEv.lead ? &*descEv.lead : nullptr;
    if (lead && (!deciding || deciding->kind != ClueKind::DescriptionLead) &&
        severity(lead->category) >= severity(RiskCategory::Write))
        objectWords = joined(objectWords, lead->context);
    const std::vector<std::string> topicWords = joined(nameEv.words, objectWords);

    if (clues.confirm && (v.category == RiskCategory::Other ||
                          (v.category == RiskCategory::Read && clues.confirm->strongVerb))) {
        if (v.category == RiskCategory::Read)
            v.notes.push_back("otherwise it looks read-only: " + v.main);
        v.category = RiskCategory::Write;
        v.main = clues.confirm->says;
        v.confidence = clues.confirm->weight;
        deciding = clues.confirm;
    }
    v.confidence += corroboration(clues, deciding, v.category, lead);

    if (v.category == RiskCategory::Execute &&
        (!deciding || deciding->kind != ClueKind::OperationList) && clues.listsWrites())
        v.main += ", writes included";
    if (v.category == RiskCategory::Write || v.category == RiskCategory::Execute) {
        if (auto money = moneyNoun(objectWords)) {
            v.category = RiskCategory::Financial;
            v.main += "; it acts on '" + *money + "', so it moves money";
        }
    }
    v.risk = defaultRisk(v.category);

    const bool readsCredentials = mentionsCredential(topicWords);
    if (v.category == RiskCategory::Read && readsCredentials) {
        v.risk = RiskLevel::Medium;
        v.notes.emplace_back("it reads credentials, so Medium");
    } else if (v.category != RiskCategory::Read && v.category != RiskCategory::Other) {
        // The oracle keeps such writes at Medium; the rationale says why they deserve care.
        if (const std::string topics = securityTopics(topicWords); !topics.empty())
            v.notes.push_back("security-critical: it touches " + topics);
    }
    if (descEv.empty && deciding) {
        v.confidence -= 0.15;
        v.notes.emplace_back("the description is empty");
    }

    applyAnnotations(tool, context, readsCredentials, v);
    v.confidence = std::clamp(v.confidence, 0.05, 0.95);
    if (context.userLabel)
        applyUserLabel(*context.userLabel, v);

    RiskAssessment out;
    out.category = v.category;
    out.risk = v.risk;
    out.confidence = v.confidence;
    out.rationale = v.main;
    for (const std::string& note : v.notes)
        out.rationale += "; " + note;
    out.fingerprint = toolFingerprint(tool);
    return out;
}

} // namespace portcullis
