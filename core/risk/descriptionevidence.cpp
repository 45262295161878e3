#include "risk/namewords.h"
#include "risk/riskevidence.h"
#include "risk/verbphrase.h"

#include <array>
#include <set>

namespace portcullis {

namespace {

struct Token {
    std::string lower;
    std::size_t begin = 0;
    std::size_t end = 0;
};

bool isAsciiAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

std::vector<Token> tokenize(std::string_view text) {
    std::vector<Token> out;
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == '/') {
            out.push_back({"or", i, i + 1}); // "builds/pushes" offers two alternatives
            ++i;
            continue;
        }
        if (!isAsciiAlnum(text[i])) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < text.size() &&
               (isAsciiAlnum(text[j]) ||
                (text[j] == '\'' && j + 1 < text.size() && isAsciiAlnum(text[j + 1]))))
            ++j;
        out.push_back({lowerAscii(text.substr(i, j - i)), i, j});
        i = j;
    }
    return out;
}

// Sentences end at a newline or at ". ", "! ", "? " (a dot inside a URL does not end one).
std::vector<std::string_view> sentences(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    auto cut = [&](std::size_t end) {
        if (end > start)
            out.push_back(text.substr(start, end - start));
        start = end + 1;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool spaceNext = i + 1 >= text.size() || text[i + 1] == ' ' || text[i + 1] == '\n';
        if (c == '\n' || ((c == '.' || c == '!' || c == '?') && spaceNext))
            cut(i);
    }
    cut(text.size());
    return out;
}

std::string thirdPerson(std::string_view asWritten, std::string_view base) {
    if (asWritten != base && asWritten.size() > 1 && asWritten.back() == 's')
        return std::string(asWritten); // already "deletes"
    std::string s(base);
    const auto ends = [&](std::string_view t) {
        return s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0;
    };
    if (ends("s") || ends("sh") || ends("ch") || ends("x") || ends("z") || ends("o"))
        return s + "es";
    if (ends("y") && s.size() > 1 &&
        std::string_view("aeiou").find(s[s.size() - 2]) == std::string_view::npos)
        return s.substr(0, s.size() - 1) + "ies";
    return s + "s";
}

// The rest of a sentence, shortened for a one-line rationale; a trailing adverb ("directly")
// adds nothing there.
std::string tail(std::string_view sentence, std::size_t from) {
    std::string_view rest = sentence.substr(std::min(from, sentence.size()));
    while (!rest.empty() && (rest.back() == ' ' || rest.back() == '.' || rest.back() == ':' ||
                             rest.back() == ',' || rest.back() == '\r'))
        rest.remove_suffix(1);
    std::string out(rest);
    constexpr std::size_t kMax = 70;
    if (out.size() > kMax) {
        const std::size_t space = out.rfind(' ', kMax);
        out = out.substr(0, space == std::string::npos ? kMax : space) + "...";
    }
    constexpr auto adverbs = std::to_array<std::string_view>(
        {"directly", "immediately", "automatically", "programmatically", "safely", "quickly",
         "easily", "asynchronously", "synchronously", "locally", "remotely"});
    const std::size_t lastSpace = out.rfind(' ');
    if (lastSpace != std::string::npos &&
        oneOf(std::string_view(out).substr(lastSpace + 1), adverbs))
        out.erase(lastSpace);
    return out;
}

std::vector<std::string> lowerWords(const std::vector<Token>& tokens) {
    std::vector<std::string> out;
    out.reserve(tokens.size());
    for (const Token& t : tokens)
        out.push_back(t.lower);
    return out;
}

