#include "risk/namewords.h"
#include "risk/riskclassifier.h"
#include "risk/toolfingerprint.h"

#include <QFile>
#include <QStringList>
#include <QTest>

#include <nlohmann/json.hpp>

using nlohmann::json;
using portcullis::RiskAssessment;
using portcullis::RiskCategory;
using portcullis::RiskClassifier;
using portcullis::RiskContext;

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
QString qs(const char* s) {
    return QString::fromUtf8(s);
}

json loadFixture(const QString& file) {
    QFile f(QStringLiteral(PORTCULLIS_SOURCE_DIR "/tests/data/fixtures/") + file);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open fixture %s", qPrintable(f.fileName()));
    return json::parse(f.readAll().toStdString());
}

const json* findTool(const json& fixture, const std::string& name) {
    for (const json& t : fixture.at("tools")) {
        if (t.value("name", std::string()) == name)
            return &t;
    }
    return nullptr;
}

RiskAssessment classify(const json& tool, RiskContext context = {}) {
    return RiskClassifier().classify(tool, context);
}

} // namespace

class TestRiskClassifier final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void seedLabels_data();
    void seedLabels();
    void fixtureTools_data();
    void fixtureTools();
    void everyFixtureToolHasABadge_data();
    void everyFixtureToolHasABadge();
    void nameWords_data();
    void nameWords();
    void nameOnly_data();
    void nameOnly();
    void descriptionAndSchema_data();
    void descriptionAndSchema();
    void noEvidenceIsOtherWithLowConfidence_data();
    void noEvidenceIsOtherWithLowConfidence();
    void userLabelWins();
    void annotations_data();
    void annotations();
    void fingerprintIsCanonical();
    void fingerprintChangesWithDefinition();
    void categoryNames();
};

// The labeller saw only name and description, so that is all the classifier gets here.
void TestRiskClassifier::seedLabels_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("description");
    QTest::addColumn<QString>("category");
    QTest::addColumn<QString>("risk");
    QTest::addColumn<QString>("rationaleMentions");

    const QHash<QString, QString> mentions{
        {QStringLiteral("policy_update"), QStringLiteral("'update'")},
        {QStringLiteral("put_user_policy"), QStringLiteral("'put'")},
        {QStringLiteral("ecs_resource_management"), QStringLiteral("executes ECS API operations")},
        {QStringLiteral("esm_msk_policy"), QStringLiteral("cannot tell")},
        {QStringLiteral("detach_user_policy"), QStringLiteral("'detach'")},
    };
    const json seeds = loadFixture(QStringLiteral("seed-risk-labels.json"));
    QCOMPARE(seeds.at("tools").size(), std::size_t(5));
    for (const json& t : seeds.at("tools")) {
        const std::string name = t.at("name");
        QTest::newRow(name.c_str())
            << qs(name) << qs(t.at("description").get<std::string>())
            << qs(t.at("category").get<std::string>()) << qs(t.at("risk").get<std::string>())
            << mentions.value(qs(name));
    }
}

void TestRiskClassifier::seedLabels() {
    QFETCH(QString, name);
    QFETCH(QString, description);
    QFETCH(QString, category);
    QFETCH(QString, risk);
    QFETCH(QString, rationaleMentions);

    const RiskAssessment a =
        classify({{"name", name.toStdString()}, {"description", description.toStdString()}});
    QCOMPARE(qs(portcullis::toString(a.category)), category);
    QCOMPARE(qs(portcullis::toString(a.risk)), risk);
    QVERIFY2(qs(a.rationale).contains(rationaleMentions), a.rationale.c_str());
    QVERIFY(!qs(a.rationale).contains(QLatin1Char('\n')));
    if (description.isEmpty()) {
        // The seeds: an empty description lowers confidence.
        QVERIFY2(a.confidence < 0.7, a.rationale.c_str());
    }
    if (category == QLatin1String("Other"))
        QVERIFY(a.confidence < 0.5);
}

