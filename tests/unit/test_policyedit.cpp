#include "policy/condition.h"
#include "policy/policyedit.h"
#include "policy/policyio.h"
#include "risk/riskclassifier.h"
#include "risk/starterpolicy.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>

using nlohmann::json;
using portcullis::ApprovalSettings;
using portcullis::ClassifiedTool;
using portcullis::Condition;
using portcullis::ConditionOp;
using portcullis::DefaultAction;
using portcullis::Limit;
using portcullis::LimitScope;
using portcullis::LimitWindow;
using portcullis::Policy;
using portcullis::RiskCategory;
using portcullis::TimeoutAction;
using portcullis::ToolRule;
using portcullis::PolicyEdit::ArgumentChoice;
using portcullis::PolicyEdit::ConditionList;
using portcullis::PolicyEdit::EditResult;
using portcullis::PolicyEdit::RuleKind;
using portcullis::PolicyEdit::ToolRef;

namespace PolicyEdit = portcullis::PolicyEdit;
namespace PolicyIo = portcullis::PolicyIo;

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

// Test policies are written without "version" to keep the tables readable.
Policy policyOf(const QByteArray& text) {
    json doc = json::parse(text.toStdString());
    if (!doc.contains("version"))
        doc["version"] = "1";
    portcullis::PolicyLoadResult loaded = PolicyIo::parse(doc.dump());
    if (!loaded.ok())
        qFatal("test policy does not load: %s %s", text.constData(),
               loaded.problems.front().format("policy").c_str());
    return *loaded.policy;
}

// Empty when the policy saves and loads back equal, without an error.
std::string roundTripProblem(const Policy& policy) {
    const std::string text = PolicyIo::serialize(policy);
    const portcullis::PolicyLoadResult loaded = PolicyIo::parse(text);
    for (const auto& p : loaded.problems) {
        if (p.isError())
            return p.format("saved policy") + "\n" + text;
    }
    if (!(*loaded.policy == policy))
        return "loads back different:\n" + text + "\nloaded:\n" +
               PolicyIo::serialize(*loaded.policy);
    return {};
}

std::vector<Limit> limitsFrom(const QByteArray& text) {
    std::vector<Limit> out;
    for (const json& j : json::parse(text.toStdString())) {
        Limit l;
        l.counter = j.value("counter", "");
        l.window = *portcullis::limitWindowFromString(j.value("window", "minute"));
        l.max = j.at("max").get<std::int64_t>();
        l.scope = *portcullis::limitScopeFromString(j.value("scope", "grant"));
        out.push_back(l);
    }
    return out;
}

std::vector<Condition> conditionsFrom(const QByteArray& text) {
    std::vector<Condition> out;
    for (const json& j : json::parse(text.toStdString())) {
        Condition c;
        c.path = j.at("path").get<std::string>();
        c.op = *portcullis::conditionOpFromString(j.at("op").get<std::string>());
        c.value = j.contains("value") ? j.at("value") : json();
        out.push_back(c);
    }
    return out;
}

json loadJson(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", qPrintable(path));
    return json::parse(f.readAll().toStdString());
}

json demoTools() {
    return loadJson(QStringLiteral(PORTCULLIS_SOURCE_DIR "/resources/demo/demo-tools.json"))
        .at("tools");
}

json fixtureTool(const char* fixture, const std::string& name) {
    const json tools = loadJson(QStringLiteral(PORTCULLIS_SOURCE_DIR "/tests/data/fixtures/") +
                                QLatin1String(fixture))
                           .at("tools");
    for (const json& t : tools) {
        if (t.at("name") == name)
            return t;
    }
    qFatal("no tool %s in %s", name.c_str(), fixture);
}

json demoSchema(const std::string& name) {
    for (const json& t : demoTools()) {
        if (t.at("name") == name)
            return t.at("inputSchema");
    }
    qFatal("no demo tool %s", name.c_str());
}

ClassifiedTool withCategory(const std::string& name, RiskCategory category) {
    ClassifiedTool t{json{{"name", name}}, {}};
    t.assessment.category = category;
    t.assessment.risk = portcullis::defaultRisk(category);
    return t;
}

QString opNames(const std::vector<ConditionOp>& ops) {
    QStringList names;
    for (ConditionOp op : ops)
        names << QLatin1String(portcullis::toString(op));
    return names.join(QLatin1Char(' '));
}

} // namespace

// An edit must have applied, and its policy must save and load back equal.
#define VERIFY_APPLIED(result)                                                                     \
    do {                                                                                           \
        QVERIFY2((result).ok(), (result).problem.c_str());                                         \
        const std::string roundTrip = roundTripProblem(*(result).policy);                          \
        QVERIFY2(roundTrip.empty(), roundTrip.c_str());                                            \
    } while (false)

#define COMPARE_POLICY(actual, expected)                                                           \
    do {                                                                                           \
        QCOMPARE(qs(PolicyIo::serialize(actual)), qs(PolicyIo::serialize(expected)));              \
        QVERIFY((actual) == (expected));                                                           \
    } while (false)

// An edit must have been refused with a message naming the problem.
#define VERIFY_REFUSED(result, expectedProblem)                                                    \
    do {                                                                                           \
        QVERIFY(!(result).ok());                                                                   \
        QVERIFY2(qs((result).problem).contains(expectedProblem), (result).problem.c_str());        \
    } while (false)

class TestPolicyEdit final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void setKind_data();
    void setKind();
    void kindOf_data();
    void kindOf();
    void ruleSummary_data();
    void ruleSummary();
    void setLimits_data();
    void setLimits();
    void setConditions_data();
    void setConditions();
    void conditionsReachTheEngine();
    void conditionProblem_data();
    void conditionProblem();
    void setApproval_data();
    void setApproval();
    void setReason_data();
    void setReason();
    void removeRule_data();
    void removeRule();
    void setDefault_data();
    void setDefault();
    void setAllToolsLimits_data();
    void setAllToolsLimits();
    void bulkKind_data();
    void bulkKind();
    void applyLimit_data();
    void applyLimit();
    void recommendedEqualsStarterPolicy();
    void recommendedReplacesRules();
    void recommendedInServerSection();
    void recommendedCountersStayUnique();
    void everyEditRoundTrips_data();
    void everyEditRoundTrips();
    void argumentsOfDemoTools_data();
    void argumentsOfDemoTools();
    void argumentsOfNested();
    void operatorsFor_data();
    void operatorsFor();
    void recommendedConditionsUseOfferedOperators();
};

// --- Kind ----------------------------------------------------------------------------------