std::optional<Clue> descriptionLead(std::string_view description) {
    // Openings that name the tool rather than say what it does ("This tool deletes ...").
    constexpr auto fillers = std::to_array<std::string_view>(
        {"this", "the",  "a",   "an",     "tool",   "function", "mcp",
         "it",   "will", "can", "you",    "allows", "lets",     "helps",
         "used", "use",  "to",  "please", "simply", "that",     "which"});
    // "Start here if ..." and "Call this tool when ..." are about the tool, not its effect.
    constexpr auto notAnAction =
        std::to_array<std::string_view>({"here", "this", "when", "after", "before", "first"});
    int seen = 0;
    for (std::string_view sentence : sentences(description)) {
        const std::vector<Token> tokens = tokenize(sentence);
        if (tokens.empty())
            continue;
        if (++seen > 2)
            break;
        std::size_t i = 0;
        while (i < tokens.size() && oneOf(tokens[i].lower, fillers))
            ++i;
        if (i >= tokens.size() || !lookupVerb(tokens[i].lower, VerbForms::Prose))
            continue;
        if (i + 1 < tokens.size() && oneOf(tokens[i + 1].lower, notAnAction))
            continue;
        const std::vector<std::string> words = lowerWords(tokens);
        const std::vector<VerbHit> hits = actionVerbs(words, VerbForms::Prose, i, true);
        const VerbHit decide = mostSevere(hits);
        const bool strong = decide.sense.strength == VerbStrength::Strong;
        return Clue{.kind = ClueKind::DescriptionLead,
                    .category = decide.sense.category,
                    // An opening sentence says more than a second one.
                    .weight = !strong ? 0.5 : (seen == 1 ? 0.7 : 0.6),
                    .strongVerb = strong,
                    .verb = std::string(decide.sense.base),
                    .says = "description says it " +
                            thirdPerson(tokens[i].lower, hits.front().sense.base) + ' ' +
                            tail(sentence, tokens[i].end + 1),
                    .context = without(words, decide.index)};
    }
    return std::nullopt;
}

bool seqAt(const std::vector<std::string>& w, std::size_t i,
           std::initializer_list<std::string_view> seq) {
    if (i + seq.size() > w.size())
        return false;
    std::size_t k = i;
    for (std::string_view s : seq) {
        if (w[k++] != s)
            return false;
    }
    return true;
}

bool negatedAt(const std::vector<std::string>& w, std::size_t i) {
    constexpr auto negations = std::to_array<std::string_view>(
        {"not", "never", "without", "instead", "doesn't", "don't", "won't", "no"});
    for (std::size_t k = (i >= 2 ? i - 2 : 0); k < i; ++k) {
        if (oneOf(w[k], negations))
            return true;
    }
    return false;
}

std::string span(std::string_view text, const std::vector<Token>& t, std::size_t from,
                 std::size_t to) {
    return std::string(text.substr(t[from].begin, t[to].end - t[from].begin));
}

using Phrase = std::initializer_list<std::string_view>;

const std::array<Phrase, 8> kUndoPhrases{{
    {"cannot", "be", "undone"},
    {"can't", "be", "undone"},
    {"can", "not", "be", "undone"},
    {"cannot", "be", "reversed"},
    {"cannot", "be", "recovered"},
    {"can't", "be", "recovered"},
    {"no", "undo"},
    {"not", "reversible"},
}};

// Matched on words, so "read-only" and "read only" are the same phrase.
const std::array<Phrase, 7> kReadOnlyPhrases{{
    {"read", "only"},
    {"does", "not", "modify"},
    {"does", "not", "change"},
    {"doesn't", "modify"},
    {"without", "modifying"},
    {"non", "destructive"},
    {"no", "side", "effects"},
}};

// "cannot be undone" and its kin: how many words the phrase at i has, if there is one.
std::optional<std::size_t> undoPhraseLength(const std::vector<std::string>& w, std::size_t i) {
    for (const Phrase& phrase : kUndoPhrases) {
        if (seqAt(w, i, phrase))
            return phrase.size();
    }
    return std::nullopt;
}