void TestRiskClassifier::fixtureTools_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("category");
    QTest::addColumn<QString>("risk");

    const QString ecs = QStringLiteral("ecs-mcp-server.tools.json");
    const QString aws = QStringLiteral("aws-policy-tools.json");
    auto row = [](const QString& file, const char* name, const char* category, const char* risk) {
        QTest::newRow(name) << file << qs(name) << qs(category) << qs(risk);
    };
    row(ecs, "containerize_app", "Read", "Low");
    row(ecs, "build_and_push_image_to_ecr", "Execute", "High");
    row(ecs, "validate_ecs_express_mode_prerequisites", "Read", "Low");
    row(ecs, "delete_app", "Destructive", "Critical");
    row(ecs, "wait_for_service_ready", "Read", "Low");
    row(ecs, "ecs_resource_management", "Execute", "High");
    row(ecs, "ecs_troubleshooting_tool", "Read", "Low");
    row(ecs, "aws_knowledge_aws___search_documentation", "Read", "Low");
    row(ecs, "aws_knowledge_aws___read_documentation", "Read", "Low");
    row(ecs, "aws_knowledge_aws___recommend", "Read", "Low");
    row(aws, "detach_user_policy", "Destructive", "Critical");
    row(aws, "put_user_policy", "Write", "Medium");
    row(aws, "policy_update", "Write", "Medium");
    // With its full description it says it generates a policy document; it applies nothing.
    row(aws, "esm_msk_policy", "Read", "Low");
}

void TestRiskClassifier::fixtureTools() {
    QFETCH(QString, file);
    QFETCH(QString, name);
    QFETCH(QString, category);
    QFETCH(QString, risk);

    const json fixture = loadFixture(file);
    const json* tool = findTool(fixture, name.toStdString());
    QVERIFY(tool);
    const RiskAssessment a = classify(*tool);
    QCOMPARE(qs(portcullis::toString(a.category)), category);
    QCOMPARE(qs(portcullis::toString(a.risk)), risk);
    QVERIFY2(a.confidence >= 0.5, a.rationale.c_str());
}

void TestRiskClassifier::everyFixtureToolHasABadge_data() {
    QTest::addColumn<QString>("file");
    QTest::newRow("ecs") << QStringLiteral("ecs-mcp-server.tools.json");
    QTest::newRow("aws") << QStringLiteral("aws-policy-tools.json");
    QTest::newRow("seeds") << QStringLiteral("seed-risk-labels.json");
}

void TestRiskClassifier::everyFixtureToolHasABadge() {
    QFETCH(QString, file);
    const json fixture = loadFixture(file);
    for (const json& tool : fixture.at("tools")) {
        const RiskAssessment a = classify(tool);
        const QByteArray what =
            QByteArray::fromStdString(tool.at("name").get<std::string>() + ": " + a.rationale);
        QVERIFY2(!a.rationale.empty(), what.constData());
        QVERIFY2(a.confidence >= 0.0 && a.confidence <= 1.0, what.constData());
        QCOMPARE(a.fingerprint, portcullis::toolFingerprint(tool));
        QCOMPARE(a.risk, portcullis::defaultRisk(a.category)); // nothing here reads secrets
    }
}

void TestRiskClassifier::nameWords_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QStringList>("words");

    auto row = [](const char* tag, const char* name, std::initializer_list<const char*> words) {
        QStringList list;
        for (const char* w : words)
            list << qs(w);
        QTest::newRow(tag) << qs(name) << list;
    };
    row("snake", "detach_user_policy", {"detach", "user", "policy"});
    row("verb last", "policy_update", {"policy", "update"});
    row("namespaced", "aws_knowledge_aws___search_documentation",
        {"aws", "knowledge", "aws", "search", "documentation"});
    row("camel", "getUserProfile", {"get", "user", "profile"});
    row("pascal", "DescribeClusters", {"describe", "clusters"});
    row("acronym", "HTTPServerStatus", {"http", "server", "status"});
    row("acronym plural", "getUserIDs", {"get", "user", "ids"});
    row("digits", "listEC2Instances", {"list", "ec2", "instances"});
    row("kebab", "resolve-library-id", {"resolve", "library", "id"});
    row("dotted", "s3.putObject", {"s3", "put", "object"});
    row("slashes and spaces", "files/read now", {"files", "read", "now"});
    row("edges", "__leading__trailing__", {"leading", "trailing"});
    row("upper snake", "DELETE_ITEM", {"delete", "item"});
    row("empty", "", {});
}