void TestPolicyEdit::setKind_data() {
    QTest::addColumn<QByteArray>("policy");
    QTest::addColumn<QString>("server");
    QTest::addColumn<QString>("tool");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QByteArray>("expected"); // empty: refused
    QTest::addColumn<QString>("problem");

    const QString t = QStringLiteral("t");
    const QString s = QStringLiteral("s");
    const QString none;
    const auto allow = int(RuleKind::Allow);
    const auto deny = int(RuleKind::Deny);
    const auto hide = int(RuleKind::Hide);
    const auto approve = int(RuleKind::NeedsApproval);

    QTest::newRow("allow under default deny lists the tool")
        << QByteArray(R"({"default":"deny"})") << none << t << allow
        << QByteArray(R"({"default":"deny","tools":{"t":{}}})") << QString();
    QTest::newRow("allow under default allow needs no rule")
        << QByteArray(R"({"default":"allow"})") << none << t << allow
        << QByteArray(R"({"default":"allow"})") << QString();
    QTest::newRow("allow drops a rule left empty under default allow")
        << QByteArray(R"({"default":"allow","tools":{"t":{"action":"deny"},"u":{}}})") << none << t
        << allow << QByteArray(R"({"default":"allow","tools":{"u":{}}})") << QString();
    QTest::newRow("allow keeps limits")
        << QByteArray(R"({"default":"allow","tools":{"t":{"action":"deny","limits":[)"
                      R"({"counter":"c","window":"minute","max":5,"scope":"grant"}]}}})")
        << none << t << allow
        << QByteArray(R"({"default":"allow","tools":{"t":{"limits":[)"
                      R"({"counter":"c","window":"minute","max":5,"scope":"grant"}]}}})")
        << QString();
    QTest::newRow("allow keeps the reason")
        << QByteArray(R"({"default":"allow","tools":{"t":{"action":"deny","reason":"r"}}})") << none
        << t << allow << QByteArray(R"({"default":"allow","tools":{"t":{"reason":"r"}}})")
        << QString();
    QTest::newRow("allow keeps conditions")
        << QByteArray(R"({"default":"allow","tools":{"t":{"action":"approve","deny_if":[)"
                      R"({"path":"args.a","op":"eq","value":1}]}}})")
        << none << t << allow
        << QByteArray(R"({"default":"allow","tools":{"t":{"deny_if":[)"
                      R"({"path":"args.a","op":"eq","value":1}]}}})")
        << QString();
    QTest::newRow("allow removes an explicit action under default deny")
        << QByteArray(R"({"default":"deny","tools":{"t":{"action":"approve"}}})") << none << t
        << allow << QByteArray(R"({"default":"deny","tools":{"t":{}}})") << QString();
    QTest::newRow("deny writes the action")
        << QByteArray(R"({"default":"allow"})") << none << t << deny
        << QByteArray(R"({"default":"allow","tools":{"t":{"action":"deny"}}})") << QString();
    QTest::newRow("deny keeps limits and approval")
        << QByteArray(R"({"default":"deny","tools":{"t":{"action":"approve","limits":[)"
                      R"({"counter":"c","window":"day","max":9,"scope":"session"}],)"
                      R"("approval":{"timeout_s":10,"on_timeout":"allow"}}}})")
        << none << t << deny
        << QByteArray(R"({"default":"deny","tools":{"t":{"action":"deny","limits":[)"
                      R"({"counter":"c","window":"day","max":9,"scope":"session"}],)"
                      R"("approval":{"timeout_s":10,"on_timeout":"allow"}}}})")
        << QString();
    QTest::newRow("needs approval writes approve")
        << QByteArray(R"({"default":"deny","tools":{"t":{}}})") << none << t << approve
        << QByteArray(R"({"default":"deny","tools":{"t":{"action":"approve"}}})") << QString();
    QTest::newRow("hide only lists the name")
        << QByteArray(R"({"default":"deny","hide":["a"],"tools":{"t":{"action":"approve"}}})")
        << none << t << hide
        << QByteArray(R"({"default":"deny","hide":["a","t"],"tools":{"t":{"action":"approve"}}})")
        << QString();
    QTest::newRow("hide of a hidden tool changes nothing")
        << QByteArray(R"({"default":"deny","hide":["t"]})") << none << t << hide
        << QByteArray(R"({"default":"deny","hide":["t"]})") << QString();
    QTest::newRow("hide under a wildcard changes nothing")
        << QByteArray(R"({"default":"deny","hide":["*"]})") << none << t << hide
        << QByteArray(R"({"default":"deny","hide":["*"]})") << QString();
    QTest::newRow("unhide to allow under default deny")
        << QByteArray(R"({"default":"deny","hide":["t"]})") << none << t << allow
        << QByteArray(R"({"default":"deny","tools":{"t":{}}})") << QString();
    QTest::newRow("unhide keeps the other names")
        << QByteArray(R"({"default":"allow","hide":["a","t","b"]})") << none << t << deny
        << QByteArray(R"({"default":"allow","hide":["a","b"],"tools":{"t":{"action":"deny"}}})")
        << QString();
    QTest::newRow("unhide gives the kept rule back")
        << QByteArray(R"({"default":"deny","hide":["t"],"tools":{"t":{"action":"approve",)"
                      R"("reason":"r"}}})")
        << none << t << approve
        << QByteArray(R"({"default":"deny","tools":{"t":{"action":"approve","reason":"r"}}})")
        << QString();
    QTest::newRow("unhide refused under a wildcard")
        << QByteArray(R"({"default":"deny","hide":["*"]})") << none << t << allow << QByteArray()
        << QStringLiteral("hide: \"*\" hides every tool");
    QTest::newRow("unhide refused under a section wildcard")
        << QByteArray(R"({"default":"deny","servers":{"s":{"hide":["*"]}}})") << s << t << allow
        << QByteArray() << QStringLiteral("servers.s.hide: \"*\"");
    QTest::newRow("no tool named") << QByteArray(R"({"default":"deny"})") << s << QString() << allow
                                   << QByteArray() << QStringLiteral("a tool name is needed");
    QTest::newRow("section rule is edited in place")
        << QByteArray(R"({"default":"deny","tools":{"t":{}},"servers":{"s":{"tools":{"t":{}}}}})")
        << s << t << deny
        << QByteArray(R"({"default":"deny","tools":{"t":{}},)"
                      R"("servers":{"s":{"tools":{"t":{"action":"deny"}}}}})")
        << QString();
    QTest::newRow("section without the rule: top level")
        << QByteArray(R"({"default":"deny","servers":{"s":{"default":"allow"}}})") << s << t
        << approve
        << QByteArray(R"({"default":"deny","tools":{"t":{"action":"approve"}},)"
                      R"("servers":{"s":{"default":"allow"}}})")
        << QString();
    QTest::newRow("hide goes to the section that rules the tool")
        << QByteArray(R"({"default":"deny","servers":{"s":{"tools":{"t":{}}}}})") << s << t << hide
        << QByteArray(R"({"default":"deny","servers":{"s":{"hide":["t"],"tools":{"t":{}}}}})")
        << QString();
    QTest::newRow("unhide clears the section and the top level")
        << QByteArray(R"({"default":"deny","hide":["t"],)"
                      R"("servers":{"s":{"hide":["t","u"],"tools":{"t":{"action":"deny"}}}}})")
        << s << t << allow
        << QByteArray(R"({"default":"deny","servers":{"s":{"hide":["u"],"tools":{"t":{}}}}})")
        << QString();
    QTest::newRow("an empty section rule that shadows a top-level rule stays")
        << QByteArray(R"({"default":"allow","tools":{"t":{"action":"deny"}},)"
                      R"("servers":{"s":{"tools":{"t":{"action":"approve"}}}}})")
        << s << t << allow
        << QByteArray(R"({"default":"allow","tools":{"t":{"action":"deny"}},)"
                      R"("servers":{"s":{"tools":{"t":{}}}}})")
        << QString();
    QTest::newRow("an empty section rule goes when nothing takes its place")
        << QByteArray(R"({"default":"allow","servers":{"s":{"tools":{"t":{"action":"deny"}}}}})")
        << s << t << allow << QByteArray(R"({"default":"allow","servers":{"s":{"tools":{}}}})")
        << QString();
    QTest::newRow("an empty top-level rule stays while a section denies by default")
        << QByteArray(R"({"default":"allow","tools":{"t":{"action":"deny"}},)"
                      R"("servers":{"s":{"default":"deny"}}})")
        << QStringLiteral("other") << t << allow
        << QByteArray(R"({"default":"allow","tools":{"t":{}},"servers":{"s":{"default":"deny"}}})")
        << QString();
}

void TestPolicyEdit::setKind() {
    QFETCH(QByteArray, policy);
    QFETCH(QString, server);
    QFETCH(QString, tool);
    QFETCH(int, kind);
    QFETCH(QByteArray, expected);
    QFETCH(QString, problem);

    const Policy before = policyOf(policy);
    const Policy copy = before;
    const ToolRef ref{server.toStdString(), tool.toStdString()};
    const EditResult result = PolicyEdit::setKind(before, ref, static_cast<RuleKind>(kind));
    QVERIFY(before == copy);
    if (expected.isEmpty()) {
        VERIFY_REFUSED(result, problem);
        return;
    }
    VERIFY_APPLIED(result);
    COMPARE_POLICY(*result.policy, policyOf(expected));
    QCOMPARE(int(PolicyEdit::kindOf(*result.policy, ref)), kind);
}

void TestPolicyEdit::kindOf_data() {
    QTest::addColumn<QByteArray>("policy");
    QTest::addColumn<QString>("server");
    QTest::addColumn<int>("kind");

    const QString s = QStringLiteral("s");
    QTest::newRow("default deny") << QByteArray(R"({"default":"deny"})") << QString()
                                  << int(RuleKind::Deny);
    QTest::newRow("default allow")
        << QByteArray(R"({"default":"allow"})") << QString() << int(RuleKind::Allow);
    QTest::newRow("section default") << QByteArray(R"({"default":"deny",)"
                                                   R"("servers":{"s":{"default":"allow"}}})")
                                     << s << int(RuleKind::Allow);
    QTest::newRow("other server's default")
        << QByteArray(R"({"default":"deny","servers":{"s":{"default":"allow"}}})")
        << QStringLiteral("x") << int(RuleKind::Deny);
    QTest::newRow("listed") << QByteArray(R"({"default":"deny","tools":{"t":{}}})") << QString()
                            << int(RuleKind::Allow);
    QTest::newRow("conditions do not change the kind")
        << QByteArray(R"({"default":"deny","tools":{"t":{"approve_if":[)"
                      R"({"path":"args.a","op":"exists","value":true}]}}})")
        << QString() << int(RuleKind::Allow);
    QTest::newRow("deny") << QByteArray(R"({"default":"allow","tools":{"t":{"action":"deny"}}})")
                          << QString() << int(RuleKind::Deny);
    QTest::newRow("approve") << QByteArray(
                                    R"({"default":"allow","tools":{"t":{"action":"approve"}}})")
                             << QString() << int(RuleKind::NeedsApproval);
    QTest::newRow("hidden wins over a rule")
        << QByteArray(R"({"default":"allow","hide":["t"],"tools":{"t":{"action":"approve"}}})")
        << QString() << int(RuleKind::Hide);
    QTest::newRow("wildcard") << QByteArray(R"({"default":"allow","hide":["*"]})") << QString()
                              << int(RuleKind::Hide);
    QTest::newRow("hidden in the section")
        << QByteArray(R"({"default":"allow","servers":{"s":{"hide":["t"]}}})") << s
        << int(RuleKind::Hide);
    QTest::newRow("section rule replaces the top-level rule")
        << QByteArray(R"({"default":"deny","tools":{"t":{"action":"deny"}},)"
                      R"("servers":{"s":{"tools":{"t":{"action":"approve"}}}}})")
        << s << int(RuleKind::NeedsApproval);
}

void TestPolicyEdit::kindOf() {
    QFETCH(QByteArray, policy);
    QFETCH(QString, server);
    QFETCH(int, kind);
    QCOMPARE(int(PolicyEdit::kindOf(policyOf(policy), {server.toStdString(), "t"})), kind);
}

// --- Summary -------------------------------------------------------------------------------