std::optional<Clue> destructivePhrase(std::string_view text, const std::vector<Token>& t,
                                      const std::vector<std::string>& w) {
    constexpr auto finalWords =
        std::to_array<std::string_view>({"irreversible", "irreversibly", "irrevocable",
                                         "irrevocably", "unrecoverable", "unrecoverably"});
    for (std::size_t i = 0; i < w.size(); ++i) {
        std::size_t end = i;
        if (oneOf(w[i], finalWords) && !negatedAt(w, i)) {
            end = i;
        } else if ((w[i] == "permanently" || w[i] == "permanent") && !negatedAt(w, i)) {
            bool found = false;
            for (std::size_t k = i + 1; k < std::min(w.size(), i + 4) && !found; ++k) {
                auto v = lookupVerb(w[k], VerbForms::Prose);
                if (v && v->category == RiskCategory::Destructive) {
                    end = k;
                    found = true;
                }
            }
            if (!found)
                continue;
        } else if (auto n = undoPhraseLength(w, i)) {
            end = i + *n - 1;
        } else {
            continue;
        }
        return Clue{.kind = ClueKind::DestructivePhrase,
                    .category = RiskCategory::Destructive,
                    .weight = 0.75,
                    .says = "description says " + inQuotes(span(text, t, i, end)) + ": no undo"};
    }
    return std::nullopt;
}

std::optional<Clue> executePhrase(std::string_view text, const std::vector<Token>& t,
                                  const std::vector<std::string>& w) {
    constexpr auto runVerbs =
        std::to_array<std::string_view>({"execute", "exec", "run", "invoke", "eval", "evaluate"});
    constexpr auto runnable = std::to_array<std::string_view>(
        {"operation", "operations", "command",   "commands",   "code",      "script",
         "scripts",   "query",      "queries",   "sql",        "shell",     "job",
         "jobs",      "workflow",   "workflows", "pipeline",   "pipelines", "function",
         "functions", "lambda",     "lambdas",   "program",    "programs",  "processes",
         "statement", "statements", "api",       "javascript", "python"});
    for (std::size_t i = 0; i < w.size(); ++i) {
        auto v = lookupVerb(w[i], VerbForms::Prose);
        if (!v || !oneOf(v->base, runVerbs) || negatedAt(w, i))
            continue;
        for (std::size_t k = i + 1; k < std::min(w.size(), i + 6); ++k) {
            if (!oneOf(w[k], runnable))
                continue;
            return Clue{.kind = ClueKind::ExecutePhrase,
                        .category = RiskCategory::Execute,
                        .weight = 0.6,
                        .verb = std::string(v->base),
                        .says = "description says it " + thirdPerson(w[i], v->base) + ' ' +
                                span(text, t, i + 1, k)};
        }
    }
    return std::nullopt;
}

std::optional<Clue> readOnlyPhrase(std::string_view text, const std::vector<Token>& t,
                                   const std::vector<std::string>& w) {
    for (std::size_t i = 0; i < w.size(); ++i) {
        for (const Phrase& phrase : kReadOnlyPhrases) {
            if (!seqAt(w, i, phrase) || (phrase.begin()[0] == "read" && negatedAt(w, i)))
                continue;
            return Clue{.kind = ClueKind::ReadOnlyPhrase,
                        .category = RiskCategory::Read,
                        .weight = 0.65,
                        .says = "description says " +
                                inQuotes(span(text, t, i, i + phrase.size() - 1))};
        }
    }
    return std::nullopt;
}