void TestRiskClassifier::nameWords() {
    QFETCH(QString, name);
    QFETCH(QStringList, words);
    QStringList actual;
    for (const std::string& w : portcullis::splitNameWords(name.toStdString()))
        actual << qs(w);
    QCOMPARE(actual, words);
}

void TestRiskClassifier::nameOnly_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("category");
    QTest::addColumn<QString>("risk");

    auto row = [](const char* name, const char* category, const char* risk) {
        QTest::newRow(name) << qs(name) << qs(category) << qs(risk);
    };
    row("list_buckets", "Read", "Low");
    row("getUserProfile", "Read", "Low");
    row("list_tags_for_resource", "Read", "Low"); // "tags" is the object, not a verb
    row("list_deleted_items", "Read", "Low");     // an adjective, not a deletion
    row("create_issue", "Write", "Medium");
    row("s3.putObject", "Write", "Medium");
    row("user_policy_attach", "Write", "Medium");
    row("register_task_definition", "Write", "Medium");
    row("send_email", "Write", "Medium");
    row("update_role_permissions", "Write", "Medium"); // security-critical, still Medium
    row("run_task", "Execute", "High");
    row("kubectl-apply", "Execute", "High");
    row("build_and_push_image", "Execute", "High"); // most severe of two verbs
    row("delete_app", "Destructive", "Critical");
    row("deregister_container_instance", "Destructive", "Critical");
    row("revoke_token", "Destructive", "Critical");
    row("get_or_delete_item", "Destructive", "Critical"); // fail closed
    row("terminate_instances", "Destructive", "Critical");
    row("refund_charge", "Financial", "Critical");
    row("create_refund", "Financial", "Critical");
    row("cancel_subscription", "Financial", "Critical");
    row("transfer_funds", "Financial", "Critical");
    row("transfer_file", "Write", "Medium");
    row("git_checkout", "Write", "Medium");
    row("resolve_library_id", "Read", "Low");
    row("ecs_troubleshooting_tool", "Read", "Low");
    row("get_secret_value", "Read", "Medium"); // reading secrets
    row("list_access_keys", "Read", "Medium");
    row("git_status", "Read", "Low"); // no verb, but a noun that only reads
    row("is_database_connected", "Read", "Low");
    row("sp-purchase-analyzer", "Read", "Low"); // analyses purchases, buys nothing
    row("create_analyzer", "Write", "Medium");
    row("count_tokens", "Read", "Low"); // LLM tokens are no credential
    row("get_access_token", "Read", "Medium");
    row("esm_msk_policy", "Other", "Low");
}

void TestRiskClassifier::nameOnly() {
    QFETCH(QString, name);
    QFETCH(QString, category);
    QFETCH(QString, risk);
    const RiskAssessment a = classify({{"name", name.toStdString()}, {"description", ""}});
    QVERIFY2(qs(portcullis::toString(a.category)) == category, a.rationale.c_str());
    QCOMPARE(qs(portcullis::toString(a.risk)), risk);
}

