#include "calls/callfilter.h"

#include <QStringList>
#include <QTest>

using portcullis::CallDecision;
using portcullis::CallEvent;
using portcullis::CallFilter;
using portcullis::RiskLevel;

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

// One call as the table describes it; every row starts from the same delete_app call and changes
// only what it is about.
struct Call {
    const char* tool = "delete_app";
    const char* exposed = "ecs__delete_app";
    const char* server = "aws-ecs";
    const char* client = "Claude Code";
    const char* rule = "servers.aws-ecs.tools.delete_app";
    const char* session = "sess-42";
    const char* reason = "";
    const char* decision = "allowed";
    const char* risk = "high"; // "" when the catalog does not know the tool
};

std::optional<RiskLevel> riskFrom(const QString& name) {
    for (RiskLevel level :
         {RiskLevel::Low, RiskLevel::Medium, RiskLevel::High, RiskLevel::Critical}) {
        if (name.compare(QString::fromUtf8(portcullis::toString(level)), Qt::CaseInsensitive) == 0)
            return level;
    }
    return std::nullopt;
}

} // namespace

class TestCallFilter final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matching_data();
    void matching();
    void invalidQueries_data();
    void invalidQueries();
    void emptyQueriesMatchEverything_data();
    void emptyQueriesMatchEverything();
    void errorMessageReadsAsDocumented();
    void columnsCountCharacters();
    void errorIsOptional();
};

