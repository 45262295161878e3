#pragma once

#include "calls/callevent.h"
#include "risk/riskclassifier.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis {

// The query a person types above the live-calls view, compiled once into a predicate that is cheap
// enough to run over every row the monitor holds each time the query changes.
//
// Everything is case-insensitive (ASCII letters; other bytes compare exactly).
//
//   tool:VALUE       the upstream tool name or the name the agent used
//   server:VALUE     the upstream key in servers.json
//   client:VALUE     the client's name
//   rule:VALUE       the JSON path of the deciding rule
//   session:VALUE    the downstream session id
//   decision:NAME    allowed, denied, rate_limited (also rate-limited, ratelimited), pending,
//                    approved, rejected, timeout, cancelled, hidden, error; or a glob over them
//   risk:[OP]LEVEL   OP one of >=, <=, >, <, = (none means =); LEVEL low, medium, high, critical.
//                    A call whose risk is unknown matches no risk term, so it does match a negated
//                    one ("-risk:high")
//   TEXT             anywhere in tool, exposed name, server, client, rule, reason or decision
//
// A VALUE or TEXT without * or ? is found as a substring ("server:ecs" matches "aws-ecs"); with
// them it is a glob that must cover the whole string (* any run, ? one character). Wildcards
// cannot be escaped: tool names do not contain them.
//
// A term is field:value only when everything before its first colon is letters; other text with
// a colon is free text, and an unknown field name is an error rather than a silent search for it.
// Double quotes keep spaces and keywords inside one value (tool:"delete app", "or"); within them
// \" and \\ stand for " and \. A leading - or the word "not" negates one term.
//
// Terms next to each other must all match; the word "or" separates alternatives and binds more
// loosely, so "a b or c" means (a and b) or c.
class CallFilter {
public:
    CallFilter() = default; // matches everything, like an empty query

    // Parses a query; on error returns std::nullopt and sets *error to a one-line reason a person
    // understands, naming the offending term and its 1-based column, e.g.
    // "risk:>=hgih at column 1: unknown risk level \"hgih\" (low, medium, high, critical)".
    static std::optional<CallFilter> parse(std::string_view query, std::string* error);

    bool isEmpty() const; // empty/whitespace query matches everything
    bool matches(const CallEvent& event, std::optional<RiskLevel> risk) const;

private:
    // Glob or substring needle, already lower-cased so matching a row never allocates.
    struct Pattern {
        std::string needle;
        bool glob = false;
        bool matches(std::string_view text) const;
    };

    enum class Field : std::uint8_t { Tool, Server, Client, Rule, Session, Decision, Risk, Text };

    struct Term {
        Field field = Field::Text;
        bool negated = false;
        Pattern pattern;             // text fields
        std::uint16_t decisions = 0; // bit per CallDecision: decision terms, and text naming one
        std::uint8_t risks = 0;      // bit per RiskLevel
        bool matches(const CallEvent& event, std::optional<RiskLevel> risk) const;
    };

    // Alternatives joined by "or", each a list of terms that must all match.
    std::vector<std::vector<Term>> m_alternatives;
};

} // namespace portcullis
