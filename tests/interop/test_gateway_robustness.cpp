#include "gatewayprocess.h"

#include <QFile>
#include <QTcpSocket>
#include <QTest>
#include <QUrl>

#include <nlohmann/json.hpp>

#include <csignal>

using nlohmann::json;

namespace {

const char* const kPolicy = R"({
  "version": "1",
  "default": "allow",
  "hide": ["delete_app"]
})";

} // namespace

// Many clients at once, an upstream that dies mid-call, and a policy edited on disk while
// clients are connected.
class TestGatewayRobustness final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void twentySessionsReusingIdsEachGetTheirOwnAnswer();
    void policyEditSendsListChanged();
    void upstreamKilledMidCallFailsTheCall();

private:
    GatewayProcess m_gateway;
};

void TestGatewayRobustness::initTestCase() {
    // The demo server writes its pid first, so the test can kill it mid-call.
    const QString pidFile = m_gateway.path(QStringLiteral("demo.pid"));
    const json servers = {
        {"mcpServers",
         {{"demo",
           {{"command", "/bin/sh"},
            {"args", json::array({"-c", "echo $$ > '" + pidFile.toStdString() + "'; exec '" +
                                            std::string(PORTCULLIS_DEMO_SERVER_EXE) +
                                            "' --extra-tools"})}}}}}};
    QVERIFY2(m_gateway.start(servers, kPolicy), qPrintable(m_gateway.error()));
    QTRY_VERIFY_WITH_TIMEOUT(m_gateway.adminGet(QStringLiteral("/admin/tools")).size() >= 14,
                             15'000);
}

void TestGatewayRobustness::cleanupTestCase() {
    QCOMPARE(m_gateway.stop(), 0);
}

void TestGatewayRobustness::twentySessionsReusingIdsEachGetTheirOwnAnswer() {
    // Every SDK client numbers its requests from 0, so all twenty sessions use the same ids.
    std::vector<std::unique_ptr<QProcess>> clients;
    for (int i = 0; i < 20; ++i) {
        const json args = {{"app_name", "app-" + std::to_string(i)}};
        clients.push_back(startSdkClient(
            m_gateway.url(), {QStringLiteral("--call"), QStringLiteral("ecs_troubleshooting_tool"),
                              QStringLiteral("--args"), QString::fromStdString(args.dump())}));
    }
    for (int i = 0; i < 20; ++i) {
        const ClientRun r = finishSdkClient(*clients[static_cast<std::size_t>(i)]);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const json& got = r.output["call"]["structuredContent"]["arguments"]["app_name"];
        QVERIFY2(got == "app-" + std::to_string(i), r.output.dump().c_str());
    }
}

void TestGatewayRobustness::policyEditSendsListChanged() {
    // A raw client with its GET stream open, as an agent keeps one.
    const quint16 port = static_cast<quint16>(QUrl(m_gateway.url()).port());
    auto request = [&](const QByteArray& method, const QByteArray& body,
                       const QByteArray& extra) -> QByteArray {
        return method + " /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) +
               "\r\nAuthorization: Bearer " + GatewayProcess::kToken +
               "\r\nContent-Type: application/json\r\nAccept: application/json, "
               "text/event-stream\r\n" +
               extra + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    };
    QTcpSocket post;
    post.connectToHost(QStringLiteral("127.0.0.1"), port);
    QVERIFY(post.waitForConnected(5'000));
    post.write(request(
        "POST",
        R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}})",
        {}));
    QByteArray head;
    QTRY_VERIFY_WITH_TIMEOUT((head += post.readAll()).contains("\r\n\r\n"), 5'000);
    const qsizetype at = head.toLower().indexOf("mcp-session-id:");
    QVERIFY(at >= 0);
    const QByteArray session = head.mid(at + 15, head.indexOf("\r\n", at) - at - 15).trimmed();

    QTcpSocket stream;
    stream.connectToHost(QStringLiteral("127.0.0.1"), port);
    QVERIFY(stream.waitForConnected(5'000));
    stream.write(request("GET", {}, "Mcp-Session-Id: " + session + "\r\n"));
    QByteArray events;
    QTRY_VERIFY_WITH_TIMEOUT((events += stream.readAll()).contains("stream open"), 5'000);

    // Unhide delete_app, hide echo-like ecs_troubleshooting_tool: the visible set changes.
    QFile policy(m_gateway.path(QStringLiteral("policy.json")));
    QVERIFY(policy.open(QIODevice::WriteOnly | QIODevice::Truncate));
    policy.write(R"({"version":"1","default":"allow","hide":["ecs_troubleshooting_tool"]})");
    policy.close();
    QTRY_VERIFY_WITH_TIMEOUT(
        (events += stream.readAll()).contains("notifications/tools/list_changed"), 10'000);
    const json tools = m_gateway.adminGet(QStringLiteral("/admin/tools"));
    bool hiddenNow = false;
    for (const auto& t : tools) {
        if (t["name"] == "ecs_troubleshooting_tool")
            hiddenNow = t["hidden"].get<bool>();
        if (t["name"] == "delete_app")
            QVERIFY(t["hidden"] == false);
    }
    QVERIFY(hiddenNow);

    // An invalid edit is ignored: the last valid policy stays in force.
    QVERIFY(policy.open(QIODevice::WriteOnly | QIODevice::Truncate));
    policy.write(R"({"version":"1","default":"maybe"})");
    policy.close();
    QTest::qWait(500);
    for (const auto& t : m_gateway.adminGet(QStringLiteral("/admin/tools"))) {
        if (t["name"] == "ecs_troubleshooting_tool")
            QVERIFY(t["hidden"] == true);
    }
}

void TestGatewayRobustness::upstreamKilledMidCallFailsTheCall() {
    auto client = startSdkClient(m_gateway.url(),
                                 {QStringLiteral("--call"), QStringLiteral("demo_sleep"),
                                  QStringLiteral("--args"), QStringLiteral(R"({"ms":10000})")});
    // Wait until the call is upstream, then kill the server under it.
    QTest::qWait(1500);
    QFile pidFile(m_gateway.path(QStringLiteral("demo.pid")));
    QVERIFY(pidFile.open(QIODevice::ReadOnly));
    const pid_t pid = static_cast<pid_t>(pidFile.readAll().trimmed().toLongLong());
    QVERIFY(pid > 1);
    QCOMPARE(::kill(pid, SIGKILL), 0);
    const ClientRun r = finishSdkClient(*client);
    QCOMPARE(r.exitCode, 3); // a JSON-RPC error, not a hang
    QVERIFY(r.output["callError"]["code"] == -32603);
    QVERIFY2(r.output["callError"]["message"].get<std::string>().find("upstream demo") !=
                 std::string::npos,
             r.output.dump().c_str());
    // The gateway restarts the server; calls work again.
    QTRY_VERIFY_WITH_TIMEOUT(
        runSdkClient(m_gateway.url(), {QStringLiteral("--call"), QStringLiteral("demo_sleep"),
                                       QStringLiteral("--args"), QStringLiteral(R"({"ms":1})")})
                .exitCode == 0,
        20'000);
}

QTEST_GUILESS_MAIN(TestGatewayRobustness)
#include "test_gateway_robustness.moc"