void TestRiskClassifier::descriptionAndSchema_data() {
    QTest::addColumn<QString>("tool");
    QTest::addColumn<QString>("category");
    QTest::addColumn<QString>("rationaleMentions");

    QTest::newRow("permanently")
        << QStringLiteral(
               R"({"name":"widget_tool","description":"Permanently deletes the widget."})")
        << QStringLiteral("Destructive") << QStringLiteral("Permanently");
    QTest::newRow("cannot be undone")
        << QStringLiteral(
               R"({"name":"widget_manager","description":"Resets everything. This cannot be undone."})")
        << QStringLiteral("Destructive") << QStringLiteral("cannot be undone");
    QTest::newRow("not permanently")
        << QStringLiteral(
               R"({"name":"trash_widget","description":"Moves it to the bin; does not permanently delete it."})")
        << QStringLiteral("Write") << QStringLiteral("moves it");
    QTest::newRow("read-only")
        << QStringLiteral(
               R"({"name":"widget_catalogue","description":"Widget catalogue, read-only."})")
        << QStringLiteral("Read") << QStringLiteral("read-only");
    QTest::newRow("guidance, not a start")
        << QStringLiteral(
               R"({"name":"containerize","description":"Start here if you want to deploy an app. Provides guidance for containers."})")
        << QStringLiteral("Read") << QStringLiteral("guidance");
    QTest::newRow("lead verb")
        << QStringLiteral(R"({"name":"widgets","description":"This tool deletes a widget."})")
        << QStringLiteral("Destructive") << QStringLiteral("deletes a widget");
    QTest::newRow("executes operations")
        << QStringLiteral(
               R"({"name":"widget_api","description":"Execute widget API operations directly."})")
        << QStringLiteral("Execute") << QStringLiteral("executes widget API operations");
    QTest::newRow("operation enum with writes")
        << QStringLiteral(
               R"({"name":"widget_api","description":"","inputSchema":{"type":"object","properties":{"operation":{"type":"string","enum":["DescribeWidgets","ListWidgets","DeleteWidget"]}}}})")
        << QStringLiteral("Execute") << QStringLiteral("DeleteWidget");
    QTest::newRow("operation enum, reads only")
        << QStringLiteral(
               R"({"name":"widget_api","description":"","inputSchema":{"type":"object","properties":{"action":{"type":"string","enum":["get_widget","list_widgets"]}}}})")
        << QStringLiteral("Read") << QStringLiteral("only picks read operations");
    QTest::newRow("enum beats a reading name")
        << QStringLiteral(
               R"({"name":"query_widgets","description":"","inputSchema":{"type":"object","properties":{"api_operation":{"type":"string","enum":["GetWidget","PutWidget","DeleteWidget"]}}}})")
        << QStringLiteral("Execute") << QStringLiteral("writes included");
    QTest::newRow("confirmed flag")
        << QStringLiteral(
               R"({"name":"widget_tool","description":"","inputSchema":{"type":"object","properties":{"confirmed":{"type":"boolean"}}}})")
        << QStringLiteral("Write") << QStringLiteral("'confirmed'");
    QTest::newRow("free-form command")
        << QStringLiteral(
               R"({"name":"bash","description":"","inputSchema":{"type":"object","properties":{"command":{"type":"string"}}}})")
        << QStringLiteral("Execute") << QStringLiteral("'command'");
    QTest::newRow("money in the description")
        << QStringLiteral(
               R"({"name":"stripe_tool","description":"Creates a refund for a charge."})")
        << QStringLiteral("Financial") << QStringLiteral("moves money");
    QTest::newRow("cost warning is not a payment")
        << QStringLiteral(
               R"({"name":"policy_update","description":"Update a policy. This incurs AWS charges."})")
        << QStringLiteral("Write") << QStringLiteral("'update'");
    QTest::newRow("untag removes, but only tags")
        << QStringLiteral(
               R"({"name":"untag_resource","description":"Removes tags from a resource."})")
        << QStringLiteral("Write") << QStringLiteral("'untag'");
    QTest::newRow("executes a read-only command")
        << QStringLiteral(
               R"({"name":"valkey_read","description":"Executes a read-only Valkey command."})")
        << QStringLiteral("Read") << QStringLiteral("'read'");
    QTest::newRow("field names are no operations")
        << QStringLiteral(
               R"({"name":"cost_tags","description":"Lists tags via the ListCostTags API. Returns TagKey and TagValue."})")
        << QStringLiteral("Read") << QStringLiteral("lists tags");
    QTest::newRow("check if")
        << QStringLiteral(
               R"({"name":"broker_alarm","description":"Check if the broker is in alarm."})")
        << QStringLiteral("Read") << QStringLiteral("checks if");
    QTest::newRow("name outranks a loose description")
        << QStringLiteral(R"({"name":"get-sum","description":"Adds two numbers."})")
        << QStringLiteral("Read") << QStringLiteral("'get'");
}

void TestRiskClassifier::descriptionAndSchema() {
    QFETCH(QString, tool);
    QFETCH(QString, category);
    QFETCH(QString, rationaleMentions);
    const RiskAssessment a = classify(json::parse(tool.toStdString()));
    QVERIFY2(qs(portcullis::toString(a.category)) == category, a.rationale.c_str());
    QVERIFY2(qs(a.rationale).contains(rationaleMentions), a.rationale.c_str());
    QCOMPARE(a.risk, portcullis::defaultRisk(a.category));
}