void TestCallFilter::matching_data() {
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("tool");
    QTest::addColumn<QString>("exposedName");
    QTest::addColumn<QString>("server");
    QTest::addColumn<QString>("client");
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("session");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("decision");
    QTest::addColumn<QString>("risk");
    QTest::addColumn<bool>("expected");

    const auto row = [](const char* name, const char* query, const Call& c, bool expected) {
        QTest::newRow(name) << query << c.tool << c.exposed << c.server << c.client << c.rule
                            << c.session << c.reason << c.decision << c.risk << expected;
    };

    // tool: covers both names; no wildcard means substring, a wildcard means the whole name.
    row("tool substring", "tool:delete", {}, true);
    row("tool substring of exposed name only", "tool:ecs__", {}, true);
    row("tool miss", "tool:create", {}, false);
    row("tool glob prefix", "tool:delete*", {}, true);
    row("tool glob suffix", "tool:*app", {}, true);
    row("tool glob must cover the whole name", "tool:app*", {}, false);
    row("tool glob one character", "tool:delete_ap?", {}, true);
    row("tool glob one character too few", "tool:delete_a?", {}, false);
    row("tool glob over exposed name", "tool:ecs__*", {}, true);
    row("tool glob star matches all", "tool:*", {}, true);
    row("tool glob inner star", "tool:d*_*p", {}, true);
    row("tool glob needs backtracking", "tool:*e_app", {.tool = "delete_delete_app", .exposed = ""},
        true);
    row("tool glob star then miss", "tool:*x*", {}, false);

    row("server substring", "server:ecs", {}, true);
    row("server glob", "server:aws-*", {}, true);
    row("server glob anchored", "server:ecs*", {}, false);
    row("server miss", "server:github", {}, false);

    row("client substring", "client:claude", {}, true);
    row("client quoted with space", "client:\"claude code\"", {}, true);
    row("client glob across space", "client:claude*code", {}, true);
    row("client miss", "client:cursor", {}, false);

    row("rule substring", "rule:tools.delete", {}, true);
    row("rule glob", "rule:servers.*.delete_app", {}, true);
    row("rule miss", "rule:default", {}, false);

    row("session substring", "session:42", {}, true);
    row("session glob", "session:sess-4?", {}, true);
    row("session miss", "session:43", {}, false);

    // decision: exact names, aliases for rate_limited, globs over the names.
    row("decision exact", "decision:allowed", {}, true);
    row("decision other", "decision:denied", {}, false);
    row("decision denied", "decision:denied", {.decision = "denied"}, true);
    row("decision rate_limited", "decision:rate_limited", {.decision = "rate_limited"}, true);
    row("decision rate-limited", "decision:rate-limited", {.decision = "rate_limited"}, true);
    row("decision ratelimited", "decision:ratelimited", {.decision = "rate_limited"}, true);
    row("decision pending", "decision:pending", {.decision = "pending"}, true);
    row("decision approved", "decision:approved", {.decision = "approved"}, true);
    row("decision rejected", "decision:rejected", {.decision = "rejected"}, true);
    row("decision timeout", "decision:timeout", {.decision = "timeout"}, true);
    row("decision cancelled", "decision:cancelled", {.decision = "cancelled"}, true);
    row("decision hidden", "decision:hidden", {.decision = "hidden"}, true);
    row("decision error", "decision:error", {.decision = "error"}, true);
    row("decision error is not timeout", "decision:error", {.decision = "timeout"}, false);
    row("decision glob hit", "decision:rej*", {.decision = "rejected"}, true);
    row("decision glob miss", "decision:rej*", {}, false);
    row("decision glob suffix", "decision:*ed", {.decision = "cancelled"}, true);
    row("decision glob suffix miss", "decision:*ed", {.decision = "pending"}, false);

    // risk: levels and comparators; unknown risk matches no risk term.
    row("risk exact", "risk:high", {}, true);
    row("risk exact other", "risk:high", {.risk = "critical"}, false);
    row("risk equals", "risk:=high", {}, true);
    row("risk at least, equal", "risk:>=high", {}, true);
    row("risk at least, above", "risk:>=high", {.risk = "critical"}, true);
    row("risk at least, below", "risk:>=high", {.risk = "medium"}, false);
    row("risk above, equal", "risk:>high", {}, false);
    row("risk above, above", "risk:>high", {.risk = "critical"}, true);
    row("risk at most, equal", "risk:<=medium", {.risk = "medium"}, true);
    row("risk at most, below", "risk:<=medium", {.risk = "low"}, true);
    row("risk at most, above", "risk:<=medium", {}, false);
    row("risk below, equal", "risk:<medium", {.risk = "medium"}, false);
    row("risk below, below", "risk:<medium", {.risk = "low"}, true);
    row("risk low", "risk:low", {.risk = "low"}, true);
    row("risk critical", "risk:critical", {.risk = "critical"}, true);
    row("risk unknown, exact", "risk:high", {.risk = ""}, false);
    row("risk unknown, at least low", "risk:>=low", {.risk = ""}, false);
    row("risk unknown, at most critical", "risk:<=critical", {.risk = ""}, false);
    row("risk unknown, negated", "-risk:high", {.risk = ""}, true);

    // Free text: substring of tool, exposed name, server, client, rule, reason, decision name.
    row("text in tool", "delete", {.exposed = ""}, true);
    row("text in exposed name", "ecs__", {}, true);
    row("text in server", "aws", {}, true);
    row("text in client", "claude", {}, true);
    row("text in rule", "tools.", {}, true);
    row("text in reason", "quota", {.reason = "daily quota reached"}, true);
    row("text in decision", "denied", {.decision = "denied"}, true);
    row("text decision part", "limit", {.decision = "rate_limited"}, true);
    row("text not the decision", "denied", {}, false);
    row("text not in session", "sess-42", {}, false);
    row("text miss", "nothing", {}, false);
    row("text glob whole field", "delete*", {}, true);
    row("text glob anchored", "app*", {}, false);
    row("text glob over decision", "rej*", {.decision = "rejected"}, true);
    row("text with digits and colon", "v2:beta", {.reason = "needs v2:beta"}, true);
    row("text with leading colon", ":8080", {.reason = "listening on :8080"}, true);
    row("text quoted phrase", "\"claude code\"", {}, true);
    row("text quoted phrase order", "\"code claude\"", {}, false);
    row("text quoted keeps field literal", "\"tool:delete\"",
        {.tool = "create_app", .exposed = "", .reason = "tool:delete is held"}, true);
    row("text quoted is not a field", "\"tool:delete\"", {}, false);
    row("text quoted or", "\"or\"", {.tool = "order_pizza"}, true);
    row("text quoted not", "\"not\"", {.reason = "not today"}, true);

    // Quotes and escapes in values.
    row("quoted value with space", "tool:\"delete app\"", {.tool = "delete app"}, true);
    row("quoted value with space miss", "tool:\"delete app\"", {}, false);
    row("escaped quote", "\"say \\\"hi\\\"\"", {.reason = "say \"hi\" now"}, true);
    row("escaped backslash", "\"a\\\\b\"", {.reason = "a\\b"}, true);
    row("other backslashes stay", "\"C:\\temp\"", {.reason = "wrote C:\\temp\\x"}, true);
    row("quoted glob", "tool:\"delete *\"", {.tool = "delete everything"}, true);

    // Case-insensitive everywhere, ASCII only.
    row("field name upper case", "TOOL:delete", {}, true);
    row("value upper case", "tool:DELETE_APP", {}, true);
    row("event upper case", "tool:delete_app", {.tool = "Delete_App", .exposed = ""}, true);
    row("glob upper case", "Server:AWS-*", {}, true);
    row("decision upper case", "DECISION:Rate-Limited", {.decision = "rate_limited"}, true);
    row("risk upper case", "Risk:>=HIGH", {.risk = "critical"}, true);
    row("keywords upper case", "NOT tool:create OR tool:x", {}, true);
    row("non-ASCII exact", "tool:créer", {.tool = "créer_app"}, true);
    row("non-ASCII not folded", "tool:CRÉER", {.tool = "créer_app", .exposed = ""}, false);
    row("non-ASCII beside folded ASCII", "tool:CRéER", {.tool = "créer_app"}, true);
    row("question mark is one character", "tool:cr?er*", {.tool = "créer_app"}, true);
    row("question mark is not one byte", "tool:cr??er*", {.tool = "créer_app", .exposed = ""},
        false);

    // Negation.
    row("minus negates a hit", "-tool:delete", {}, false);
    row("minus negates a miss", "-tool:create", {}, true);
    row("not negates a hit", "not tool:delete", {}, false);
    row("not negates a miss", "not tool:create", {}, true);
    row("not and minus cancel", "not -tool:delete", {}, true);
    row("minus on quoted text", "-\"aws\"", {}, false);
    row("minus inside a value is literal", "tool:-x", {.tool = "a-x"}, true);

    // AND binds tighter than OR.
    row("and both", "tool:delete server:ecs", {}, true);
    row("and one misses", "tool:delete server:github", {}, false);
    row("or either", "tool:create or server:ecs", {}, true);
    row("or neither", "tool:create or server:github", {}, false);
    row("or after and", "tool:create server:ecs or decision:allowed", {}, true);
    row("or before and", "tool:delete or server:github decision:denied", {}, true);
    row("or between ands, both miss", "tool:delete server:github or tool:create decision:allowed",
        {}, false);
    row("or between ands, second hits", "tool:delete server:github or tool:delete decision:allowed",
        {}, true);
    row("not binds to one term", "not tool:create server:github", {}, false);
    row("three alternatives", "tool:x or tool:y or risk:high", {}, true);
}

