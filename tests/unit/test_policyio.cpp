#include "policy/policyio.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace portcullis;

namespace {

PolicyLoadResult parse(const char* text) {
    return PolicyIo::parse(std::string_view(text));
}

std::string problemsText(const PolicyLoadResult& r) {
    std::string out;
    for (const auto& p : r.problems)
        out += p.format("p.json") + '\n';
    return out;
}

} // namespace

class TestPolicyIo final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void loadsPolicyLayerShape();
    void loadsEveryExtension();
    void reportsProblems_data();
    void reportsProblems();
    void reportsAllProblemsAtOnce();
    void syntaxErrorHasLineAndColumn();
    void rejectsDeepNesting();
    void rejectsDuplicateKeys();
    void warnsAboutHiddenAllowedTool();
    void roundTrip_data();
    void roundTrip();
    void plainPolicySavesWithoutExtensions();
    void savesAtomically();
    void saveFailsCleanlyInMissingDirectory();
};

void TestPolicyIo::loadsPolicyLayerShape() {
    const auto r = parse(R"({
  "version": "1",
  "default": "deny",
  "hide": ["detach_user_policy"],
  "all_tools": { "limits": [ { "counter": "all", "window": "minute", "max": 120, "scope": "grant" } ] },
  "tools": {
    "policy_update": {
      "limits": [ { "counter": "policy_update_rate", "window": "minute", "max": 30, "scope": "grant" } ]
    },
    "esm_msk_policy": {}
  }
})");
    QVERIFY2(r.ok(), problemsText(r).c_str());
    const Policy& p = *r.policy;
    QCOMPARE(p.defaultAction(), DefaultAction::Deny);
    QCOMPARE(p.top.hide->size(), std::size_t(1));
    QCOMPARE(p.top.allToolsLimits->at(0).max, std::int64_t(120));
    const ToolRule* rule = p.top.rule("policy_update");
    QVERIFY(rule);
    QCOMPARE(rule->limits->at(0).counter, std::string("policy_update_rate"));
    QCOMPARE(rule->limits->at(0).window, LimitWindow::Minute);
    QVERIFY(p.top.rule("esm_msk_policy"));
    QVERIFY(p.extensionsUsed().empty());
}

void TestPolicyIo::loadsEveryExtension() {
    const auto r = parse(R"({
  "version": "1", "default": "allow", "description": "d",
  "tools": {
    "ecs": {
      "action": "approve",
      "reason": "writes need a human",
      "require": [ { "path": "args.api_operation", "op": "exists", "value": true } ],
      "deny_if": [ { "path": "args.api_operation", "op": "regex", "value": "^Delete" } ],
      "approve_if": [ { "path": "args.items[0].name", "op": "in", "value": ["a", "b"] } ],
      "approval": { "timeout_s": 120, "on_timeout": "allow" },
      "x-note": { "any": "thing" }
    }
  },
  "servers": { "iam": { "default": "deny", "hide": ["*"], "tools": { "list_users": {} } } },
  "x-generated-by": "test"
})");
    QVERIFY2(r.ok(), problemsText(r).c_str());
    const Policy& p = *r.policy;
    const ToolRule* rule = p.top.rule("ecs");
    QCOMPARE(*rule->action, RuleAction::Approve);
    QCOMPARE(rule->approval->timeoutS, 120);
    QCOMPARE(rule->approval->onTimeout, TimeoutAction::Allow);
    QVERIFY(rule->denyIf->at(0).regex);
    QCOMPARE(rule->approveIf->at(0).steps.size(), std::size_t(3));
    QVERIFY(rule->extensions["x-note"]["any"] == "thing");
    QVERIFY(p.servers.at("iam").hides("anything"));
    QVERIFY(p.top.extensions["x-generated-by"] == "test");
    const std::vector<std::string> expected{"action", "approve_if", "approval", "reason",
                                            "servers"};
    QCOMPARE(p.extensionsUsed(), expected);
}