void TestRiskClassifier::noEvidenceIsOtherWithLowConfidence_data() {
    QTest::addColumn<QString>("tool");
    QTest::newRow("unknown word") << QStringLiteral(R"({"name":"frobnicate"})");
    QTest::newRow("vague description")
        << QStringLiteral(R"({"name":"mystery_tool","description":"Does things with widgets."})");
    QTest::newRow("no name") << QStringLiteral(R"({})");
    QTest::newRow("wrong types") << QStringLiteral(
        R"({"name":42,"description":["x"],"inputSchema":"nope","annotations":7})");
    QTest::newRow("not an object") << QStringLiteral(R"([1,2,3])");
}

void TestRiskClassifier::noEvidenceIsOtherWithLowConfidence() {
    QFETCH(QString, tool);
    const RiskAssessment a = classify(json::parse(tool.toStdString()));
    QCOMPARE(a.category, RiskCategory::Other);
    QCOMPARE(a.risk, portcullis::RiskLevel::Low);
    QVERIFY(a.confidence < 0.5);
    QVERIFY(qs(a.rationale).contains(QStringLiteral("cannot tell")));
    QVERIFY(qs(a.fingerprint).startsWith(QStringLiteral("sha256:")));
}

void TestRiskClassifier::userLabelWins() {
    const json deleteApp = {{"name", "delete_app"}, {"description", "Deletes the app."}};
    RiskContext context;
    context.userLabel = RiskCategory::Read;
    RiskAssessment a = classify(deleteApp, context);
    QCOMPARE(a.category, RiskCategory::Read);
    QCOMPARE(a.risk, portcullis::RiskLevel::Low);
    QCOMPARE(a.confidence, 1.0);
    QVERIFY(qs(a.rationale).startsWith(QStringLiteral("you labelled it Read")));
    QVERIFY(qs(a.rationale).contains(QStringLiteral("Destructive")));

    // Even against a trusted server's annotations.
    json annotated = deleteApp;
    annotated["annotations"] = {{"readOnlyHint", false}, {"destructiveHint", true}};
    context.trustedServer = true;
    context.userLabel = RiskCategory::Financial;
    a = classify(annotated, context);
    QCOMPARE(a.category, RiskCategory::Financial);
    QCOMPARE(a.risk, portcullis::RiskLevel::Critical);

    // Agreeing with the classifier keeps its finer risk.
    context = {};
    context.userLabel = RiskCategory::Read;
    a = classify({{"name", "get_secret_value"}}, context);
    QCOMPARE(a.risk, portcullis::RiskLevel::Medium);
}

void TestRiskClassifier::annotations_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("annotations");
    QTest::addColumn<bool>("trusted");
    QTest::addColumn<QString>("category");
    QTest::addColumn<QString>("risk");
    QTest::addColumn<int>("confidenceMove"); // vs. no annotations: -1 lower, 0 same, 1 higher

    const QString readOnly = QStringLiteral(R"({"readOnlyHint":true})");
    const QString additive = QStringLiteral(R"({"readOnlyHint":false,"destructiveHint":false})");
    const QString destructive = QStringLiteral(R"({"readOnlyHint":false,"destructiveHint":true})");
    auto row = [](const char* tag, const char* name, const QString& ann, bool trusted,
                  const char* category, const char* risk, int move) {
        QTest::newRow(tag) << qs(name) << ann << trusted << qs(category) << qs(risk) << move;
    };
    row("trusted read-only lowers", "delete_widget", readOnly, true, "Read", "Low", 1);
    row("untrusted read-only cannot lower", "delete_widget", readOnly, false, "Destructive",
        "Critical", -1);
    row("untrusted read-only on a read", "get_widget", readOnly, false, "Read", "Low", 0);
    row("trusted read-only settles unknown", "frobnicate", readOnly, true, "Read", "Low", 1);
    row("untrusted read-only leaves unknown", "frobnicate", readOnly, false, "Other", "Low", 0);
    row("trusted additive lowers", "delete_widget", additive, true, "Write", "Medium", 1);
    row("untrusted additive cannot lower", "delete_widget", additive, false, "Destructive",
        "Critical", 0);
    row("trusted writes raise a read", "get_widget", additive, true, "Write", "Medium", 0);
    row("untrusted destructive raises", "update_widget", destructive, false, "Write", "High", 0);
    row("trusted destructive raises", "update_widget", destructive, true, "Write", "High", 0);
    row("destructive on a destructive", "delete_widget", destructive, false, "Destructive",
        "Critical", 0);
}

