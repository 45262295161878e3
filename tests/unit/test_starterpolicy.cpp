#include "risk/riskclassifier.h"
#include "risk/starterpolicy.h"

#include <QFile>
#include <QStringList>
#include <QTest>

#include <nlohmann/json.hpp>

#include <algorithm>

using nlohmann::json;
using portcullis::ClassifiedTool;
using portcullis::Condition;
using portcullis::ConditionOp;
using portcullis::Limit;
using portcullis::LimitScope;
using portcullis::LimitWindow;
using portcullis::RiskCategory;
using portcullis::RuleAction;
using portcullis::ToolRule;

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

json loadFixture(const QString& file) {
    QFile f(QStringLiteral(PORTCULLIS_SOURCE_DIR "/tests/data/fixtures/") + file);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open fixture %s", qPrintable(f.fileName()));
    return json::parse(f.readAll().toStdString());
}

ClassifiedTool classified(const json& definition) {
    return {definition, portcullis::RiskClassifier().classify(definition)};
}

ClassifiedTool withCategory(const json& definition, RiskCategory category) {
    ClassifiedTool t{definition, {}};
    t.assessment.category = category;
    t.assessment.risk = portcullis::defaultRisk(category);
    return t;
}

// As the seed tools were labelled: from name and description only.
ClassifiedTool seedTool(const std::string& name) {
    const json seeds = loadFixture(QStringLiteral("seed-risk-labels.json"));
    for (const json& t : seeds.at("tools")) {
        if (t.at("name") == name)
            return classified({{"name", name}, {"description", t.at("description")}});
    }
    qFatal("no seed tool %s", name.c_str());
}

json seedRecommendation(const std::string& name) {
    const json seeds = loadFixture(QStringLiteral("seed-risk-labels.json"));
    for (const json& t : seeds.at("tools")) {
        if (t.at("name") == name)
            return t.at("recommended");
    }
    return {};
}

Limit minuteLimit(const std::string& tool, std::int64_t max) {
    return Limit{tool + "_rate", LimitWindow::Minute, max, LimitScope::Grant};
}

const json* findTool(const json& fixture, const std::string& name) {
    for (const json& t : fixture.at("tools")) {
        if (t.at("name") == name)
            return &t;
    }
    return nullptr;
}

} // namespace

class TestStarterPolicy final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void seedRateLimits_data();
    void seedRateLimits();
    void seedHidesDetach();
    void seedExecuteRule();
    void ecsResourceManagementRule();
    void ruleShapePerCategory_data();
    void ruleShapePerCategory();
    void enumSelectorApprovesOnlyWrites();
    void freeFormCommandNeedsApprovalForEveryCall();
    void starterPolicyForFixtures();
};

// The seed pages' own rules, read from the fixture: the oracle, not a copy of our code.
void TestStarterPolicy::seedRateLimits_data() {
    QTest::addColumn<QString>("name");
    QTest::newRow("policy_update") << QStringLiteral("policy_update");
    QTest::newRow("put_user_policy") << QStringLiteral("put_user_policy");
    QTest::newRow("esm_msk_policy") << QStringLiteral("esm_msk_policy");
}

void TestStarterPolicy::seedRateLimits() {
    QFETCH(QString, name);
    const json expected = seedRecommendation(name.toStdString()).at("limits");
    QCOMPARE(expected.size(), std::size_t(1));

    const std::optional<ToolRule> rule = portcullis::recommendedRule(seedTool(name.toStdString()));
    QVERIFY(rule);
    QVERIFY(rule->limits);
    QCOMPARE(rule->limits->size(), std::size_t(1));
    const Limit& limit = rule->limits->front();
    QCOMPARE(qs(limit.counter), qs(expected[0].at("counter").get<std::string>()));
    QCOMPARE(limit.max, expected[0].at("max").get<std::int64_t>());
    QCOMPARE(qs(portcullis::toString(limit.window)),
             qs(expected[0].at("window").get<std::string>()));
    QCOMPARE(qs(portcullis::toString(limit.scope)), qs(expected[0].at("scope").get<std::string>()));
    // Nothing beyond the cap: the seed rule stays a plain PolicyLayer rule.
    QVERIFY(!rule->action && !rule->approveIf && !rule->require && !rule->denyIf);
}