std::optional<Clue> guidancePhrase(std::string_view text, const std::vector<Token>& t,
                                   const std::vector<std::string>& w) {
    constexpr auto giveVerbs = std::to_array<std::string_view>(
        {"provide", "provides", "return", "returns", "give", "gives", "offer", "offers"});
    constexpr auto advice = std::to_array<std::string_view>(
        {"guidance", "recommendations", "information", "instructions", "documentation", "advice",
         "overview", "details", "suggestions", "explanation", "explanations"});
    for (std::size_t i = 0; i < w.size(); ++i) {
        if (!oneOf(w[i], giveVerbs))
            continue;
        for (std::size_t k = i + 1; k < std::min(w.size(), i + 4); ++k) {
            if (!oneOf(w[k], advice))
                continue;
            std::size_t end = k;
            while (end + 1 < w.size() && end < k + 5 && t[end + 1].begin == t[end].end + 1)
                ++end; // carry on to the end of the phrase, at most a few words
            const std::string verb = w[i].back() == 's' ? w[i] : w[i] + 's';
            return Clue{.kind = ClueKind::GuidancePhrase,
                        .category = RiskCategory::Read,
                        .weight = 0.6,
                        .says = "description says it " + verb + ' ' + span(text, t, i + 1, end) +
                                "; nothing in it changes state"};
        }
    }
    return std::nullopt;
}

std::optional<Clue> writePhrase(const std::vector<std::string>& w) {
    for (std::size_t i = 0; i < w.size(); ++i) {
        if (seqAt(w, i, {"write", "operation"}) || seqAt(w, i, {"write", "operations"}) ||
            seqAt(w, i, {"write", "access"})) {
            return Clue{.kind = ClueKind::WritePhrase,
                        .category = RiskCategory::Write,
                        .weight = 0.5,
                        .says = "description calls it a write operation"};
        }
    }
    return std::nullopt;
}

// A description that lists API operations (CreateCluster, DescribeClusters, ...) describes a
// tool that can run any of them.
std::optional<Clue> operationList(std::string_view text, const std::vector<Token>& t,
                                  const std::vector<std::string>& w) {
    constexpr auto operationWords =
        std::to_array<std::string_view>({"operation", "operations", "api", "actions"});
    if (!anyOf(w, operationWords))
        return std::nullopt;
    std::set<std::string> operations;
    std::set<std::string_view> verbs;
    std::string firstChange;
    std::string firstRead;
    for (const Token& tok : t) {
        const std::string original(text.substr(tok.begin, tok.end - tok.begin));
        if (!isCamelCase(original))
            continue;
        const auto verb = lookupVerb(splitNameWords(original).front(), VerbForms::Name);
        if (!verb || !operations.insert(original).second)
            continue;
        verbs.insert(verb->base);
        std::string& first = verb->category == RiskCategory::Read ? firstRead : firstChange;
        if (first.empty())
            first = original;
    }
    // A few names with one verb are more likely fields ("TagKey", "TagValue") or a product
    // named in passing than a menu of operations.
    if (operations.size() < 3 || (verbs.size() < 2 && operations.size() < 4))
        return std::nullopt;
    if (!firstChange.empty())
        return Clue{.kind = ClueKind::OperationList,
                    .category = RiskCategory::Execute,
                    .weight = 0.75,
                    .says = "description lists operations it runs, writes included (e.g. " +
                            firstChange + ")"};
    return Clue{.kind = ClueKind::OperationList,
                .category = RiskCategory::Read,
                .weight = 0.55,
                .says = "description lists only read operations (e.g. " + firstRead + ")"};
}

} // namespace

DescriptionEvidence analyseDescription(const std::string& description) {
    DescriptionEvidence ev;
    ev.empty = std::all_of(description.begin(), description.end(),
                           [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; });
    if (ev.empty)
        return ev;
    ev.lead = descriptionLead(description);
    const std::vector<Token> tokens = tokenize(description);
    const std::vector<std::string> words = lowerWords(tokens);
    for (auto clue :
         {destructivePhrase(description, tokens, words), operationList(description, tokens, words),
          executePhrase(description, tokens, words), readOnlyPhrase(description, tokens, words),
          guidancePhrase(description, tokens, words), writePhrase(words)}) {
        if (clue)
            ev.phrases.push_back(std::move(*clue));
    }
    return ev;
}

} // namespace portcullis
