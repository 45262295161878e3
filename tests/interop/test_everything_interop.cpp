#include "gatewayprocess.h"

#include <QTest>

#include <nlohmann/json.hpp>

using nlohmann::json;

namespace {

// Two upstreams, so exposed names carry their server's prefix. server-everything is the
// reference server: annotations on every tool, tools/list_changed right after initialize,
// progress from its long-running tool.
const char* const kPolicy = R"({
  "version": "1",
  "default": "allow",
  "hide": ["get-env"],
  "tools": {
    "get-sum": { "deny_if": [ { "path": "args.a", "op": "gt", "value": 1000 } ], "reason": "no big sums" }
  },
  "servers": {
    "demo": { "default": "deny", "tools": { "ecs_troubleshooting_tool": {} } }
  }
})";

} // namespace

class TestEverythingInterop final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void aggregatesBothServersWithPrefixes();
    void callsReachTheReferenceServer();
    void conditionsApplyToItsArguments();
    void hiddenToolIsUnknown();
    void longRunningCallCompletes();
    void resultsKeepTheServersKeyOrder();

private:
    GatewayProcess m_gateway;
};

void TestEverythingInterop::initTestCase() {
    const json servers = {
        {"mcpServers",
         {{"everything",
           {{"command", PORTCULLIS_NODE_EXE},
            {"args", json::array({PORTCULLIS_EVERYTHING_JS, "stdio"})}}},
          {"demo", {{"command", PORTCULLIS_DEMO_SERVER_EXE}, {"args", json::array()}}}}}};
    QVERIFY2(m_gateway.start(servers, kPolicy), qPrintable(m_gateway.error()));
    // Both upstreams up: 10 demo tools and server-everything's own.
    QTRY_VERIFY_WITH_TIMEOUT(m_gateway.adminGet(QStringLiteral("/admin/tools")).size() >= 20,
                             20'000);
}

void TestEverythingInterop::cleanupTestCase() {
    QCOMPARE(m_gateway.stop(), 0);
}

void TestEverythingInterop::aggregatesBothServersWithPrefixes() {
    const ClientRun r = runSdkClient(m_gateway.url(), {});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const auto tools = r.output["tools"].get<std::vector<std::string>>();
    auto has = [&](const char* name) {
        return std::find(tools.begin(), tools.end(), name) != tools.end();
    };
    QVERIFY(has("everything__echo"));
    QVERIFY(has("everything__get-sum"));
    QVERIFY(!has("everything__get-env"));           // hidden
    QVERIFY(has("demo__ecs_troubleshooting_tool")); // listed in the demo section
    QVERIFY(!has("demo__delete_app"));              // the demo section denies the rest
    for (const std::string& t : tools)
        QVERIFY2(t.size() <= 64, t.c_str());
}

void TestEverythingInterop::callsReachTheReferenceServer() {
    const ClientRun r = runSdkClient(
        m_gateway.url(), {QStringLiteral("--call"), QStringLiteral("everything__echo"),
                          QStringLiteral("--args"), QStringLiteral(R"({"message":"hi"})")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.output["call"]["content"][0]["text"] == "Echo: hi", r.output.dump().c_str());
}

void TestEverythingInterop::conditionsApplyToItsArguments() {
    const ClientRun small = runSdkClient(
        m_gateway.url(), {QStringLiteral("--call"), QStringLiteral("everything__get-sum"),
                          QStringLiteral("--args"), QStringLiteral(R"({"a":2,"b":3})")});
    QVERIFY2(small.exitCode == 0, qPrintable(small.err));
    QVERIFY2(small.output["call"]["content"][0]["text"].get<std::string>().find('5') !=
                 std::string::npos,
             small.output.dump().c_str());
    const ClientRun big = runSdkClient(
        m_gateway.url(), {QStringLiteral("--call"), QStringLiteral("everything__get-sum"),
                          QStringLiteral("--args"), QStringLiteral(R"({"a":2000,"b":3})")});
    QVERIFY2(big.exitCode == 0, qPrintable(big.err));
    QVERIFY(big.output["call"]["isError"] == true);
    QVERIFY(big.output["call"]["content"][0]["text"] == "Blocked by policy: no big sums");
    QVERIFY(big.output["call"]["_meta"]["io.portcullis/decision"]["rule"] ==
            "tools.get-sum.deny_if[0]");
}

void TestEverythingInterop::hiddenToolIsUnknown() {
    // server-everything would answer an unknown tool with an isError result; the gateway answers
    // a hidden one itself, exactly as it answers a tool that does not exist.
    const ClientRun hidden = runSdkClient(
        m_gateway.url(), {QStringLiteral("--call"), QStringLiteral("everything__get-env")});
    const ClientRun missing = runSdkClient(
        m_gateway.url(), {QStringLiteral("--call"), QStringLiteral("everything__no-such-tool")});
    QCOMPARE(hidden.exitCode, 3);
    QCOMPARE(missing.exitCode, 3);
    QVERIFY(hidden.output["callError"]["code"] == -32602);
    QCOMPARE(QString::fromStdString(hidden.output["callError"]["message"].get<std::string>())
                 .replace(QStringLiteral("get-env"), QStringLiteral("X")),
             QString::fromStdString(missing.output["callError"]["message"].get<std::string>())
                 .replace(QStringLiteral("no-such-tool"), QStringLiteral("X")));
}

void TestEverythingInterop::longRunningCallCompletes() {
    // It sends progress notifications while it works; the call still ends with its result.
    const ClientRun r = runSdkClient(
        m_gateway.url(),
        {QStringLiteral("--call"), QStringLiteral("everything__trigger-long-running-operation"),
         QStringLiteral("--args"), QStringLiteral(R"({"duration":1,"steps":3})")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.output["call"]["content"][0]["text"].get<std::string>().find("completed") !=
                 std::string::npos,
             r.output.dump().c_str());
}

void TestEverythingInterop::resultsKeepTheServersKeyOrder() {
    // The result is passed on as server-everything wrote it, so the client sees its key order
    // (temperature first), not the alphabetical order of a re-serialised DOM.
    const ClientRun r = runSdkClient(
        m_gateway.url(),
        {QStringLiteral("--call"), QStringLiteral("everything__get-structured-content"),
         QStringLiteral("--args"), QStringLiteral(R"({"location":"New York"})")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.outputText.contains(
                 R"("structuredContent":{"temperature":33,"conditions":"Cloudy","humidity":82})"),
             r.outputText.constData());
}

QTEST_GUILESS_MAIN(TestEverythingInterop)
#include "test_everything_interop.moc"