void TestPolicyIo::reportsProblems_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected"); // one formatted problem, FILE:LINE:COL: path: message

    auto row = [](const char* name, const char* text, const char* expected) {
        QTest::newRow(name) << QByteArray(text) << QString::fromUtf8(expected);
    };
    row("not an object", "[]", "p.json:1:1: expected a JSON object, got an array");
    row("missing version", "{\"default\":\"deny\"}",
        "p.json:1:1: missing required key \"version\" (use \"1\")");
    row("missing default", "{\"version\":\"1\"}",
        "p.json:1:1: missing required key \"default\" (\"allow\" or \"deny\")");
    row("bad version", "{\"version\":\"2\",\"default\":\"deny\"}",
        "p.json:1:2: version: expected \"1\" (the only policy format version), got \"2\"");
    row("numeric version", "{\"version\":1,\"default\":\"deny\"}",
        "p.json:1:2: version: expected \"1\" (the only policy format version), got 1");
    row("bad default", "{\"version\":\"1\",\"default\":\"maybe\"}",
        "p.json:1:16: default: expected one of allow, deny, got \"maybe\"");
    row("description not string", "{\"version\":\"1\",\"default\":\"deny\",\"description\":3}",
        "p.json:1:33: description: expected a string, got a number");
    row("unknown top key", "{\"version\":\"1\",\"default\":\"deny\",\"tool\":{}}",
        "p.json:1:33: tool: unknown key \"tool\" (expected one of version, description, default, "
        "hide, all_tools, tools, servers, or an \"x-\" extension key)");
    row("hide not array", "{\"version\":\"1\",\"default\":\"deny\",\"hide\":\"x\"}",
        "p.json:1:33: hide: expected an array of tool names, got a string");
    row("hide empty name", "{\"version\":\"1\",\"default\":\"deny\",\"hide\":[\"\"]}",
        "p.json:1:41: hide[0]: expected a tool name or \"*\", got \"\"");
    row("all_tools not object", "{\"version\":\"1\",\"default\":\"deny\",\"all_tools\":[]}",
        "p.json:1:33: all_tools: expected an object with \"limits\", got an array");
    row("all_tools unknown key",
        "{\"version\":\"1\",\"default\":\"deny\",\"all_tools\":{\"limit\":[]}}",
        "p.json:1:46: all_tools.limit: unknown key \"limit\" (expected one of limits, or an \"x-\" "
        "extension key)");
    row("tools not object", "{\"version\":\"1\",\"default\":\"deny\",\"tools\":[]}",
        "p.json:1:33: tools: expected an object of tool rules, got an array");
    row("rule not object", "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":true}}",
        "p.json:1:42: tools.t: expected an object (use {} to allow the tool), got a boolean");
    row("unknown rule key",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{\"limts\":[]}}}",
        "p.json:1:47: tools.t.limts: unknown key \"limts\" (expected one of action, reason, "
        "require, deny_if, approve_if, limits, approval, or an \"x-\" extension key)");
    row("bad action",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{\"action\":\"ask\"}}}",
        "p.json:1:47: tools.t.action: expected one of allow, deny, approve, got \"ask\"");
    row("reason not string",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{\"reason\":[]}}}",
        "p.json:1:47: tools.t.reason: expected a string, got an array");
    row("limits not array",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{\"limits\":{}}}}",
        "p.json:1:47: tools.t.limits: expected an array of limits, got an object");
    row("limit not object",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{\"limits\":[1]}}}",
        "p.json:1:57: tools.t.limits[0]: expected a limit object {counter, window, max, scope}, "
        "got a number");
    row("bad window",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"delete_app\":{\"limits\":[{"
        "\"counter\":"
        "\"c\",\"window\":\"fortnight\",\"max\":1}]}}}",
        "p.json:1:81: tools.delete_app.limits[0].window: expected one of second, minute, hour, "
        "day, got \"fortnight\"");
    row("max zero",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{\"limits\":[{\"counter\":\"c\","
        "\"window\":\"minute\",\"max\":0}]}}}",
        "p.json:1:90: tools.t.limits[0].max: expected a whole number from 1 to 1000000000, got 0");
    row("max fraction",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{\"limits\":[{\"counter\":\"c\","
        "\"window\":\"minute\",\"max\":1.5}]}}}",
        "p.json:1:90: tools.t.limits[0].max: expected a whole number from 1 to 1000000000, got "
        "1.5");
    row("max too big",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{\"limits\":[{\"counter\":\"c\","
        "\"window\":\"minute\",\"max\":1000000001}]}}}",
        "p.json:1:90: tools.t.limits[0].max: expected a whole number from 1 to 1000000000, got "
        "1000000001");
    row("bad scope",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{\"limits\":[{\"counter\":\"c\","
        "\"window\":\"minute\",\"max\":1,\"scope\":\"user\"}]}}}",
        "p.json:1:98: tools.t.limits[0].scope: expected one of grant, session, global, got "
        "\"user\"");
    row("empty counter",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{\"limits\":[{\"counter\":\"\","
        "\"window\":\"minute\",\"max\":1}]}}}",
        "p.json:1:58: tools.t.limits[0].counter: expected a non-empty counter name, got \"\"");
    row("limit missing max",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{\"limits\":[{\"counter\":\"c\","
        "\"window\":\"minute\"}]}}}",
        "p.json:1:57: tools.t.limits[0]: missing required key \"max\"");
    row("conditions not array",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{\"require\":{}}}}",
        "p.json:1:47: tools.t.require: expected an array of conditions, got an object");
    row("condition not object",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{\"deny_if\":[\"x\"]}}}",
        "p.json:1:58: tools.t.deny_if[0]: expected a condition object {path, op, value}, got a "
        "string");
    row("bad path",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{\"require\":[{\"path\":"
        "\"arguments.x\","
        "\"op\":\"exists\",\"value\":true}]}}}",
        "p.json:1:59: tools.t.require[0].path: expected a path into the call's arguments like "
        "\"args.name\" or \"args.items[0].id\", got \"arguments.x\"");
    row("bad index path",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{\"require\":[{\"path\":\"args.a["
        "x]\","
        "\"op\":\"exists\",\"value\":true}]}}}",
        "p.json:1:59: tools.t.require[0].path: expected a path into the call's arguments like "
        "\"args.name\" or \"args.items[0].id\", got \"args.a[x]\"");
    row("bad op",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{\"require\":[{\"path\":\"args."
        "a\","
        "\"op\":\"like\",\"value\":1}]}}}",
        "p.json:1:75: tools.t.require[0].op: expected one of eq, neq, in, not_in, lt, lte, gt, "
        "gte, regex, contains, exists, got \"like\"");
    row("missing value",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{\"require\":[{\"path\":\"args."
        "a\","
        "\"op\":\"eq\"}]}}}",
        "p.json:1:58: tools.t.require[0]: missing required key \"value\"");
    row("unknown condition key",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{\"require\":[{\"path\":\"args."
        "a\","
        "\"op\":\"eq\",\"value\":1,\"values\":2}]}}}",
        "p.json:1:95: tools.t.require[0].values: unknown key \"values\" (expected one of path, op, "
        "value, or an \"x-\" extension key)");
    row("in needs array",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{\"deny_if\":[{\"path\":\"args."
        "a\","
        "\"op\":\"in\",\"value\":1}]}}}",
        "p.json:1:85: tools.t.deny_if[0].value: \"in\" needs an array, got a number");
    row("not_in needs array",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{\"deny_if\":[{\"path\":\"args."
        "a\","
        "\"op\":\"not_in\",\"value\":\"x\"}]}}}",
        "p.json:1:89: tools.t.deny_if[0].value: \"not_in\" needs an array, got a string");
    row("gt needs number",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{\"deny_if\":[{\"path\":\"args."
        "a\","
        "\"op\":\"gt\",\"value\":\"5\"}]}}}",
        "p.json:1:85: tools.t.deny_if[0].value: \"gt\" needs a number, got a string");
    row("exists needs bool",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{\"require\":[{\"path\":\"args."
        "a\","
        "\"op\":\"exists\",\"value\":1}]}}}",
        "p.json:1:89: tools.t.require[0].value: \"exists\" needs true or false, got a number");
    row("regex needs string",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{\"deny_if\":[{\"path\":\"args."
        "a\","
        "\"op\":\"regex\",\"value\":1}]}}}",
        "p.json:1:88: tools.t.deny_if[0].value: \"regex\" needs a pattern string, got a number");
    row("invalid regex",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{\"deny_if\":[{\"path\":\"args."
        "a\","
        "\"op\":\"regex\",\"value\":\"(\"}]}}}",
        "p.json:1:88: tools.t.deny_if[0].value: invalid regular expression \"(\": missing closing "
        "parenthesis at offset 1");
    row("approval not object",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{\"approval\":50}}}",
        "p.json:1:47: tools.t.approval: expected an object {timeout_s, on_timeout}, got a number");
    row("approval timeout range",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{\"approval\":{\"timeout_s\":0}}}"
        "}",
        "p.json:1:59: tools.t.approval.timeout_s: expected whole seconds from 1 to 86400, got 0");
    row("approval on_timeout",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{\"approval\":{\"on_timeout\":"
        "\"ask\"}}}}",
        "p.json:1:59: tools.t.approval.on_timeout: expected one of deny, allow, got \"ask\"");
    row("approval unknown key",
        "{\"version\":\"1\",\"default\":\"deny\",\"tools\":{\"t\":{\"approval\":{\"timeout\":5}}}}",
        "p.json:1:59: tools.t.approval.timeout: unknown key \"timeout\" (expected one of "
        "timeout_s, "
        "on_timeout, or an \"x-\" extension key)");
    row("servers not object", "{\"version\":\"1\",\"default\":\"deny\",\"servers\":[]}",
        "p.json:1:33: servers: expected an object of server sections, got an array");
    row("server section not object",
        "{\"version\":\"1\",\"default\":\"deny\",\"servers\":{\"iam\":1}}",
        "p.json:1:44: servers.iam: expected an object, got a number");
    row("server section unknown key",
        "{\"version\":\"1\",\"default\":\"deny\",\"servers\":{\"iam\":{\"version\":\"1\"}}}",
        "p.json:1:51: servers.iam.version: unknown key \"version\" (expected one of default, hide, "
        "all_tools, tools, or an \"x-\" extension key)");
    row("server section bad default",
        "{\"version\":\"1\",\"default\":\"deny\",\"servers\":{\"iam\":{\"default\":\"no\"}}}",
        "p.json:1:51: servers.iam.default: expected one of allow, deny, got \"no\"");
    row("duplicate key", "{\"version\":\"1\",\"default\":\"allow\",\"default\":\"deny\"}",
        "p.json:1:34: default: duplicate key; a later value would silently replace the earlier "
        "one");
}

void TestPolicyIo::reportsProblems() {
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    const auto r = PolicyIo::parse(std::string_view(text.constData(), text.size()));
    QVERIFY(!r.ok());
    QCOMPARE(r.errorCount(), std::size_t(1));
    QCOMPARE(QString::fromStdString(r.problems.front().format("p.json")), expected);
}

void TestPolicyIo::reportsAllProblemsAtOnce() {
    const auto r = parse(R"({
  "version": "1",
  "default": "deny",
  "tools": {
    "delete_app": {
      "limts": [],
      "limits": [ { "counter": "c", "window": "fortnight", "max": 1 } ],
      "deny_if": [ { "path": "args.name", "op": "regex", "value": "(" } ]
    }
  }
})");
    QVERIFY(!r.ok());
    QCOMPARE(r.errorCount(), std::size_t(3));
    QCOMPARE(QString::fromStdString(problemsText(r)),
             QStringLiteral(
                 "p.json:6:7: tools.delete_app.limts: unknown key \"limts\" (expected one of "
                 "action, reason, require, deny_if, approve_if, limits, approval, or an \"x-\" "
                 "extension key)\n"
                 "p.json:7:37: tools.delete_app.limits[0].window: expected one of second, minute, "
                 "hour, day, got \"fortnight\"\n"
                 "p.json:8:58: tools.delete_app.deny_if[0].value: invalid regular expression "
                 "\"(\": missing closing parenthesis at offset 1\n"));
}

void TestPolicyIo::syntaxErrorHasLineAndColumn() {
    const auto r = parse("{\n  \"version\": \"1\",\n  \"default\": \"deny\",\n}\n");
    QVERIFY(!r.ok());
    QCOMPARE(r.problems.size(), std::size_t(1));
    const auto& p = r.problems.front();
    QCOMPARE(p.line, 4);
    QCOMPARE(p.column, 1);
    QVERIFY2(p.message.rfind("invalid JSON: syntax error while parsing object key", 0) == 0,
             p.message.c_str());

    const auto truncated = parse("{\"version\": \"1\", \"def");
    QVERIFY(!truncated.ok());
    QCOMPARE(truncated.problems.front().line, 1);
    QVERIFY(truncated.problems.front().message.find("invalid JSON") == 0);

    // A number no double can hold is a problem at its place, not an exception.
    const auto overflow = parse("{\"version\":\"1\",\n\"default\":\"deny\",\"x-n\": 9e999999}");
    QVERIFY(!overflow.ok());
    QCOMPARE(overflow.problems.front().line, 2);
    QCOMPARE(overflow.problems.front().column, 25);
    QVERIFY2(overflow.problems.front().message ==
                 "invalid JSON: number overflow parsing '9e999999'",
             overflow.problems.front().message.c_str());

    const auto empty = parse("");
    QVERIFY(!empty.ok());
    QVERIFY(empty.problems.front().message.find("invalid JSON") == 0);
}

void TestPolicyIo::rejectsDeepNesting() {
    std::string deep = "{\"version\":\"1\",\"default\":\"deny\",\"x-deep\":";
    deep += std::string(100000, '[');
    deep += std::string(100000, ']');
    deep += "}";
    const auto r = PolicyIo::parse(deep);
    QVERIFY(!r.ok());
    QCOMPARE(r.problems.front().message, std::string("nesting deeper than 64 levels"));
    QCOMPARE(r.problems.front().column, 42 + 63);
}

void TestPolicyIo::rejectsDuplicateKeys() {
    const auto r =
        parse(R"({"version":"1","default":"deny","tools":{"t":{},"t":{"action":"deny"}}})");
    QVERIFY(!r.ok());
    QCOMPARE(r.problems.front().path, std::string("tools.t"));
}

void TestPolicyIo::warnsAboutHiddenAllowedTool() {
    const auto r = parse(R"({"version":"1","default":"deny","hide":["t"],"tools":{"t":{}}})");
    QVERIFY(r.ok());
    QCOMPARE(r.problems.size(), std::size_t(1));
    QVERIFY(!r.problems.front().isError());
    QCOMPARE(r.problems.front().format("p.json"),
             std::string("p.json:1:55: warning: tools.t: tool is also hidden by hide; hiding wins "
                         "and this rule never applies"));
}

void TestPolicyIo::roundTrip_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("minimal") << QByteArray(R"({"version":"1","default":"allow"})");
    QTest::newRow("policylayer") << QByteArray(
        R"({"version":"1","default":"deny","hide":["a","b"],"all_tools":{"limits":[{"counter":"all","window":"hour","max":1000}]},"tools":{"p":{"limits":[{"counter":"r","window":"minute","max":30,"scope":"grant"}]},"q":{}}})");
    QTest::newRow("extensions") << QByteArray(
        R"({"description":"x","version":"1","default":"deny","tools":{"e":{"x-a":1,"action":"approve","reason":"why","require":[{"path":"args.a","op":"exists","value":true}],"deny_if":[{"path":"args.b[2]","op":"regex","value":"^D","x-c":true}],"approve_if":[{"path":"args.n","op":"gte","value":10.5}],"limits":[{"counter":"c","window":"second","max":1,"scope":"session"}],"approval":{"timeout_s":9,"on_timeout":"allow"}}},"servers":{"s":{"default":"allow","hide":["*"],"all_tools":{"limits":[]},"tools":{}}},"x-top":[1,2]})");
    QTest::newRow("unicode") << QByteArray(
        R"({"version":"1","default":"deny","description":"Zugriff für Agenten ✓","tools":{"naïve":{"reason":"日本"}}})");
}

void TestPolicyIo::roundTrip() {
    QFETCH(QByteArray, text);
    const auto first = PolicyIo::parse(std::string_view(text.constData(), text.size()));
    QVERIFY2(first.ok(), problemsText(first).c_str());
    const std::string saved = PolicyIo::serialize(*first.policy);
    const auto second = PolicyIo::parse(saved);
    QVERIFY2(second.ok(), (problemsText(second) + saved).c_str());
    QVERIFY2(*first.policy == *second.policy, saved.c_str());
    // Saving again changes nothing: the written form is a fixed point.
    QCOMPARE(PolicyIo::serialize(*second.policy), saved);
}

void TestPolicyIo::plainPolicySavesWithoutExtensions() {
    const auto r = parse(
        R"({"tools":{"policy_update":{"limits":[{"max":30,"scope":"grant","window":"minute","counter":"policy_update_rate"}]}},"default":"deny","version":"1"})");
    QVERIFY(r.ok());
    const std::string expected = R"({
  "version": "1",
  "default": "deny",
  "tools": {
    "policy_update": {
      "limits": [
        {
          "counter": "policy_update_rate",
          "window": "minute",
          "max": 30,
          "scope": "grant"
        }
      ]
    }
  }
}
)";
    QCOMPARE(PolicyIo::serialize(*r.policy), expected);
}

void TestPolicyIo::savesAtomically() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("policy.json"));
    {
        QFile old(path);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("old contents");
    }
    const auto r = parse(R"({"version":"1","default":"deny","tools":{"a":{}}})");
    QVERIFY(r.ok());
    QCOMPARE(PolicyIo::saveFile(*r.policy, path), std::nullopt);
    const auto reloaded = PolicyIo::loadFile(path);
    QVERIFY(reloaded.ok());
    QCOMPARE(*reloaded.policy, *r.policy);
    // No temporary file is left beside it.
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("policy.json")});
}

void TestPolicyIo::saveFailsCleanlyInMissingDirectory() {
    QTemporaryDir dir;
    const auto r = parse(R"({"version":"1","default":"deny"})");
    const auto error =
        PolicyIo::saveFile(*r.policy, dir.filePath(QStringLiteral("no/such/p.json")));
    QVERIFY(error.has_value());
    QVERIFY(error->contains(QStringLiteral("cannot write")));

    const auto missing = PolicyIo::loadFile(dir.filePath(QStringLiteral("absent.json")));
    QVERIFY(!missing.ok());
    QVERIFY(missing.problems.front().message.find("cannot read") == 0);
}

QTEST_GUILESS_MAIN(TestPolicyIo)
#include "test_policyio.moc"