void TestStarterPolicy::seedHidesDetach() {
    QVERIFY(seedRecommendation("detach_user_policy").at("hide") == json(true));
    const ClassifiedTool detach = seedTool("detach_user_policy");
    QVERIFY(!portcullis::recommendedRule(detach));
    const portcullis::Policy policy = portcullis::starterPolicy({detach});
    QVERIFY(policy.top.hides("detach_user_policy"));
    QVERIFY(!policy.top.rule("detach_user_policy"));
}

void TestStarterPolicy::seedExecuteRule() {
    const json expected = seedRecommendation("ecs_resource_management");
    const std::optional<ToolRule> rule =
        portcullis::recommendedRule(seedTool("ecs_resource_management"));
    QVERIFY(rule);
    QVERIFY(rule->limits);
    QCOMPARE(*rule->limits, std::vector<Limit>{minuteLimit(
                                "ecs_resource_management",
                                expected.at("rate_limit_per_minute").get<std::int64_t>())});
    // The seed definition has no input schema, so there is no argument to screen: a human
    // approves every call rather than none.
    QCOMPARE(rule->action, std::optional<RuleAction>(RuleAction::Approve));
}

void TestStarterPolicy::ecsResourceManagementRule() {
    const json fixture = loadFixture(QStringLiteral("ecs-mcp-server.tools.json"));
    const json* tool = findTool(fixture, "ecs_resource_management");
    QVERIFY(tool);
    const std::optional<ToolRule> rule = portcullis::recommendedRule(classified(*tool));
    QVERIFY(rule);

    QVERIFY(rule->limits);
    QCOMPARE(*rule->limits, std::vector<Limit>{minuteLimit("ecs_resource_management", 10)});

    QVERIFY(rule->require);
    QCOMPARE(rule->require->size(), std::size_t(1));
    const Condition& required = rule->require->front();
    QCOMPARE(qs(required.path), QStringLiteral("args.api_operation"));
    QVERIFY((required.steps == std::vector<portcullis::PathStep>{{"api_operation", -1}}));
    QCOMPARE(required.op, ConditionOp::Exists);
    QVERIFY(required.value == json(true));

    QVERIFY(!rule->action); // approval only for the writes
    QVERIFY(rule->approveIf);
    QCOMPARE(rule->approveIf->size(), std::size_t(1));
    const Condition& approve = rule->approveIf->front();
    QCOMPARE(qs(approve.path), QStringLiteral("args.api_operation"));
    QCOMPARE(approve.op, ConditionOp::Regex);
    QVERIFY(approve.regex);
    QVERIFY(approve.regex->isValid());
    QCOMPARE(approve.regex->pattern(), qs(approve.value.get<std::string>()));
    const QStringList writes{QStringLiteral("CreateCluster"),
                             QStringLiteral("DeleteService"),
                             QStringLiteral("RunTask"),
                             QStringLiteral("StopTask"),
                             QStringLiteral("UpdateService"),
                             QStringLiteral("TagResource"),
                             QStringLiteral("DeregisterTaskDefinition"),
                             QStringLiteral("ExecuteCommand"),
                             QStringLiteral("createCluster")};
    for (const QString& op : writes)
        QVERIFY2(approve.regex->match(op).hasMatch(), qPrintable(op));
    const QStringList reads{QStringLiteral("DescribeClusters"), QStringLiteral("ListTasks"),
                            QStringLiteral("ListTagsForResource")};
    for (const QString& op : reads)
        QVERIFY2(!approve.regex->match(op).hasMatch(), qPrintable(op));
}

void TestStarterPolicy::ruleShapePerCategory_data() {
    QTest::addColumn<int>("category");
    QTest::addColumn<bool>("hidden");
    QTest::addColumn<int>("perMinute"); // 0: no limit
    QTest::addColumn<bool>("approve");

    QTest::newRow("Read") << int(RiskCategory::Read) << false << 0 << false;
    QTest::newRow("Write") << int(RiskCategory::Write) << false << 30 << false;
    QTest::newRow("Execute") << int(RiskCategory::Execute) << false << 10 << true;
    QTest::newRow("Destructive") << int(RiskCategory::Destructive) << true << 0 << false;
    QTest::newRow("Financial") << int(RiskCategory::Financial) << false << 0 << true;
    QTest::newRow("Other") << int(RiskCategory::Other) << false << 60 << false;
}