void TestRiskClassifier::annotations() {
    QFETCH(QString, name);
    QFETCH(QString, annotations);
    QFETCH(bool, trusted);
    QFETCH(QString, category);
    QFETCH(QString, risk);
    QFETCH(int, confidenceMove);

    const json bare = {{"name", name.toStdString()}, {"description", ""}};
    json tool = bare;
    tool["annotations"] = json::parse(annotations.toStdString());
    RiskContext context;
    context.trustedServer = trusted;
    const RiskAssessment without = classify(bare, context);
    const RiskAssessment with = classify(tool, context);
    QVERIFY2(qs(portcullis::toString(with.category)) == category, with.rationale.c_str());
    QCOMPARE(qs(portcullis::toString(with.risk)), risk);
    if (confidenceMove < 0)
        QVERIFY2(with.confidence < without.confidence, with.rationale.c_str());
    else if (confidenceMove > 0)
        QVERIFY2(with.confidence > without.confidence, with.rationale.c_str());
    QVERIFY(with.confidence >= 0.0 && with.confidence <= 1.0);
}

void TestRiskClassifier::fingerprintIsCanonical() {
    const json a = json::parse(R"({"name":"get_widget","description":"Reads a widget."})");
    const json b =
        json::parse("{\n  \"description\": \"Reads a widget.\",\n  \"name\": \"get_widget\"\n}");
    const std::string fp = portcullis::toolFingerprint(a);
    QCOMPARE(qs(fp), qs(portcullis::toolFingerprint(b)));
    // SHA-256 of {"description":"Reads a widget.","name":"get_widget"}, computed elsewhere.
    QCOMPARE(
        qs(fp),
        QStringLiteral("sha256:964418b980180063cbf928bcc2ee041957fba990d28a66b0deef38755230d785"));
    QCOMPARE(qs(classify(b).fingerprint), qs(fp));
}

void TestRiskClassifier::fingerprintChangesWithDefinition() {
    json tool = json::parse(R"({"name":"get_widget","description":"Reads a widget.",
        "inputSchema":{"type":"object","properties":{"id":{"type":"string"}}}})");
    const std::string before = portcullis::toolFingerprint(tool);
    tool["description"] = "Reads a widget. Also deletes it.";
    const std::string afterDescription = portcullis::toolFingerprint(tool);
    QVERIFY(before != afterDescription);
    tool["inputSchema"]["properties"]["force"] = {{"type", "boolean"}};
    QVERIFY(afterDescription != portcullis::toolFingerprint(tool));
    QCOMPARE(before.size(), std::string("sha256:").size() + 64);
}

void TestRiskClassifier::categoryNames() {
    using portcullis::RiskLevel;
    const std::pair<RiskCategory, RiskLevel> table[] = {
        {RiskCategory::Read, RiskLevel::Low},
        {RiskCategory::Write, RiskLevel::Medium},
        {RiskCategory::Execute, RiskLevel::High},
        {RiskCategory::Destructive, RiskLevel::Critical},
        {RiskCategory::Financial, RiskLevel::Critical},
        {RiskCategory::Other, RiskLevel::Low},
    };
    for (const auto& [category, risk] : table) {
        QVERIFY(portcullis::riskCategoryFromString(portcullis::toString(category)) == category);
        QCOMPARE(portcullis::defaultRisk(category), risk);
    }
    QVERIFY(portcullis::riskCategoryFromString("destructive") == RiskCategory::Destructive);
    QVERIFY(!portcullis::riskCategoryFromString("Dangerous"));
    QCOMPARE(qs(portcullis::toString(RiskLevel::Critical)), QStringLiteral("Critical"));
}

QTEST_GUILESS_MAIN(TestRiskClassifier)
#include "test_riskclassifier.moc"