void TestPolicyEdit::ruleSummary_data() {
    QTest::addColumn<QByteArray>("policy");
    QTest::addColumn<QString>("server");
    QTest::addColumn<QString>("summary");

    const QString s = QStringLiteral("s");
    auto row = [](const char* name, const char* policy, const QString& server, const char* text) {
        QTest::newRow(name) << QByteArray(policy) << server << QString::fromUtf8(text);
    };
    row("default deny", R"({"default":"deny"})", {}, "default deny");
    row("default allow", R"({"default":"allow"})", {}, "default allow");
    row("section default", R"({"default":"deny","servers":{"s":{"default":"allow"}}})", s,
        "default allow");
    row("hidden", R"({"default":"allow","hide":["t"],"tools":{"t":{"action":"approve"}}})", {},
        "hidden");
    row("hidden by wildcard", R"({"default":"allow","hide":["*"]})", {}, "hidden");
    row("hidden in the section", R"({"default":"allow","servers":{"s":{"hide":["t"]}}})", s,
        "hidden");
    row("listed", R"({"default":"deny","tools":{"t":{}}})", {}, "allow");
    row("explicit allow", R"({"default":"deny","tools":{"t":{"action":"allow"}}})", {}, "allow");
    row("denied", R"({"default":"allow","tools":{"t":{"action":"deny"}}})", {}, "denied");
    row("denied whatever else the rule says",
        R"({"default":"allow","tools":{"t":{"action":"deny","limits":[)"
        R"({"counter":"c","window":"minute","max":3}],"deny_if":[)"
        R"({"path":"args.a","op":"exists","value":true}]}}})",
        {}, "denied");
    row("one limit",
        R"({"default":"deny","tools":{"t":{"limits":[{"counter":"c","window":"minute","max":30}]}}})",
        {}, "allow · 30/min");
    row("two limits",
        R"({"default":"deny","tools":{"t":{"limits":[{"counter":"c","window":"minute","max":30},)"
        R"({"counter":"d","window":"day","max":1000}]}}})",
        {}, "allow · 30/min, 1000/day");
    row("scopes and short windows",
        R"({"default":"deny","tools":{"t":{"limits":[)"
        R"({"counter":"c","window":"second","max":5,"scope":"session"},)"
        R"({"counter":"d","window":"hour","max":100,"scope":"global"}]}}})",
        {}, "allow · 5/s per session, 100/h global");
    row("needs approval", R"({"default":"deny","tools":{"t":{"action":"approve"}}})", {},
        "needs approval");
    row("needs approval with a limit",
        R"({"default":"deny","tools":{"t":{"action":"approve","limits":[)"
        R"({"counter":"c","window":"minute","max":10}]}}})",
        {}, "needs approval · 10/min");
    row("needs approval if conditions",
        R"({"default":"deny","tools":{"t":{"approve_if":[)"
        R"({"path":"args.a","op":"regex","value":"^Put"},{"path":"args.b","op":"gt","value":5}]}}})",
        {}, "needs approval if 2 conditions");
    row("denied if a condition",
        R"({"default":"deny","tools":{"t":{"deny_if":[{"path":"args.a","op":"eq","value":"x"}]}}})",
        {}, "denied if 1 condition");
    row("require counts as a denying condition",
        R"({"default":"deny","tools":{"t":{"require":[{"path":"args.a","op":"exists","value":true}],)"
        R"("deny_if":[{"path":"args.a","op":"eq","value":"x"}]}}})",
        {}, "denied if 2 conditions");
    row("both kinds of conditions and a limit",
        R"({"default":"deny","tools":{"t":{"require":[{"path":"args.a","op":"exists","value":true}],)"
        R"("approve_if":[{"path":"args.a","op":"regex","value":"^Put"}],)"
        R"("limits":[{"counter":"c","window":"minute","max":10}]}}})",
        {}, "denied if 1 condition · needs approval if 1 condition · 10/min");
    row("approve action with a denying condition",
        R"({"default":"deny","tools":{"t":{"action":"approve","deny_if":[)"
        R"({"path":"args.a","op":"eq","value":"x"}],"approve_if":[)"
        R"({"path":"args.a","op":"eq","value":"y"}]}}})",
        {}, "denied if 1 condition · needs approval");
    row("section rule wins",
        R"({"default":"deny","tools":{"t":{}},"servers":{"s":{"tools":{"t":{"action":"approve"}}}}})",
        s, "needs approval");
    row("all_tools limits are not the tool's",
        R"({"default":"deny","all_tools":{"limits":[{"counter":"c","window":"minute","max":9}]},)"
        R"("tools":{"t":{}}})",
        {}, "allow");
}

void TestPolicyEdit::ruleSummary() {
    QFETCH(QByteArray, policy);
    QFETCH(QString, server);
    QFETCH(QString, summary);
    QCOMPARE(qs(PolicyEdit::ruleSummary(policyOf(policy), {server.toStdString(), "t"})), summary);
}

// --- Limits --------------------------------------------------------------------------------

void TestPolicyEdit::setLimits_data() {
    QTest::addColumn<QByteArray>("policy");
    QTest::addColumn<QString>("server");
    QTest::addColumn<QByteArray>("limits");
    QTest::addColumn<QByteArray>("expected"); // empty: refused
    QTest::addColumn<QString>("problem");

    const QString s = QStringLiteral("s");
    QTest::newRow("a counter is named after the tool")
        << QByteArray(R"({"default":"deny","tools":{"t":{}}})") << QString()
        << QByteArray(R"([{"window":"minute","max":30}])")
        << QByteArray(R"({"default":"deny","tools":{"t":{"limits":[)"
                      R"({"counter":"t_rate","window":"minute","max":30,"scope":"grant"}]}}})")
        << QString();
    QTest::newRow("a second counter is named after its window")
        << QByteArray(R"({"default":"deny","tools":{"t":{}}})") << QString()
        << QByteArray(R"([{"window":"minute","max":30},{"window":"day","max":1000}])")
        << QByteArray(R"({"default":"deny","tools":{"t":{"limits":[)"
                      R"({"counter":"t_rate","window":"minute","max":30,"scope":"grant"},)"
                      R"({"counter":"t_rate_per_day","window":"day","max":1000,"scope":"grant"})"
                      R"(]}}})")
        << QString();
    QTest::newRow("names used elsewhere are avoided")
        << QByteArray(
               R"({"default":"deny","all_tools":{"limits":[)"
               R"({"counter":"t_rate","window":"minute","max":9}]},"tools":{"t":{},)"
               R"("u":{"limits":[{"counter":"t_rate_per_minute","window":"hour","max":9}]}}})")
        << QString() << QByteArray(R"([{"window":"minute","max":30}])")
        << QByteArray(R"({"default":"deny","all_tools":{"limits":[)"
                      R"({"counter":"t_rate","window":"minute","max":9,"scope":"grant"}]},)"
                      R"("tools":{"t":{"limits":[)"
                      R"({"counter":"t_rate_2","window":"minute","max":30,"scope":"grant"}]},)"
                      R"("u":{"limits":[{"counter":"t_rate_per_minute","window":"hour","max":9,)"
                      R"("scope":"grant"}]}}})")
        << QString();
    QTest::newRow("the tool's own old name is free again")
        << QByteArray(R"({"default":"deny","tools":{"t":{"limits":[)"
                      R"({"counter":"t_rate","window":"hour","max":9}]}}})")
        << QString() << QByteArray(R"([{"window":"minute","max":30,"scope":"session"}])")
        << QByteArray(R"({"default":"deny","tools":{"t":{"limits":[)"
                      R"({"counter":"t_rate","window":"minute","max":30,"scope":"session"}]}}})")
        << QString();
    QTest::newRow("a typed name is kept, shared or not")
        << QByteArray(R"({"default":"deny","tools":{"t":{},"u":{"limits":[)"
                      R"({"counter":"shared","window":"minute","max":9}]}}})")
        << QString() << QByteArray(R"([{"counter":"shared","window":"minute","max":30}])")
        << QByteArray(R"({"default":"deny","tools":{"t":{"limits":[)"
                      R"({"counter":"shared","window":"minute","max":30,"scope":"grant"}]},)"
                      R"("u":{"limits":[{"counter":"shared","window":"minute","max":9,)"
                      R"("scope":"grant"}]}}})")
        << QString();
    QTest::newRow("an empty list removes the key")
        << QByteArray(R"({"default":"deny","tools":{"t":{"limits":[)"
                      R"({"counter":"c","window":"minute","max":9}]}}})")
        << QString() << QByteArray("[]") << QByteArray(R"({"default":"deny","tools":{"t":{}}})")
        << QString();
    QTest::newRow("an emptied rule goes under default allow")
        << QByteArray(R"({"default":"allow","tools":{"t":{"limits":[)"
                      R"({"counter":"c","window":"minute","max":9}]}}})")
        << QString() << QByteArray("[]") << QByteArray(R"({"default":"allow","tools":{}})")
        << QString();
    QTest::newRow("a tool denied by default stays denied")
        << QByteArray(R"({"default":"deny"})") << QString()
        << QByteArray(R"([{"window":"hour","max":5}])")
        << QByteArray(R"({"default":"deny","tools":{"t":{"action":"deny","limits":[)"
                      R"({"counter":"t_rate","window":"hour","max":5,"scope":"grant"}]}}})")
        << QString();
    QTest::newRow("no limits for a tool without a rule changes nothing")
        << QByteArray(R"({"default":"deny"})") << QString() << QByteArray("[]")
        << QByteArray(R"({"default":"deny"})") << QString();
    QTest::newRow("in the section that rules the tool")
        << QByteArray(R"({"default":"deny","servers":{"s":{"tools":{"t":{}}}}})") << s
        << QByteArray(R"([{"window":"minute","max":3}])")
        << QByteArray(R"({"default":"deny","servers":{"s":{"tools":{"t":{"limits":[)"
                      R"({"counter":"t_rate","window":"minute","max":3,"scope":"grant"}]}}}}})")
        << QString();
    QTest::newRow("zero refused")
        << QByteArray(R"({"default":"deny","tools":{"t":{}}})") << QString()
        << QByteArray(R"([{"window":"minute","max":3},{"window":"minute","max":0}])")
        << QByteArray() << QStringLiteral("tools.t.limits[1].max: expected a whole number");
    QTest::newRow("too many refused")
        << QByteArray(R"({"default":"deny","servers":{"s":{"tools":{"t":{}}}}})") << s
        << QByteArray(R"([{"window":"minute","max":1000000001}])") << QByteArray()
        << QStringLiteral("servers.s.tools.t.limits[0].max");
}

