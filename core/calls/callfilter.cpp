#include "calls/callfilter.h"

#include <algorithm>
#include <array>
#include <utility>

namespace portcullis {

namespace {

constexpr int kDecisionCount = static_cast<int>(CallDecision::Error) + 1;
constexpr int kRiskCount = static_cast<int>(RiskLevel::Critical) + 1;

char fold(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string folded(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = fold(c);
    return out;
}

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool isLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool isContinuationByte(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// One character on, so that ? and the retries after * never stop inside a UTF-8 sequence.
std::size_t nextCharacter(std::string_view s, std::size_t i) {
    ++i;
    while (i < s.size() && isContinuationByte(s[i]))
        ++i;
    return i;
}

bool equalsFolded(std::string_view text, std::string_view lowerWord) {
    if (text.size() != lowerWord.size())
        return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (fold(text[i]) != lowerWord[i])
            return false;
    }
    return true;
}

bool containsFolded(std::string_view haystack, std::string_view needle) {
    if (needle.size() > haystack.size())
        return false;
    const std::size_t last = haystack.size() - needle.size();
    for (std::size_t i = 0; i <= last; ++i) {
        if (fold(haystack[i]) != needle[0])
            continue;
        std::size_t k = 1;
        while (k < needle.size() && fold(haystack[i + k]) == needle[k])
            ++k;
        if (k == needle.size())
            return true;
    }
    return false;
}

// Greedy matching with a single backtrack point (the last *) is linear enough for names and never
// allocates, unlike a regex compiled per row.
bool globFolded(std::string_view text, std::string_view pattern) {
    std::size_t t = 0;
    std::size_t p = 0;
    std::size_t starP = std::string_view::npos;
    std::size_t starT = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            starP = p++;
            starT = t;
        } else if (p < pattern.size() && pattern[p] == '?') {
            ++p;
            t = nextCharacter(text, t);
        } else if (p < pattern.size() && pattern[p] == fold(text[t])) {
            ++p;
            ++t;
        } else if (starP != std::string_view::npos) {
            p = starP + 1;
            starT = nextCharacter(text, starT);
            t = starT;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

bool hasWildcard(std::string_view s) {
    return s.find_first_of("*?") != std::string_view::npos;
}

std::string lowerName(RiskLevel level) {
    return folded(toString(level));
}

std::string decisionNames() {
    std::string out;
    for (int i = 0; i < kDecisionCount; ++i) {
        if (i > 0)
            out += ", ";
        out += toString(static_cast<CallDecision>(i));
    }
    return out;
}

std::string riskNames() {
    std::string out;
    for (int i = 0; i < kRiskCount; ++i) {
        if (i > 0)
            out += ", ";
        out += lowerName(static_cast<RiskLevel>(i));
    }
    return out;
}

std::string withQuotes(std::string_view s) {
    return "\"" + std::string(s) + "\"";
}

// A piece of the query between unquoted whitespace, as typed.
struct Token {
    std::string_view raw;
    std::size_t column = 1;
};

class Parser {
public:
    explicit Parser(std::string_view query)
        : m_query(query) {}

    const std::string& error() const { return m_error; }

    // Splits at unquoted whitespace; quotes may start anywhere in a token, as in a shell.
    bool tokenize(std::vector<Token>* tokens) {
        std::size_t i = 0;
        while (i < m_query.size()) {
            if (isSpace(m_query[i])) {
                ++i;
                continue;
            }
            const std::size_t start = i;
            bool inQuotes = false;
            while (i < m_query.size() && (inQuotes || !isSpace(m_query[i]))) {
                if (inQuotes && m_query[i] == '\\' && i + 1 < m_query.size())
                    ++i;
                else if (m_query[i] == '"')
                    inQuotes = !inQuotes;
                ++i;
            }
            const Token token{m_query.substr(start, i - start), columnOf(start)};
            if (inQuotes)
                return fail(token, "unterminated quote");
            tokens->push_back(token);
        }
        return true;
    }

    bool fail(const Token& token, const std::string& reason) {
        std::string shown(token.raw);
        for (char& c : shown) {
            if (isSpace(c))
                c = ' ';
        }
        m_error = shown + " at column " + std::to_string(token.column) + ": " + reason;
        return false;
    }

    // A token without its first `count` bytes, with the column moved along with it.
    Token tail(const Token& token, std::size_t count) const {
        const std::size_t offset = static_cast<std::size_t>(token.raw.data() - m_query.data());
        return Token{token.raw.substr(count), columnOf(offset + count)};
    }

private:
    std::size_t columnOf(std::size_t offset) const {
        std::size_t column = 1;
        for (std::size_t i = 0; i < offset; ++i) {
            if (!isContinuationByte(m_query[i]))
                ++column;
        }
        return column;
    }

    std::string_view m_query;
    std::string m_error;
};

// Removes the quotes; \" and \\ are the only escapes so that a quoted Windows path keeps its
// backslashes.
std::string unquote(std::string_view raw) {
    std::string out;
    bool inQuotes = false;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == '"') {
            inQuotes = !inQuotes;
        } else if (inQuotes && c == '\\' && i + 1 < raw.size() &&
                   (raw[i + 1] == '"' || raw[i + 1] == '\\')) {
            out += raw[++i];
        } else {
            out += c;
        }
    }
    return out;
}

std::uint16_t decisionsMatching(std::string_view lowerValue, bool glob) {
    std::uint16_t mask = 0;
    for (int i = 0; i < kDecisionCount; ++i) {
        const std::string_view name = toString(static_cast<CallDecision>(i));
        std::string squeezed;
        for (char c : name) {
            if (c != '_')
                squeezed += c;
        }
        const bool hit = glob ? (globFolded(name, lowerValue) || globFolded(squeezed, lowerValue))
                              : (name == lowerValue || squeezed == lowerValue);
        if (hit)
            mask = static_cast<std::uint16_t>(mask | (1u << i));
    }
    return mask;
}

std::uint16_t decisionsContaining(std::string_view lowerText, bool glob) {
    std::uint16_t mask = 0;
    for (int i = 0; i < kDecisionCount; ++i) {
        const std::string_view name = toString(static_cast<CallDecision>(i));
        if (glob ? globFolded(name, lowerText) : containsFolded(name, lowerText))
            mask = static_cast<std::uint16_t>(mask | (1u << i));
    }
    return mask;
}

// Bits of the levels that satisfy "level <comparator> bound"; nullopt for a comparator we lack.
std::optional<std::uint8_t> riskMask(std::string_view comparator, RiskLevel bound) {
    const int b = static_cast<int>(bound);
    std::uint8_t mask = 0;
    for (int i = 0; i < kRiskCount; ++i) {
        bool hit = false;
        if (comparator.empty() || comparator == "=")
            hit = i == b;
        else if (comparator == ">=")
            hit = i >= b;
        else if (comparator == "<=")
            hit = i <= b;
        else if (comparator == ">")
            hit = i > b;
        else if (comparator == "<")
            hit = i < b;
        else
            return std::nullopt;
        if (hit)
            mask = static_cast<std::uint8_t>(mask | (1u << i));
    }
    return mask;
}

} // namespace

bool CallFilter::Pattern::matches(std::string_view text) const {
    return glob ? globFolded(text, needle) : containsFolded(text, needle);
}

bool CallFilter::Term::matches(const CallEvent& event, std::optional<RiskLevel> risk) const {
    const auto decisionBit = 1u << static_cast<int>(event.decision);
    switch (field) {
    case Field::Tool:
        return pattern.matches(event.tool) || pattern.matches(event.exposedName);
    case Field::Server:
        return pattern.matches(event.server);
    case Field::Client:
        return pattern.matches(event.client);
    case Field::Rule:
        return pattern.matches(event.rule);
    case Field::Session:
        return pattern.matches(event.session);
    case Field::Decision:
        return (decisions & decisionBit) != 0;
    case Field::Risk:
        return risk && (risks & (1u << static_cast<int>(*risk))) != 0;
    case Field::Text:
        return (decisions & decisionBit) != 0 || pattern.matches(event.tool) ||
               pattern.matches(event.exposedName) || pattern.matches(event.server) ||
               pattern.matches(event.client) || pattern.matches(event.rule) ||
               pattern.matches(event.reason);
    }
    return false;
}

std::optional<CallFilter> CallFilter::parse(std::string_view query, std::string* error) {
    Parser parser(query);
    const auto failed = [&]() -> std::optional<CallFilter> {
        if (error)
            *error = parser.error();
        return std::nullopt;
    };
    const auto reject = [&](const Token& token, const std::string& reason) {
        parser.fail(token, reason);
        return failed();
    };

    std::vector<Token> tokens;
    if (!parser.tokenize(&tokens))
        return failed();

    // Parses one term (with its negations) starting at tokens[*i]; false with parser.error() set.
    const auto parseTerm = [&](std::size_t* i, Term* term) -> bool {
        while (*i < tokens.size() && equalsFolded(tokens[*i].raw, "not")) {
            const Token& keyword = tokens[*i];
            ++*i;
            if (*i == tokens.size() || equalsFolded(tokens[*i].raw, "or"))
                return parser.fail(keyword, "\"not\" needs a term after it");
            term->negated = !term->negated;
        }
        Token atom = tokens[(*i)++];
        if (atom.raw.front() == '-') {
            if (atom.raw.size() == 1)
                return parser.fail(atom, "\"-\" needs a term right after it, with no space");
            term->negated = !term->negated;
            atom = parser.tail(atom, 1);
        }

        std::size_t letters = 0;
        while (letters < atom.raw.size() && isLetter(atom.raw[letters]))
            ++letters;
        if (letters == 0 || letters == atom.raw.size() || atom.raw[letters] != ':') {
            const std::string text = folded(unquote(atom.raw));
            if (text.empty())
                return parser.fail(atom, "empty text");
            term->field = Field::Text;
            term->pattern = Pattern{text, hasWildcard(text)};
            term->decisions = decisionsContaining(text, term->pattern.glob);
            return true;
        }

        const std::string_view typedName = atom.raw.substr(0, letters);
        const std::string name = folded(typedName);
        const std::string typedValue = unquote(atom.raw.substr(letters + 1));
        const std::string value = folded(typedValue);
        static constexpr std::array<std::pair<std::string_view, Field>, 7> kFields{{
            {"tool", Field::Tool},
            {"server", Field::Server},
            {"client", Field::Client},
            {"decision", Field::Decision},
            {"risk", Field::Risk},
            {"rule", Field::Rule},
            {"session", Field::Session},
        }};
        const auto field = std::find_if(kFields.begin(), kFields.end(),
                                        [&](const auto& f) { return f.first == name; });
        if (field == kFields.end())
            return parser.fail(atom, "unknown field " + withQuotes(typedName) +
                                         " (tool, server, client, decision, risk, rule, session)");
        if (value.empty())
            return parser.fail(atom, "empty value for " + withQuotes(name));
        term->field = field->second;

        if (term->field == Field::Decision) {
            std::string normalized = value;
            for (char& c : normalized) {
                if (c == '-')
                    c = '_';
            }
            const bool glob = hasWildcard(normalized);
            term->decisions = decisionsMatching(normalized, glob);
            if (term->decisions == 0)
                return parser.fail(atom, (glob ? "no decision matches " : "unknown decision ") +
                                             withQuotes(typedValue) + " (" + decisionNames() + ")");
            return true;
        }

        if (term->field == Field::Risk) {
            // Every comparator character is taken, so "=>high" reads as a bad comparator rather
            // than as an unknown level ">high".
            const std::size_t split = value.find_first_not_of("<>=!");
            const std::string comparator = value.substr(0, split);
            const std::string level =
                split == std::string::npos ? std::string() : value.substr(split);
            if (!riskMask(comparator, RiskLevel::Low))
                return parser.fail(atom, "bad comparator " + withQuotes(comparator) +
                                             " (>=, <=, >, <, =)");
            if (level.empty())
                return parser.fail(atom, "missing risk level after " + withQuotes(comparator) +
                                             " (" + riskNames() + ")");
            for (int r = 0; r < kRiskCount; ++r) {
                const auto candidate = static_cast<RiskLevel>(r);
                if (lowerName(candidate) == level) {
                    term->risks = *riskMask(comparator, candidate);
                    return true;
                }
            }
            return parser.fail(atom, "unknown risk level " +
                                         withQuotes(typedValue.substr(comparator.size())) + " (" +
                                         riskNames() + ")");
        }

        term->pattern = Pattern{value, hasWildcard(value)};
        return true;
    };

    CallFilter filter;
    std::vector<Term> current;
    const Token* lastOr = nullptr;
    for (std::size_t i = 0; i < tokens.size();) {
        if (equalsFolded(tokens[i].raw, "or")) {
            if (current.empty())
                return reject(tokens[i], "\"or\" needs a term on each side");
            filter.m_alternatives.push_back(std::move(current));
            current.clear();
            lastOr = &tokens[i++];
            continue;
        }
        Term term;
        if (!parseTerm(&i, &term))
            return failed();
        current.push_back(std::move(term));
    }
    if (current.empty() && lastOr)
        return reject(*lastOr, "\"or\" needs a term on each side");
    if (!current.empty())
        filter.m_alternatives.push_back(std::move(current));
    return filter;
}

bool CallFilter::isEmpty() const {
    return m_alternatives.empty();
}

bool CallFilter::matches(const CallEvent& event, std::optional<RiskLevel> risk) const {
    if (m_alternatives.empty())
        return true;
    for (const auto& terms : m_alternatives) {
        bool all = true;
        for (const Term& term : terms) {
            if (term.matches(event, risk) == term.negated) {
                all = false;
                break;
            }
        }
        if (all)
            return true;
    }
    return false;
}

} // namespace portcullis