void TestCallFilter::matching() {
    QFETCH(QString, query);
    QFETCH(QString, tool);
    QFETCH(QString, exposedName);
    QFETCH(QString, server);
    QFETCH(QString, client);
    QFETCH(QString, rule);
    QFETCH(QString, session);
    QFETCH(QString, reason);
    QFETCH(QString, decision);
    QFETCH(QString, risk);
    QFETCH(bool, expected);

    std::string error;
    const auto filter = CallFilter::parse(query.toStdString(), &error);
    QVERIFY2(filter, error.c_str());
    QVERIFY(!filter->isEmpty());

    CallEvent event;
    event.tool = tool.toStdString();
    event.exposedName = exposedName.toStdString();
    event.server = server.toStdString();
    event.client = client.toStdString();
    event.rule = rule.toStdString();
    event.session = session.toStdString();
    event.reason = reason.toStdString();
    const auto d = portcullis::callDecisionFromString(decision.toStdString());
    QVERIFY2(d, "the table names an unknown decision");
    event.decision = *d;
    const std::optional<RiskLevel> level = riskFrom(risk);
    QVERIFY2(level || risk.isEmpty(), "the table names an unknown risk level");

    QCOMPARE(filter->matches(event, level), expected);
}

void TestCallFilter::invalidQueries_data() {
    QTest::addColumn<QString>("query");
    QTest::addColumn<QStringList>("mentions");

    const auto row = [](const char* name, const char* query, QStringList mentions) {
        QTest::newRow(name) << query << mentions;
    };
    const auto words = [](std::initializer_list<const char*> list) {
        QStringList out;
        for (const char* w : list)
            out << QString::fromUtf8(w);
        return out;
    };

    row("unknown field", "tol:x",
        words({"tol:x at column 1", "unknown field \"tol\"", "tool, server, client, decision, risk",
               "rule, session"}));
    row("unknown field later", "tool:a tol:x", words({"tol:x at column 8", "unknown field"}));
    row("unknown field negated", "-tol:x", words({"tol:x at column 2", "unknown field \"tol\""}));
    row("unknown field keeps its case", "Tol:x", words({"unknown field \"Tol\""}));
    row("url-like text", "http://example.com", words({"unknown field \"http\""}));
    row("unknown decision", "decision:rejeted",
        words({"decision:rejeted at column 1", "unknown decision \"rejeted\"", "allowed",
               "rate_limited", "cancelled", "error"}));
    row("decision needs the whole name", "decision:allow", words({"unknown decision \"allow\""}));
    row("decision glob matching nothing", "decision:xyz*",
        words({"no decision matches \"xyz*\"", "allowed"}));
    row("unknown risk level", "risk:>=hgih",
        words({"risk:>=hgih at column 1", "unknown risk level \"hgih\"",
               "low, medium, high, critical"}));
    row("unknown risk level without comparator", "risk:severe",
        words({"unknown risk level \"severe\""}));
    row("risk levels are not globs", "risk:h*", words({"unknown risk level \"h*\""}));
    row("bad comparator =>", "risk:=>high",
        words({"risk:=>high at column 1", "bad comparator \"=>\"", ">=, <=, >, <, ="}));
    row("bad comparator ==", "risk:==high", words({"bad comparator \"==\""}));
    row("bad comparator !=", "risk:!=high", words({"bad comparator \"!=\""}));
    row("bad comparator >>", "risk:>>high", words({"bad comparator \">>\""}));
    row("comparator without level", "risk:>=", words({"missing risk level", "\">=\""}));
    row("empty tool", "tool:", words({"tool: at column 1", "empty value for \"tool\""}));
    row("empty server",
        "decision:allowed server:", words({"server: at column 18", "empty value for \"server\""}));
    row("empty risk", "risk:", words({"empty value for \"risk\""}));
    row("empty decision", "decision:", words({"empty value for \"decision\""}));
    row("empty quoted value", "client:\"\"", words({"empty value for \"client\""}));
    row("empty quoted text", "\"\"", words({"at column 1", "empty text"}));
    row("unterminated quote", "tool:\"delete app",
        words({"tool:\"delete app at column 1", "unterminated quote"}));
    row("unterminated quote later", "a \"b c", words({"at column 3", "unterminated quote"}));
    row("escaped quote does not close", "\"abc\\\"", words({"unterminated quote"}));
    row("or at the start", "or tool:x", words({"or at column 1", "\"or\" needs a term"}));
    row("or at the end", "tool:x or", words({"or at column 8", "\"or\" needs a term"}));
    row("or or", "tool:x or or server:y", words({"or at column 11", "\"or\" needs a term"}));
    row("or alone", "OR", words({"OR at column 1", "\"or\" needs a term"}));
    row("not at the end", "tool:x not", words({"not at column 8", "\"not\" needs a term"}));
    row("not alone", "not", words({"not at column 1", "\"not\" needs a term"}));
    row("not before or", "tool:x not or tool:y", words({"not at column 8", "\"not\""}));
    row("lone minus", "- tool:x", words({"- at column 1", "\"-\" needs a term"}));
    row("error after a valid alternative", "tool:x or risk:extreme",
        words({"risk:extreme at column 11", "unknown risk level \"extreme\""}));
}