void TestPolicyEdit::setLimits() {
    QFETCH(QByteArray, policy);
    QFETCH(QString, server);
    QFETCH(QByteArray, limits);
    QFETCH(QByteArray, expected);
    QFETCH(QString, problem);

    const Policy before = policyOf(policy);
    const Policy copy = before;
    const EditResult result =
        PolicyEdit::setLimits(before, {server.toStdString(), "t"}, limitsFrom(limits));
    QVERIFY(before == copy);
    if (expected.isEmpty()) {
        VERIFY_REFUSED(result, problem);
        return;
    }
    VERIFY_APPLIED(result);
    COMPARE_POLICY(*result.policy, policyOf(expected));
}

// --- Conditions ----------------------------------------------------------------------------

void TestPolicyEdit::setConditions_data() {
    QTest::addColumn<QByteArray>("policy");
    QTest::addColumn<int>("list");
    QTest::addColumn<QByteArray>("conditions");
    QTest::addColumn<QByteArray>("expected"); // empty: refused
    QTest::addColumn<QString>("problem");

    const QByteArray listed(R"({"default":"deny","tools":{"t":{}}})");
    const auto require = int(ConditionList::Require);
    const auto denyIf = int(ConditionList::DenyIf);
    const auto approveIf = int(ConditionList::ApproveIf);

    QTest::newRow("require") << listed << require
                             << QByteArray(
                                    R"([{"path":"args.cluster","op":"exists","value":true}])")
                             << QByteArray(
                                    R"({"default":"deny","tools":{"t":{"require":[)"
                                    R"({"path":"args.cluster","op":"exists","value":true}]}}})")
                             << QString();
    QTest::newRow("deny_if") << listed << denyIf
                             << QByteArray(
                                    R"([{"path":"args.op","op":"regex","value":"^Delete"},)"
                                    R"({"path":"args.items[0].size","op":"gte","value":10.5}])")
                             << QByteArray(
                                    R"({"default":"deny","tools":{"t":{"deny_if":[)"
                                    R"({"path":"args.op","op":"regex","value":"^Delete"},)"
                                    R"({"path":"args.items[0].size","op":"gte","value":10.5}]}}})")
                             << QString();
    QTest::newRow("approve_if")
        << listed << approveIf
        << QByteArray(R"([{"path":"args.env","op":"in","value":["prod","staging"]}])")
        << QByteArray(R"({"default":"deny","tools":{"t":{"approve_if":[)"
                      R"({"path":"args.env","op":"in","value":["prod","staging"]}]}}})")
        << QString();
    QTest::newRow("replaces only its own list")
        << QByteArray(R"({"default":"deny","tools":{"t":{"require":[)"
                      R"({"path":"args.a","op":"exists","value":true}],"deny_if":[)"
                      R"({"path":"args.a","op":"eq","value":1}]}}})")
        << denyIf << QByteArray(R"([{"path":"args.a","op":"contains","value":"x"}])")
        << QByteArray(R"({"default":"deny","tools":{"t":{"require":[)"
                      R"({"path":"args.a","op":"exists","value":true}],"deny_if":[)"
                      R"({"path":"args.a","op":"contains","value":"x"}]}}})")
        << QString();
    QTest::newRow("an empty list removes the key")
        << QByteArray(R"({"default":"deny","tools":{"t":{"approve_if":[)"
                      R"({"path":"args.a","op":"exists","value":true}]}}})")
        << approveIf << QByteArray("[]") << listed << QString();
    QTest::newRow("a tool denied by default stays denied")
        << QByteArray(R"({"default":"deny"})") << approveIf
        << QByteArray(R"([{"path":"args.a","op":"neq","value":null}])")
        << QByteArray(R"({"default":"deny","tools":{"t":{"action":"deny","approve_if":[)"
                      R"({"path":"args.a","op":"neq","value":null}]}}})")
        << QString();
    QTest::newRow("in needs a list")
        << listed << denyIf << QByteArray(R"([{"path":"args.env","op":"in","value":"prod"}])")
        << QByteArray() << QStringLiteral("tools.t.deny_if[0].value: \"in\" needs a list");
    QTest::newRow("not_in needs a list")
        << listed << require << QByteArray(R"([{"path":"args.env","op":"not_in","value":{}}])")
        << QByteArray() << QStringLiteral("tools.t.require[0].value: \"not_in\" needs a list");
    QTest::newRow("invalid pattern")
        << listed << approveIf
        << QByteArray(R"([{"path":"args.a","op":"exists","value":true},)"
                      R"({"path":"args.op","op":"regex","value":"^(Delete"}])")
        << QByteArray()
        << QStringLiteral("tools.t.approve_if[1].value: invalid regular expression");
    QTest::newRow("pattern must be a string")
        << listed << denyIf << QByteArray(R"([{"path":"args.op","op":"regex","value":5}])")
        << QByteArray() << QStringLiteral("\"regex\" needs a pattern");
    QTest::newRow("comparison needs a number")
        << listed << denyIf << QByteArray(R"([{"path":"args.n","op":"lt","value":"5"}])")
        << QByteArray() << QStringLiteral("\"lt\" needs a number");
    QTest::newRow("exists needs a boolean")
        << listed << require << QByteArray(R"([{"path":"args.n","op":"exists","value":1}])")
        << QByteArray() << QStringLiteral("\"exists\" needs true or false");
    QTest::newRow("path outside the arguments")
        << listed << require << QByteArray(R"([{"path":"arguments.n","op":"exists","value":true}])")
        << QByteArray() << QStringLiteral("tools.t.require[0].path: expected a path");
    QTest::newRow("path with an empty key")
        << listed << require << QByteArray(R"([{"path":"args..n","op":"exists","value":true}])")
        << QByteArray() << QStringLiteral("path:");
}

void TestPolicyEdit::setConditions() {
    QFETCH(QByteArray, policy);
    QFETCH(int, list);
    QFETCH(QByteArray, conditions);
    QFETCH(QByteArray, expected);
    QFETCH(QString, problem);

    const Policy before = policyOf(policy);
    const Policy copy = before;
    const EditResult result = PolicyEdit::setConditions(
        before, {"", "t"}, static_cast<ConditionList>(list), conditionsFrom(conditions));
    QVERIFY(before == copy);
    if (expected.isEmpty()) {
        VERIFY_REFUSED(result, problem);
        return;
    }
    VERIFY_APPLIED(result);
    COMPARE_POLICY(*result.policy, policyOf(expected));
}

// Conditions as the editor makes them carry what the engine reads: parsed steps and a compiled
// pattern, exactly as if the policy had been loaded.
void TestPolicyEdit::conditionsReachTheEngine() {
    const Policy before = policyOf(R"({"default":"deny","tools":{"t":{}}})");
    const EditResult result =
        PolicyEdit::setConditions(before, {"", "t"}, ConditionList::DenyIf,
                                  conditionsFrom(R"([{"path":"args.p.ops[1]","op":"regex",)"
                                                 R"("value":"^Delete"}])"));
    VERIFY_APPLIED(result);
    const Condition& c = result.policy->top.tools.at("t").denyIf->front();
    QVERIFY(c.regex && c.regex->isValid());
    QVERIFY((c.steps == std::vector<portcullis::PathStep>{{"p", -1}, {"ops", -1}, {"", 1}}));
    QVERIFY(portcullis::conditionHolds(c, json::parse(R"({"p":{"ops":["x","DeleteAll"]}})")));
    QVERIFY(!portcullis::conditionHolds(c, json::parse(R"({"p":{"ops":["DeleteAll","x"]}})")));
}

void TestPolicyEdit::conditionProblem_data() {
    QTest::addColumn<QByteArray>("condition");
    QTest::addColumn<QString>("problem"); // empty: valid

    auto row = [](const char* name, const char* condition, const char* problem) {
        QTest::newRow(name) << QByteArray(condition) << QString::fromUtf8(problem);
    };
    row("eq anything", R"({"path":"args.a","op":"eq","value":{"k":[1,2]}})", "");
    row("neq null", R"({"path":"args.a","op":"neq","value":null})", "");
    row("in list", R"({"path":"args.a","op":"in","value":[1,"x"]})", "");
    row("in empty list", R"({"path":"args.a","op":"not_in","value":[]})", "");
    row("in scalar", R"({"path":"args.a","op":"in","value":1})", "value: \"in\" needs a list");
    row("gt number", R"({"path":"args.a","op":"gt","value":-3})", "");
    row("lte float", R"({"path":"args.a","op":"lte","value":0.25})", "");
    row("gte string", R"({"path":"args.a","op":"gte","value":"3"})", "needs a number");
    row("regex", R"({"path":"args.a","op":"regex","value":"(?i)^drop\\s+table"})", "");
    row("regex unbalanced", R"({"path":"args.a","op":"regex","value":"[a-"})",
        "invalid regular expression");
    row("contains string", R"({"path":"args.a","op":"contains","value":"x"})", "");
    row("contains number", R"({"path":"args.a","op":"contains","value":3})", "");
    row("exists false", R"({"path":"args.a","op":"exists","value":false})", "");
    row("exists string", R"({"path":"args.a","op":"exists","value":"yes"})", "true or false");
    row("whole arguments", R"({"path":"args","op":"exists","value":true})", "");
    row("index", R"({"path":"args.a[2].b","op":"eq","value":1})", "");
    row("no args prefix", R"({"path":"a.b","op":"eq","value":1})", "path: ");
    row("bad index", R"({"path":"args.a[-1]","op":"eq","value":1})", "path: ");
    row("empty path", R"({"path":"","op":"eq","value":1})", "path: ");
}

void TestPolicyEdit::conditionProblem() {
    QFETCH(QByteArray, condition);
    QFETCH(QString, problem);
    const std::vector<Condition> c = conditionsFrom("[" + condition + "]");
    const QString actual = qs(PolicyEdit::conditionProblem(c.front()));
    if (problem.isEmpty())
        QVERIFY2(actual.isEmpty(), qPrintable(actual));
    else
        QVERIFY2(actual.contains(problem), qPrintable(actual));
}

// --- Approval and reason -------------------------------------------------------------------

void TestPolicyEdit::setApproval_data() {
    QTest::addColumn<QByteArray>("policy");
    QTest::addColumn<int>("timeout"); // 0 with onTimeout empty: remove
    QTest::addColumn<QString>("onTimeout");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<QString>("problem");

    QTest::newRow("set") << QByteArray(R"({"default":"deny","tools":{"t":{"action":"approve"}}})")
                         << 120 << QStringLiteral("allow")
                         << QByteArray(R"({"default":"deny","tools":{"t":{"action":"approve",)"
                                       R"("approval":{"timeout_s":120,"on_timeout":"allow"}}}})")
                         << QString();
    QTest::newRow("replace")
        << QByteArray(R"({"default":"deny","tools":{"t":{"approval":{"timeout_s":5}}}})") << 86400
        << QStringLiteral("deny")
        << QByteArray(R"({"default":"deny","tools":{"t":{)"
                      R"("approval":{"timeout_s":86400,"on_timeout":"deny"}}}})")
        << QString();
    QTest::newRow("remove") << QByteArray(R"({"default":"deny","tools":{"t":{"action":"approve",)"
                                          R"("approval":{"timeout_s":120,"on_timeout":"allow"}}}})")
                            << 0 << QString()
                            << QByteArray(
                                   R"({"default":"deny","tools":{"t":{"action":"approve"}}})")
                            << QString();
    QTest::newRow("a tool denied by default stays denied")
        << QByteArray(R"({"default":"deny"})") << 30 << QStringLiteral("deny")
        << QByteArray(R"({"default":"deny","tools":{"t":{"action":"deny",)"
                      R"("approval":{"timeout_s":30,"on_timeout":"deny"}}}})")
        << QString();
    QTest::newRow("zero seconds refused")
        << QByteArray(R"({"default":"deny","tools":{"t":{}}})") << -1 << QStringLiteral("deny")
        << QByteArray() << QStringLiteral("tools.t.approval.timeout_s: expected whole seconds");
    QTest::newRow("over a day refused")
        << QByteArray(R"({"default":"deny","tools":{"t":{}}})") << 86401 << QStringLiteral("deny")
        << QByteArray() << QStringLiteral("from 1 to 86400");
}

void TestPolicyEdit::setApproval() {
    QFETCH(QByteArray, policy);
    QFETCH(int, timeout);
    QFETCH(QString, onTimeout);
    QFETCH(QByteArray, expected);
    QFETCH(QString, problem);

    std::optional<ApprovalSettings> approval;
    if (!onTimeout.isEmpty()) {
        approval.emplace();
        approval->timeoutS = timeout < 0 ? 0 : timeout;
        approval->onTimeout = *portcullis::timeoutActionFromString(onTimeout.toStdString());
    }
    const Policy before = policyOf(policy);
    const EditResult result = PolicyEdit::setApproval(before, {"", "t"}, approval);
    if (expected.isEmpty()) {
        VERIFY_REFUSED(result, problem);
        return;
    }
    VERIFY_APPLIED(result);
    COMPARE_POLICY(*result.policy, policyOf(expected));
    QCOMPARE(PolicyEdit::kindOf(*result.policy, {"", "t"}), PolicyEdit::kindOf(before, {"", "t"}));
}

void TestPolicyEdit::setReason_data() {
    QTest::addColumn<QByteArray>("policy");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("set")
        << QByteArray(R"({"default":"deny","tools":{"t":{"action":"deny"}}})")
        << QStringLiteral("IAM changes go through the platform team — ask in #infra")
        << QByteArray(R"({"default":"deny","tools":{"t":{"action":"deny",)"
                      R"("reason":"IAM changes go through the platform team — ask in #infra"}}})");
    QTest::newRow("clear")
        << QByteArray(R"({"default":"deny","tools":{"t":{"action":"deny","reason":"r"}}})")
        << QString() << QByteArray(R"({"default":"deny","tools":{"t":{"action":"deny"}}})");
    QTest::newRow("clearing what was never there changes nothing")
        << QByteArray(R"({"default":"deny"})") << QString() << QByteArray(R"({"default":"deny"})");
    QTest::newRow("a reason for a tool allowed by default")
        << QByteArray(R"({"default":"allow"})") << QStringLiteral("r")
        << QByteArray(R"({"default":"allow","tools":{"t":{"reason":"r"}}})");
    QTest::newRow("an emptied rule goes under default allow")
        << QByteArray(R"({"default":"allow","tools":{"t":{"reason":"r"}}})") << QString()
        << QByteArray(R"({"default":"allow","tools":{}})");
}

void TestPolicyEdit::setReason() {
    QFETCH(QByteArray, policy);
    QFETCH(QString, reason);
    QFETCH(QByteArray, expected);
    const EditResult result =
        PolicyEdit::setReason(policyOf(policy), {"", "t"}, reason.toStdString());
    VERIFY_APPLIED(result);
    COMPARE_POLICY(*result.policy, policyOf(expected));
}

// --- Remove --------------------------------------------------------------------------------

void TestPolicyEdit::removeRule_data() {
    QTest::addColumn<QByteArray>("policy");
    QTest::addColumn<QString>("server");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<int>("kindAfter");

    const QString s = QStringLiteral("s");
    QTest::newRow("top-level rule")
        << QByteArray(R"({"default":"deny","tools":{"t":{"action":"approve"},"u":{}}})")
        << QString() << QByteArray(R"({"default":"deny","tools":{"u":{}}})") << int(RuleKind::Deny);
    QTest::newRow("hidden by name")
        << QByteArray(R"({"default":"allow","hide":["t","u"],"tools":{"t":{"action":"deny"}}})")
        << QString() << QByteArray(R"({"default":"allow","hide":["u"],"tools":{}})")
        << int(RuleKind::Allow);
    QTest::newRow("a wildcard stays")
        << QByteArray(R"({"default":"allow","hide":["*"],"tools":{"t":{}}})") << QString()
        << QByteArray(R"({"default":"allow","hide":["*"],"tools":{}})") << int(RuleKind::Hide);
    QTest::newRow("section rule: the top-level rule applies again")
        << QByteArray(R"({"default":"deny","tools":{"t":{"action":"approve"}},)"
                      R"("servers":{"s":{"hide":["t"],"tools":{"t":{}}}}})")
        << s
        << QByteArray(R"({"default":"deny","tools":{"t":{"action":"approve"}},)"
                      R"("servers":{"s":{"tools":{}}}})")
        << int(RuleKind::NeedsApproval);
    QTest::newRow("nothing to remove")
        << QByteArray(R"({"default":"deny"})") << s << QByteArray(R"({"default":"deny"})")
        << int(RuleKind::Deny);
}

void TestPolicyEdit::removeRule() {
    QFETCH(QByteArray, policy);
    QFETCH(QString, server);
    QFETCH(QByteArray, expected);
    QFETCH(int, kindAfter);
    const ToolRef ref{server.toStdString(), "t"};
    const EditResult result = PolicyEdit::removeRule(policyOf(policy), ref);
    VERIFY_APPLIED(result);
    COMPARE_POLICY(*result.policy, policyOf(expected));
    QCOMPARE(int(PolicyEdit::kindOf(*result.policy, ref)), kindAfter);
}

// --- Policy-wide ---------------------------------------------------------------------------

void TestPolicyEdit::setDefault_data() {
    QTest::addColumn<QByteArray>("policy");
    QTest::addColumn<QString>("server");
    QTest::addColumn<QString>("value"); // allow, deny or empty for none
    QTest::addColumn<QByteArray>("expected");

    const QString s = QStringLiteral("s");
    QTest::newRow("top to allow") << QByteArray(R"({"default":"deny","tools":{"t":{}}})")
                                  << QString() << QStringLiteral("allow")
                                  << QByteArray(R"({"default":"allow","tools":{"t":{}}})");
    QTest::newRow("top to deny") << QByteArray(R"({"default":"allow"})") << QString()
                                 << QStringLiteral("deny") << QByteArray(R"({"default":"deny"})");
    QTest::newRow("top needs one")
        << QByteArray(R"({"default":"allow"})") << QString() << QString() << QByteArray();
    QTest::newRow("section made") << QByteArray(R"({"default":"deny"})") << s
                                  << QStringLiteral("allow")
                                  << QByteArray(R"({"default":"deny",)"
                                                R"("servers":{"s":{"default":"allow"}}})");
    QTest::newRow("section default removed, empty section too")
        << QByteArray(R"({"default":"deny","servers":{"s":{"default":"allow"}}})") << s << QString()
        << QByteArray(R"({"default":"deny"})");
    QTest::newRow("section default removed, section kept")
        << QByteArray(R"({"default":"deny","servers":{"s":{"default":"allow",)"
                      R"("tools":{"t":{}}}}})")
        << s << QString() << QByteArray(R"({"default":"deny","servers":{"s":{"tools":{"t":{}}}}})");
    QTest::newRow("other sections stay")
        << QByteArray(R"({"default":"deny","servers":{"s":{"default":"allow"},)"
                      R"("u":{"default":"allow"}}})")
        << s << QString()
        << QByteArray(R"({"default":"deny","servers":{"u":{"default":"allow"}}})");
    QTest::newRow("removing what is not there") << QByteArray(R"({"default":"deny"})") << s
                                                << QString() << QByteArray(R"({"default":"deny"})");
}

void TestPolicyEdit::setDefault() {
    QFETCH(QByteArray, policy);
    QFETCH(QString, server);
    QFETCH(QString, value);
    QFETCH(QByteArray, expected);
    const std::optional<DefaultAction> d =
        value.isEmpty() ? std::nullopt : portcullis::defaultActionFromString(value.toStdString());
    const EditResult result = PolicyEdit::setDefault(policyOf(policy), server.toStdString(), d);
    if (expected.isEmpty()) {
        VERIFY_REFUSED(result, QStringLiteral("default: a policy needs a default"));
        return;
    }
    VERIFY_APPLIED(result);
    COMPARE_POLICY(*result.policy, policyOf(expected));
    // A policy without sections exports in the plain PolicyLayer shape again.
    if (result.policy->servers.empty())
        QVERIFY(result.policy->extensionsUsed().empty());
}

void TestPolicyEdit::setAllToolsLimits_data() {
    QTest::addColumn<QByteArray>("policy");
    QTest::addColumn<QString>("server");
    QTest::addColumn<QByteArray>("limits");
    QTest::addColumn<QByteArray>("expected"); // empty: refused

    const QString s = QStringLiteral("s");
    QTest::newRow("top level")
        << QByteArray(R"({"default":"deny"})") << QString()
        << QByteArray(R"([{"window":"minute","max":120},{"window":"day","max":5000}])")
        << QByteArray(R"({"default":"deny","all_tools":{"limits":[)"
                      R"({"counter":"all_calls","window":"minute","max":120,"scope":"grant"},)"
                      R"({"counter":"all_calls_per_day","window":"day","max":5000,)"
                      R"("scope":"grant"}]}})");
    QTest::newRow("server section")
        << QByteArray(R"({"default":"deny","all_tools":{"limits":[)"
                      R"({"counter":"all_calls","window":"minute","max":120}]}})")
        << s << QByteArray(R"([{"window":"minute","max":60,"scope":"global"}])")
        << QByteArray(R"({"default":"deny","all_tools":{"limits":[)"
                      R"({"counter":"all_calls","window":"minute","max":120,"scope":"grant"}]},)"
                      R"("servers":{"s":{"all_tools":{"limits":[)"
                      R"({"counter":"s_all_calls","window":"minute","max":60,)"
                      R"("scope":"global"}]}}}})");
    QTest::newRow("emptied") << QByteArray(
                                    R"({"default":"deny","all_tools":{"limits":[)"
                                    R"({"counter":"all_calls","window":"minute","max":120}]}})")
                             << QString() << QByteArray("[]")
                             << QByteArray(R"({"default":"deny"})");
    QTest::newRow("emptied, extension keys kept")
        << QByteArray(R"({"default":"deny","all_tools":{"x-note":"n","limits":[)"
                      R"({"counter":"all_calls","window":"minute","max":120}]}})")
        << QString() << QByteArray("[]")
        << QByteArray(R"({"default":"deny","all_tools":{"limits":[],"x-note":"n"}})");
    QTest::newRow("emptied section goes")
        << QByteArray(R"({"default":"deny","servers":{"s":{"all_tools":{"limits":[)"
                      R"({"counter":"c","window":"minute","max":120}]}}}})")
        << s << QByteArray("[]") << QByteArray(R"({"default":"deny"})");
    QTest::newRow("zero refused") << QByteArray(R"({"default":"deny"})") << QString()
                                  << QByteArray(R"([{"window":"minute","max":0}])") << QByteArray();
}

void TestPolicyEdit::setAllToolsLimits() {
    QFETCH(QByteArray, policy);
    QFETCH(QString, server);
    QFETCH(QByteArray, limits);
    QFETCH(QByteArray, expected);
    const EditResult result =
        PolicyEdit::setAllToolsLimits(policyOf(policy), server.toStdString(), limitsFrom(limits));
    if (expected.isEmpty()) {
        VERIFY_REFUSED(result, QStringLiteral("all_tools.limits[0].max"));
        return;
    }
    VERIFY_APPLIED(result);
    COMPARE_POLICY(*result.policy, policyOf(expected));
}

// --- Bulk ----------------------------------------------------------------------------------

void TestPolicyEdit::bulkKind_data() {
    QTest::addColumn<QByteArray>("policy");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QByteArray>("expected"); // empty: refused

    // The refs are a, b on no server and c on server s.
    QTest::newRow("deny")
        << QByteArray(R"({"default":"allow","hide":["a"],"tools":{"b":{"action":"approve"}},)"
                      R"("servers":{"s":{"tools":{"c":{}}}}})")
        << int(RuleKind::Deny)
        << QByteArray(
               R"({"default":"allow","tools":{"a":{"action":"deny"},)"
               R"("b":{"action":"deny"}},"servers":{"s":{"tools":{"c":{"action":"deny"}}}}})");
    QTest::newRow("hide")
        << QByteArray(R"({"default":"deny","tools":{"b":{}},"servers":{"s":{"tools":{"c":{}}}}})")
        << int(RuleKind::Hide)
        << QByteArray(R"({"default":"deny","hide":["a","b"],"tools":{"b":{}},)"
                      R"("servers":{"s":{"hide":["c"],"tools":{"c":{}}}}})");
    QTest::newRow("allow")
        << QByteArray(R"({"default":"deny","hide":["a","b"],"servers":{"s":{"hide":["c"]}}})")
        << int(RuleKind::Allow)
        << QByteArray(R"({"default":"deny","tools":{"a":{},"b":{},"c":{}},"servers":{"s":{}}})");
    QTest::newRow("all or nothing")
        << QByteArray(R"({"default":"deny","servers":{"s":{"hide":["*"]}}})")
        << int(RuleKind::NeedsApproval) << QByteArray();
}

void TestPolicyEdit::bulkKind() {
    QFETCH(QByteArray, policy);
    QFETCH(int, kind);
    QFETCH(QByteArray, expected);
    const std::vector<ToolRef> refs{{"", "a"}, {"", "b"}, {"s", "c"}};
    const EditResult result =
        PolicyEdit::setKind(policyOf(policy), refs, static_cast<RuleKind>(kind));
    if (expected.isEmpty()) {
        VERIFY_REFUSED(result, QStringLiteral("servers.s.hide"));
        return;
    }
    VERIFY_APPLIED(result);
    COMPARE_POLICY(*result.policy, policyOf(expected));
    for (const ToolRef& ref : refs)
        QCOMPARE(int(PolicyEdit::kindOf(*result.policy, ref)), kind);
}

void TestPolicyEdit::applyLimit_data() {
    QTest::addColumn<QByteArray>("policy");
    QTest::addColumn<QByteArray>("limit");
    QTest::addColumn<QByteArray>("expected"); // empty: refused

    // The refs are a and b on no server.
    QTest::newRow("added with a counter per tool")
        << QByteArray(R"({"default":"deny","tools":{"a":{},"b":{"action":"approve"}}})")
        << QByteArray(R"({"window":"minute","max":30})")
        << QByteArray(R"({"default":"deny","tools":{)"
                      R"("a":{"limits":[{"counter":"a_rate","window":"minute","max":30}]},)"
                      R"("b":{"action":"approve","limits":[)"
                      R"({"counter":"b_rate","window":"minute","max":30}]}}})");
    QTest::newRow("same window and scope: new max, same counter")
        << QByteArray(R"({"default":"deny","tools":{)"
                      R"("a":{"limits":[{"counter":"keep","window":"minute","max":60},)"
                      R"({"counter":"daily","window":"day","max":900}]},)"
                      R"("b":{"limits":[{"counter":"b_s","window":"minute","max":5,)"
                      R"("scope":"session"}]}}})")
        << QByteArray(R"({"window":"minute","max":30})")
        << QByteArray(R"({"default":"deny","tools":{)"
                      R"("a":{"limits":[{"counter":"keep","window":"minute","max":30},)"
                      R"({"counter":"daily","window":"day","max":900}]},)"
                      R"("b":{"limits":[{"counter":"b_s","window":"minute","max":5,)"
                      R"("scope":"session"},{"counter":"b_rate","window":"minute","max":30}]}}})");
    QTest::newRow("a typed counter is shared")
        << QByteArray(R"({"default":"allow"})")
        << QByteArray(R"({"counter":"writes","window":"hour","max":100})")
        << QByteArray(R"({"default":"allow","tools":{)"
                      R"("a":{"limits":[{"counter":"writes","window":"hour","max":100}]},)"
                      R"("b":{"limits":[{"counter":"writes","window":"hour","max":100}]}}})");
    QTest::newRow("tools denied by default stay denied, counters stay unique")
        << QByteArray(R"({"default":"deny","tools":{"x":{"limits":[)"
                      R"({"counter":"a_rate","window":"minute","max":1}]}}})")
        << QByteArray(R"({"window":"day","max":7})")
        << QByteArray(R"({"default":"deny","tools":{"x":{"limits":[)"
                      R"({"counter":"a_rate","window":"minute","max":1}]},)"
                      R"("a":{"action":"deny","limits":[)"
                      R"({"counter":"a_rate_per_day","window":"day","max":7}]},)"
                      R"("b":{"action":"deny","limits":[)"
                      R"({"counter":"b_rate","window":"day","max":7}]}}})");
    QTest::newRow("zero refused") << QByteArray(R"({"default":"deny"})")
                                  << QByteArray(R"({"window":"day","max":0})") << QByteArray();
}

void TestPolicyEdit::applyLimit() {
    QFETCH(QByteArray, policy);
    QFETCH(QByteArray, limit);
    QFETCH(QByteArray, expected);
    const Policy before = policyOf(policy);
    const std::vector<ToolRef> refs{{"", "a"}, {"", "b"}};
    const EditResult result =
        PolicyEdit::applyLimit(before, refs, limitsFrom("[" + limit + "]").front());
    if (expected.isEmpty()) {
        VERIFY_REFUSED(result, QStringLiteral("max: expected a whole number"));
        return;
    }
    VERIFY_APPLIED(result);
    COMPARE_POLICY(*result.policy, policyOf(expected));
    for (const ToolRef& ref : refs)
        QCOMPARE(PolicyEdit::kindOf(*result.policy, ref), PolicyEdit::kindOf(before, ref));
}

// --- Recommended rules ---------------------------------------------------------------------

namespace {

std::vector<ClassifiedTool> classifiedDemoTools() {
    std::vector<ClassifiedTool> out;
    const portcullis::RiskClassifier classifier;
    for (const json& t : demoTools())
        out.push_back({t, classifier.classify(t)});
    return out;
}

} // namespace

void TestPolicyEdit::recommendedEqualsStarterPolicy() {
    const std::vector<ClassifiedTool> tools = classifiedDemoTools();
    const Policy expected = portcullis::starterPolicy(tools);
    QVERIFY(expected.top.hide && !expected.top.hide->empty()); // the demo has destructive tools

    for (const char* server : {"", "demo"}) {
        const EditResult result =
            PolicyEdit::applyRecommendedRules(policyOf(R"({"default":"deny"})"), server, tools);
        VERIFY_APPLIED(result);
        COMPARE_POLICY(*result.policy, expected);
    }
    // One tool at a time gives the same policy: the window may apply them in any grouping.
    Policy stepwise = policyOf(R"({"default":"deny"})");
    for (const ClassifiedTool& tool : tools) {
        EditResult step = PolicyEdit::applyRecommendedRules(stepwise, "demo", {tool});
        VERIFY_APPLIED(step);
        stepwise = *step.policy;
    }
    COMPARE_POLICY(stepwise, expected);
}

void TestPolicyEdit::recommendedReplacesRules() {
    const std::vector<ClassifiedTool> tools = classifiedDemoTools();
    // Every tool starts denied with a reason, some hidden: the recommendation replaces all that.
    json doc = {{"version", "1"}, {"default", "allow"}, {"hide", json::array()}};
    for (const ClassifiedTool& t : tools) {
        const std::string name = t.definition.at("name").get<std::string>();
        doc["tools"][name] = {{"action", "deny"}, {"reason", "old"}};
        if (name.size() % 2 == 0)
            doc["hide"].push_back(name);
    }
    const Policy before = policyOf(QByteArray::fromStdString(doc.dump()));
    const EditResult result = PolicyEdit::applyRecommendedRules(before, "", tools);
    VERIFY_APPLIED(result);
    for (const ClassifiedTool& t : tools) {
        const ToolRef ref{"", t.definition.at("name").get<std::string>()};
        const std::optional<ToolRule> recommended = portcullis::recommendedRule(t);
        const ToolRule* rule = PolicyEdit::ruleOf(*result.policy, ref);
        if (!recommended) {
            QVERIFY2(!rule, ref.tool.c_str());
            QCOMPARE(PolicyEdit::kindOf(*result.policy, ref), RuleKind::Hide);
            continue;
        }
        QVERIFY2(!result.policy->top.hides(ref.tool), ref.tool.c_str());
        // Under default allow an empty recommended rule says nothing, so it is not written.
        QVERIFY2((rule ? *rule : ToolRule{}) == *recommended, ref.tool.c_str());
    }
}

void TestPolicyEdit::recommendedInServerSection() {
    const Policy before = policyOf(R"({"default":"deny","tools":{"writer":{"action":"deny"}},)"
                                   R"("servers":{"s":{"tools":{"writer":{},"eraser":{}}}}})");
    const EditResult result =
        PolicyEdit::applyRecommendedRules(before, "s",
                                          {withCategory("writer", RiskCategory::Write),
                                           withCategory("eraser", RiskCategory::Destructive),
                                           withCategory("payer", RiskCategory::Financial)});
    VERIFY_APPLIED(result);
    COMPARE_POLICY(*result.policy,
                   policyOf(R"({"default":"deny","tools":{"writer":{"action":"deny"},)"
                            R"("payer":{"action":"approve"}},"servers":{"s":{"hide":["eraser"],)"
                            R"("tools":{"writer":{"limits":[{"counter":"writer_rate",)"
                            R"("window":"minute","max":30}]}}}}})"));
}

void TestPolicyEdit::recommendedCountersStayUnique() {
    const Policy before =
        policyOf(R"({"default":"deny","all_tools":{"limits":[)"
                 R"({"counter":"policy_update_rate","window":"minute","max":99}]},)"
                 R"("tools":{"other":{},"policy_update":{"limits":[)"
                 R"({"counter":"old","window":"minute","max":1}]}}})");
    const EditResult result = PolicyEdit::applyRecommendedRules(
        before, "", {withCategory("policy_update", RiskCategory::Write)});
    VERIFY_APPLIED(result);
    const ToolRule* rule = PolicyEdit::ruleOf(*result.policy, {"", "policy_update"});
    QVERIFY(rule && rule->limits && rule->limits->size() == 1);
    QCOMPARE(qs(rule->limits->front().counter), QStringLiteral("policy_update_rate_per_minute"));
    QCOMPARE(rule->limits->front().max, std::int64_t(30));
}

// --- The round-trip property over real policies --------------------------------------------

void TestPolicyEdit::everyEditRoundTrips_data() {
    QTest::addColumn<QString>("file");
    for (const char* dir : {"/policies/examples", "/tests/data/seed-policies"}) {
        const QDir d(QStringLiteral(PORTCULLIS_SOURCE_DIR) + QLatin1String(dir));
        for (const QString& name : d.entryList({QStringLiteral("*.json")}, QDir::Files))
            QTest::newRow(qPrintable(name)) << d.filePath(name);
    }
}

void TestPolicyEdit::everyEditRoundTrips() {
    QFETCH(QString, file);
    const portcullis::PolicyLoadResult loaded = PolicyIo::loadFile(file);
    QVERIFY(loaded.ok());
    const Policy& policy = *loaded.policy;

    // Every tool the policy names, on no server and on a made-up one, and a tool it does not.
    std::vector<ToolRef> refs{{"", "never_seen"}, {"elsewhere", "never_seen"}};
    for (const auto& [name, rule] : policy.top.tools) {
        refs.push_back({"", name});
        refs.push_back({"elsewhere", name});
    }
    if (policy.top.hide) {
        for (const std::string& name : *policy.top.hide)
            refs.push_back({"", name});
    }

    using Edit = std::function<EditResult(const Policy&, const ToolRef&)>;
    const std::vector<std::pair<const char*, Edit>> keepKind{
        {"limits",
         [](const Policy& p, const ToolRef& r) {
             return PolicyEdit::setLimits(p, r,
                                          limitsFrom(R"([{"window":"minute","max":30},)"
                                                     R"({"window":"day","max":900}])"));
         }},
        {"no limits",
         [](const Policy& p, const ToolRef& r) { return PolicyEdit::setLimits(p, r, {}); }},
        {"require",
         [](const Policy& p, const ToolRef& r) {
             return PolicyEdit::setConditions(
                 p, r, ConditionList::Require,
                 conditionsFrom(R"([{"path":"args.cluster","op":"exists","value":true}])"));
         }},
        {"deny_if",
         [](const Policy& p, const ToolRef& r) {
             return PolicyEdit::setConditions(
                 p, r, ConditionList::DenyIf,
                 conditionsFrom(R"([{"path":"args.op","op":"regex","value":"^Delete"}])"));
         }},
        {"approve_if",
         [](const Policy& p, const ToolRef& r) {
             return PolicyEdit::setConditions(
                 p, r, ConditionList::ApproveIf,
                 conditionsFrom(R"([{"path":"args.n","op":"gt","value":3}])"));
         }},
        {"no deny_if",
         [](const Policy& p, const ToolRef& r) {
             return PolicyEdit::setConditions(p, r, ConditionList::DenyIf, {});
         }},
        {"approval",
         [](const Policy& p, const ToolRef& r) {
             return PolicyEdit::setApproval(p, r, ApprovalSettings{600, TimeoutAction::Allow, {}});
         }},
        {"no approval",
         [](const Policy& p, const ToolRef& r) { return PolicyEdit::setApproval(p, r, {}); }},
        {"reason",
         [](const Policy& p, const ToolRef& r) { return PolicyEdit::setReason(p, r, "why"); }},
        {"no reason",
         [](const Policy& p, const ToolRef& r) { return PolicyEdit::setReason(p, r, ""); }},
        {"bulk limit",
         [](const Policy& p, const ToolRef& r) {
             return PolicyEdit::applyLimit(p, {r, {"", "bulk_other"}},
                                           limitsFrom(R"([{"window":"hour","max":9}])").front());
         }},
    };
    const std::vector<std::pair<const char*, Edit>> other{
        {"remove", [](const Policy& p, const ToolRef& r) { return PolicyEdit::removeRule(p, r); }},
        {"default allow",
         [](const Policy& p, const ToolRef&) {
             return PolicyEdit::setDefault(p, "", DefaultAction::Allow);
         }},
        {"section default",
         [](const Policy& p, const ToolRef& r) {
             return PolicyEdit::setDefault(p, r.server, DefaultAction::Deny);
         }},
        {"all_tools",
         [](const Policy& p, const ToolRef& r) {
             return PolicyEdit::setAllToolsLimits(p, r.server,
                                                  limitsFrom(R"([{"window":"second","max":2}])"));
         }},
        {"recommended",
         [](const Policy& p, const ToolRef& r) {
             return PolicyEdit::applyRecommendedRules(
                 p, r.server, {withCategory(r.tool, RiskCategory::Execute)});
         }},
    };

    for (const ToolRef& ref : refs) {
        const std::string where = ref.server + '/' + ref.tool;
        Policy chained = policy; // every edit also applied one after another
        for (const auto kind :
             {RuleKind::Hide, RuleKind::Allow, RuleKind::Deny, RuleKind::NeedsApproval}) {
            const EditResult r = PolicyEdit::setKind(policy, ref, kind);
            VERIFY_APPLIED(r);
            QVERIFY2(PolicyEdit::kindOf(*r.policy, ref) == kind, where.c_str());
            const EditResult c = PolicyEdit::setKind(chained, ref, kind);
            VERIFY_APPLIED(c);
            chained = *c.policy;
        }
        for (const auto& [name, edit] : keepKind) {
            const EditResult r = edit(policy, ref);
            VERIFY_APPLIED(r);
            QVERIFY2(PolicyEdit::kindOf(*r.policy, ref) == PolicyEdit::kindOf(policy, ref),
                     (where + ' ' + name).c_str());
            const RuleKind chainedKind = PolicyEdit::kindOf(chained, ref);
            const EditResult c = edit(chained, ref);
            VERIFY_APPLIED(c);
            QVERIFY2(PolicyEdit::kindOf(*c.policy, ref) == chainedKind,
                     (where + ' ' + name).c_str());
            chained = *c.policy;
        }
        for (const auto& [name, edit] : other) {
            const EditResult r = edit(policy, ref);
            VERIFY_APPLIED(r);
            const EditResult c = edit(chained, ref);
            VERIFY_APPLIED(c);
            chained = *c.policy;
        }
    }
}

// --- Arguments and operators ---------------------------------------------------------------

void TestPolicyEdit::argumentsOfDemoTools_data() {
    QTest::addColumn<QString>("tool");
    QTest::addColumn<QByteArray>("expected"); // [[path, types, values, required]]

    QTest::newRow("containerize_app") << QStringLiteral("containerize_app")
                                      << QByteArray(R"([["args.app_path",["string"],[],true],)"
                                                    R"(["args.port",["integer"],[],true]])");
    QTest::newRow("optional string") << QStringLiteral("build_and_push_image_to_ecr")
                                     << QByteArray(R"([["args.app_name",["string"],[],true],)"
                                                   R"(["args.app_path",["string"],[],true],)"
                                                   R"(["args.tag",["string","null"],[],false]])");
    QTest::newRow("enum")
        << QStringLiteral("ecs_troubleshooting_tool")
        << QByteArray(R"([["args.action",["string"],["get_ecs_troubleshooting_guidance",)"
                      R"("fetch_cloudformation_status","fetch_service_events",)"
                      R"("fetch_task_failures","fetch_task_logs","detect_image_pull_failures",)"
                      R"("fetch_network_configuration"],false],)"
                      R"(["args.parameters",["object","null"],[],false]])");
    QTest::newRow("string or object, boolean")
        << QStringLiteral("put_user_policy")
        << QByteArray(R"([["args.confirmed",["boolean"],[],false],)"
                      R"(["args.policy_document",["string","object"],[],true],)"
                      R"(["args.policy_name",["string"],[],true],)"
                      R"(["args.user_name",["string"],[],true]])");
    QTest::newRow("no properties")
        << QStringLiteral("aws_knowledge_aws___recommend") << QByteArray("[]");
}

void TestPolicyEdit::argumentsOfDemoTools() {
    QFETCH(QString, tool);
    QFETCH(QByteArray, expected);
    const json schema = demoSchema(tool.toStdString());
    const std::vector<ArgumentChoice> actual = PolicyEdit::argumentsOf(schema);
    const json rows = json::parse(expected.toStdString());
    QCOMPARE(actual.size(), rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const ArgumentChoice& a = actual[i];
        QCOMPARE(qs(a.path), qs(rows[i][0].get<std::string>()));
        QVERIFY2(json(a.types) == rows[i][1], a.path.c_str());
        QVERIFY2(a.values == rows[i][2], a.path.c_str());
        QCOMPARE(a.required, rows[i][3].get<bool>());
        // The schema's own words, for the tooltip.
        const json& property = schema.at("properties").at(a.path.substr(5));
        QCOMPARE(qs(a.description), qs(property.value("description", "")));
    }
    // The same definitions as the fixture the demo copied them from.
    if (tool == QLatin1String("put_user_policy"))
        QVERIFY(PolicyEdit::argumentsOf(
                    fixtureTool("aws-policy-tools.json", "put_user_policy").at("inputSchema")) ==
                actual);
}

void TestPolicyEdit::argumentsOfNested() {
    const json schema = json::parse(R"({
        "type": "object",
        "properties": {
            "api_params": {
                "type": "object",
                "description": "parameters",
                "properties": {
                    "cluster": {"type": "string", "description": "cluster name"},
                    "count": {"type": ["integer", "null"]},
                    "deep": {"type": "object", "properties": {"too_deep": {"type": "string"}}},
                    "dotted.name": {"type": "string"}
                },
                "required": ["cluster"]
            },
            "mode": {"enum": ["fast", "safe"]},
            "level": {"const": 3},
            "odd[0]": {"type": "string"},
            "tags": {"type": "array", "items": {"type": "string"}}
        },
        "required": ["api_params"]
    })");
    const std::vector<ArgumentChoice> actual = PolicyEdit::argumentsOf(schema);
    const std::vector<ArgumentChoice> expected{
        {"args.api_params", {"object"}, json::array(), "parameters", true},
        {"args.api_params.cluster", {"string"}, json::array(), "cluster name", true},
        {"args.api_params.count", {"integer", "null"}, json::array(), "", false},
        {"args.api_params.deep", {"object"}, json::array(), "", false},
        {"args.level", {"integer"}, json::array({3}), "", false},
        {"args.mode", {"string"}, json::array({"fast", "safe"}), "", false},
        {"args.tags", {"array"}, json::array(), "", false},
    };
    QCOMPARE(actual.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i)
        QVERIFY2(actual[i] == expected[i], actual[i].path.c_str());
    // Every path offered is one a condition accepts.
    for (const ArgumentChoice& a : actual)
        QVERIFY(portcullis::parseArgumentPath(a.path));

    QVERIFY(PolicyEdit::argumentsOf(json()).empty());
    QVERIFY(PolicyEdit::argumentsOf(json::array()).empty());
    QVERIFY(PolicyEdit::argumentsOf(json::parse(R"({"properties":[]})")).empty());
    // The fixture's proxied tools have no schema at all.
    QVERIFY(PolicyEdit::argumentsOf(
                fixtureTool("ecs-mcp-server.tools.json", "aws_knowledge_aws___recommend")
                    .value("inputSchema", json()))
                .empty());
}

void TestPolicyEdit::operatorsFor_data() {
    QTest::addColumn<QByteArray>("types");
    QTest::addColumn<QByteArray>("values");
    QTest::addColumn<QString>("ops");

    auto row = [](const char* name, const char* types, const char* values, const char* ops) {
        QTest::newRow(name) << QByteArray(types) << QByteArray(values) << QString::fromUtf8(ops);
    };
    row("string", R"(["string"])", "[]", "eq neq in not_in regex contains exists");
    row("integer", R"(["integer"])", "[]", "eq neq in not_in lt lte gt gte exists");
    row("number", R"(["number"])", "[]", "eq neq in not_in lt lte gt gte exists");
    row("boolean", R"(["boolean"])", "[]", "eq neq exists");
    row("array", R"(["array"])", "[]", "contains exists");
    row("object", R"(["object"])", "[]", "exists");
    row("optional object", R"(["object","null"])", "[]", "eq neq exists");
    row("optional string", R"(["string","null"])", "[]", "eq neq in not_in regex contains exists");
    row("string or object", R"(["string","object"])", "[]",
        "eq neq in not_in regex contains exists");
    row("number or array", R"(["number","array"])", "[]",
        "eq neq in not_in lt lte gt gte contains exists");
    row("string enum", R"(["string"])", R"(["a","b"])", "eq neq in not_in regex exists");
    row("number enum", R"(["integer"])", R"([1,2])", "eq neq in not_in exists");
    row("unknown type", "[]", "[]", "eq neq in not_in lt lte gt gte regex contains exists");
    row("unheard-of type", R"(["decimal"])", "[]",
        "eq neq in not_in lt lte gt gte regex contains exists");
}

void TestPolicyEdit::operatorsFor() {
    QFETCH(QByteArray, types);
    QFETCH(QByteArray, values);
    QFETCH(QString, ops);
    ArgumentChoice a;
    a.path = "args.a";
    a.types = json::parse(types.toStdString()).get<std::vector<std::string>>();
    a.values = json::parse(values.toStdString());
    QCOMPARE(opNames(PolicyEdit::operatorsFor(a)), ops);
}

// The editor must be able to show the rules it recommends: every condition of the starter
// policy for the real tools uses an argument and an operator the editor offers for it.
void TestPolicyEdit::recommendedConditionsUseOfferedOperators() {
    std::vector<ClassifiedTool> tools = classifiedDemoTools();
    const portcullis::RiskClassifier classifier;
    for (const char* fixture : {"ecs-mcp-server.tools.json", "aws-policy-tools.json"}) {
        const json all = loadJson(QStringLiteral(PORTCULLIS_SOURCE_DIR "/tests/data/fixtures/") +
                                  QLatin1String(fixture))
                             .at("tools");
        for (const json& t : all)
            tools.push_back({t, classifier.classify(t)});
    }
    int checked = 0;
    for (const ClassifiedTool& tool : tools) {
        const std::optional<ToolRule> rule = portcullis::recommendedRule(tool);
        if (!rule)
            continue;
        const std::vector<ArgumentChoice> args =
            PolicyEdit::argumentsOf(tool.definition.value("inputSchema", json()));
        for (const auto* list : {&rule->require, &rule->denyIf, &rule->approveIf}) {
            if (!*list)
                continue;
            for (const Condition& c : **list) {
                auto arg = std::find_if(args.begin(), args.end(),
                                        [&](const ArgumentChoice& a) { return a.path == c.path; });
                QVERIFY2(arg != args.end(), c.path.c_str());
                const std::vector<ConditionOp> ops = PolicyEdit::operatorsFor(*arg);
                QVERIFY2(std::find(ops.begin(), ops.end(), c.op) != ops.end(),
                         (c.path + ' ' + portcullis::toString(c.op)).c_str());
                QVERIFY(PolicyEdit::conditionProblem(c).empty());
                ++checked;
            }
        }
    }
    QVERIFY(checked > 0);
}

QTEST_GUILESS_MAIN(TestPolicyEdit)
#include "test_policyedit.moc"