void TestStarterPolicy::ruleShapePerCategory() {
    QFETCH(int, category);
    QFETCH(bool, hidden);
    QFETCH(int, perMinute);
    QFETCH(bool, approve);

    const json tool = {{"name", "widget_tool"}, {"description", ""}};
    const std::optional<ToolRule> rule =
        portcullis::recommendedRule(withCategory(tool, static_cast<RiskCategory>(category)));
    QCOMPARE(!rule, hidden);
    if (hidden)
        return;
    if (perMinute == 0)
        QVERIFY(!rule->limits);
    else
        QCOMPARE(*rule->limits, std::vector<Limit>{minuteLimit("widget_tool", perMinute)});
    QCOMPARE(rule->effectiveAction() == RuleAction::Approve, approve);
    if (category == int(RiskCategory::Read))
        QVERIFY(*rule == ToolRule{}); // listed, so allowed under default deny
}

void TestStarterPolicy::enumSelectorApprovesOnlyWrites() {
    const json tool = json::parse(R"({
        "name": "widget_admin", "description": "Manage widgets.",
        "inputSchema": {"type": "object", "required": ["action", "widget"], "properties": {
            "action": {"type": "string", "enum": ["list_widgets", "create_widget", "delete_widget"]},
            "widget": {"type": "string"}}}})");
    const ClassifiedTool t = classified(tool);
    QCOMPARE(t.assessment.category, RiskCategory::Execute);
    const std::optional<ToolRule> rule = portcullis::recommendedRule(t);
    QVERIFY(rule && rule->require && rule->approveIf);
    QStringList required;
    for (const Condition& c : *rule->require)
        required << qs(c.path);
    QCOMPARE(required, (QStringList{QStringLiteral("args.action"), QStringLiteral("args.widget")}));
    const Condition& approve = rule->approveIf->front();
    QCOMPARE(qs(approve.path), QStringLiteral("args.action"));
    QVERIFY(approve.regex->match(QStringLiteral("create_widget")).hasMatch());
    QVERIFY(approve.regex->match(QStringLiteral("delete_widget")).hasMatch());
    QVERIFY(!approve.regex->match(QStringLiteral("list_widgets")).hasMatch());
}

void TestStarterPolicy::freeFormCommandNeedsApprovalForEveryCall() {
    const json tool = json::parse(R"({"name": "bash", "description": "",
        "inputSchema": {"type": "object", "required": ["command"],
                        "properties": {"command": {"type": "string"}}}})");
    const ClassifiedTool t = classified(tool);
    QCOMPARE(t.assessment.category, RiskCategory::Execute);
    const std::optional<ToolRule> rule = portcullis::recommendedRule(t);
    QVERIFY(rule);
    QCOMPARE(rule->action, std::optional<RuleAction>(RuleAction::Approve));
    QVERIFY(!rule->approveIf); // "rm -rf /" matches no operation prefix
    QVERIFY(rule->require && rule->require->size() == 1);
}

void TestStarterPolicy::starterPolicyForFixtures() {
    std::vector<ClassifiedTool> tools;
    for (const char* file : {"ecs-mcp-server.tools.json", "aws-policy-tools.json"}) {
        const json fixture = loadFixture(QString::fromUtf8(file));
        for (const json& t : fixture.at("tools"))
            tools.push_back(classified(t));
    }
    const portcullis::Policy policy = portcullis::starterPolicy(tools);
    QCOMPARE(qs(policy.version), QStringLiteral("1"));
    QCOMPARE(policy.top.defaultAction, std::optional(portcullis::DefaultAction::Deny));
    QVERIFY(policy.top.hasTools);
    QVERIFY(policy.top.hide);
    QStringList hidden;
    for (const std::string& h : *policy.top.hide)
        hidden << qs(h);
    hidden.sort();
    QCOMPARE(hidden,
             (QStringList{QStringLiteral("delete_app"), QStringLiteral("detach_user_policy")}));

    QCOMPARE(policy.top.tools.size() + hidden.size(), tools.size());
    for (const ClassifiedTool& t : tools) {
        const std::string name = t.definition.at("name");
        if (t.assessment.category == RiskCategory::Destructive)
            continue;
        const ToolRule* rule = policy.top.rule(name);
        QVERIFY2(rule, name.c_str());
        QVERIFY(*rule == *portcullis::recommendedRule(t));
    }
    QVERIFY(*policy.top.rule("containerize_app") == ToolRule{});
    QVERIFY(policy.top.rule("put_user_policy")->limits);
    QVERIFY(policy.top.rule("ecs_resource_management")->approveIf);
}

QTEST_GUILESS_MAIN(TestStarterPolicy)
#include "test_starterpolicy.moc"