void TestCallFilter::invalidQueries() {
    QFETCH(QString, query);
    QFETCH(QStringList, mentions);

    std::string error;
    const auto filter = CallFilter::parse(query.toStdString(), &error);
    QVERIFY(!filter);
    QVERIFY(!error.empty());
    QVERIFY2(!qs(error).contains(QLatin1Char('\n')), error.c_str());
    for (const QString& m : mentions)
        QVERIFY2(qs(error).contains(m), qPrintable(m + QStringLiteral(" not in: ") + qs(error)));
}

void TestCallFilter::emptyQueriesMatchEverything_data() {
    QTest::addColumn<QString>("query");
    QTest::newRow("empty") << "";
    QTest::newRow("spaces") << "   ";
    QTest::newRow("tabs and newlines") << " \t\n ";
}

void TestCallFilter::emptyQueriesMatchEverything() {
    QFETCH(QString, query);
    std::string error;
    const auto filter = CallFilter::parse(query.toStdString(), &error);
    QVERIFY2(filter, error.c_str());
    QVERIFY(filter->isEmpty());

    CallEvent event;
    event.tool = "anything";
    event.decision = CallDecision::Denied;
    QVERIFY(filter->matches(event, std::nullopt));
    QVERIFY(filter->matches(event, RiskLevel::Critical));
    QVERIFY(filter->matches(CallEvent{}, std::nullopt));
    QVERIFY(CallFilter().isEmpty());
    QVERIFY(CallFilter().matches(event, std::nullopt));
}

void TestCallFilter::errorMessageReadsAsDocumented() {
    std::string error;
    QVERIFY(!CallFilter::parse("risk:>=hgih", &error));
    QCOMPARE(qs(error), QStringLiteral("risk:>=hgih at column 1: unknown risk level \"hgih\" "
                                       "(low, medium, high, critical)"));
    QVERIFY(!CallFilter::parse("tol:x", &error));
    QCOMPARE(qs(error), QStringLiteral("tol:x at column 1: unknown field \"tol\" "
                                       "(tool, server, client, decision, risk, rule, session)"));
}

void TestCallFilter::columnsCountCharacters() {
    // The column is what a person counts in the search box, not a byte offset.
    std::string error;
    QVERIFY(!CallFilter::parse("\"é\" tol:x", &error));
    QVERIFY2(qs(error).startsWith(QStringLiteral("tol:x at column 5:")), error.c_str());
}

void TestCallFilter::errorIsOptional() {
    QVERIFY(!CallFilter::parse("tol:x", nullptr));
    QVERIFY(CallFilter::parse("tool:x", nullptr));
}

QTEST_GUILESS_MAIN(TestCallFilter)
#include "test_callfilter.moc"
