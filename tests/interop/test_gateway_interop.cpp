#include "gatewayprocess.h"

#include <QElapsedTimer>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <nlohmann/json.hpp>

using nlohmann::json;

namespace {

// Reads, hides, denies, limits and holds: one rule for each way a call can go.
const char* const kPolicy = R"({
  "version": "1",
  "default": "deny",
  "hide": ["wait_for_service_ready"],
  "tools": {
    "ecs_troubleshooting_tool": {},
    "containerize_app": { "action": "deny", "reason": "no containers today" },
    "validate_ecs_express_mode_prerequisites": {
      "limits": [ { "counter": "validate", "window": "minute", "max": 1, "scope": "grant" } ]
    },
    "delete_app": { "action": "approve", "approval": { "timeout_s": 30, "on_timeout": "deny" } },
    "put_user_policy": { "action": "approve", "approval": { "timeout_s": 1, "on_timeout": "deny" } },
    "policy_update": { "action": "approve", "approval": { "timeout_s": 60 } },
    "aws_knowledge_aws___search_documentation": {
      "limits": [ { "counter": "per-session", "window": "minute", "max": 2, "scope": "session" } ]
    },
    "aws_knowledge_aws___read_documentation": {
      "limits": [ { "counter": "everyone", "window": "minute", "max": 2, "scope": "global" } ]
    },
    "aws_knowledge_aws___recommend": {
      "limits": [ { "counter": "per-grant", "window": "minute", "max": 2, "scope": "grant" } ]
    }
  }
})";

// What the policy lets agents see, sorted.
const std::vector<std::string> kOffered{"aws_knowledge_aws___read_documentation",
                                        "aws_knowledge_aws___recommend",
                                        "aws_knowledge_aws___search_documentation",
                                        "delete_app",
                                        "ecs_troubleshooting_tool",
                                        "policy_update",
                                        "put_user_policy",
                                        "validate_ecs_express_mode_prerequisites"};

// "ok" or the policy decision of each result of a --repeat run, e.g. "ok,ok,rate_limited".
std::string decisions(const json& calls) {
    std::string out;
    for (const json& c : calls) {
        if (!out.empty())
            out += ',';
        out += c.value("isError", false)
                   ? c["_meta"]["io.portcullis/decision"].value("decision", "?")
                   : std::string("ok");
    }
    return out;
}

} // namespace

class TestGatewayInterop final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void listsOnlyToolsThePolicyCanAllow();
    void allowedCallReachesUpstream();
    void deniedCallGetsReasonAndDecision();
    void rateLimitedSecondCall();
    void rateLimitScopesAcrossSessions_data();
    void rateLimitScopesAcrossSessions();
    void hiddenToolIsUnknown();
    void heldCallApprovedThroughAdminApi();
    void heldCallKeepsTheClientWaitingWithProgress();
    void heldCallRejectedWithReason();
    void heldCallTimesOut();
    void clientGoneWhileHeldRemovesTheHold();
    void answerIsJsonUnlessTheCallWaits();
    void requestsWithoutTokenAreRefused();
    void stdioClientThroughServeStdio();
    void auditLogVerifies();

private:
    ClientRun runClient(const QStringList& options) {
        return runSdkClient(m_gateway.url(), options);
    }

    GatewayProcess m_gateway;
    QNetworkAccessManager m_http;
};

void TestGatewayInterop::initTestCase() {
    QVERIFY2(m_gateway.startWithDemoServer(kPolicy), qPrintable(m_gateway.error()));
}

void TestGatewayInterop::cleanupTestCase() {
    m_gateway.stop();
}

void TestGatewayInterop::listsOnlyToolsThePolicyCanAllow() {
    const ClientRun r = runClient({});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    std::vector<std::string> tools = r.output["tools"].get<std::vector<std::string>>();
    std::sort(tools.begin(), tools.end());
    // Hidden and never-allowed tools are not offered; denied-by-rule tools under default deny
    // neither, since no call of theirs can succeed.
    QCOMPARE(tools, kOffered);
    QVERIFY(r.output["capabilities"]["tools"]["listChanged"] == true);
}

void TestGatewayInterop::allowedCallReachesUpstream() {
    const ClientRun r = runClient(
        {QStringLiteral("--call"), QStringLiteral("ecs_troubleshooting_tool"),
         QStringLiteral("--args"),
         QStringLiteral(R"({"app_name":"shop","action":"get_ecs_troubleshooting_guidance"})")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const json& call = r.output["call"];
    QVERIFY2(call["structuredContent"]["ok"] == true, call.dump().c_str());
    QVERIFY(call["structuredContent"]["arguments"]["app_name"] == "shop");
    QVERIFY(!call.value("isError", false));
}

void TestGatewayInterop::deniedCallGetsReasonAndDecision() {
    const ClientRun r =
        runClient({QStringLiteral("--call"), QStringLiteral("containerize_app"),
                   QStringLiteral("--args"), QStringLiteral(R"({"app_path":"/a","port":80})")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const json& call = r.output["call"];
    QVERIFY(call["isError"] == true);
    QVERIFY2(call["content"][0]["text"] == "Blocked by policy: no containers today",
             call.dump().c_str());
    QVERIFY(call["_meta"]["io.portcullis/decision"]["decision"] == "deny");
    QVERIFY(call["_meta"]["io.portcullis/decision"]["rule"] == "tools.containerize_app.action");
}

void TestGatewayInterop::rateLimitedSecondCall() {
    const QStringList call{QStringLiteral("--call"),
                           QStringLiteral("validate_ecs_express_mode_prerequisites"),
                           QStringLiteral("--args"), QStringLiteral(R"({"image_uri":"x"})")};
    const ClientRun first = runClient(call);
    QVERIFY2(first.exitCode == 0, qPrintable(first.err));
    QVERIFY(!first.output["call"].contains("_meta") ||
            !first.output["call"]["_meta"].contains("io.portcullis/decision"));
    const ClientRun second = runClient(call);
    QVERIFY2(second.exitCode == 0, qPrintable(second.err));
    const json& meta = second.output["call"]["_meta"]["io.portcullis/decision"];
    QVERIFY2(meta["decision"] == "rate_limited", second.output.dump().c_str());
    QVERIFY(meta["retry_after_s"].get<int>() >= 1 && meta["retry_after_s"].get<int>() <= 60);
    QVERIFY(meta["rule"] == "tools.validate_ecs_express_mode_prerequisites.limits[0]");
}

void TestGatewayInterop::rateLimitScopesAcrossSessions_data() {
    QTest::addColumn<QString>("tool");
    QTest::addColumn<QString>("firstSession");
    QTest::addColumn<QString>("secondSession");
    // Max 2 a minute each; two SDK sessions with the same token make three calls each.
    QTest::newRow("session: each session has its own 2")
        << "aws_knowledge_aws___search_documentation"
        << "ok,ok,rate_limited"
        << "ok,ok,rate_limited";
    QTest::newRow("global: 2 for everyone") << "aws_knowledge_aws___read_documentation"
                                            << "ok,ok,rate_limited"
                                            << "rate_limited,rate_limited,rate_limited";
    // Both sessions authenticate with the one token, so they share its grant's budget.
    QTest::newRow("grant: 2 for the token") << "aws_knowledge_aws___recommend"
                                            << "ok,ok,rate_limited"
                                            << "rate_limited,rate_limited,rate_limited";
}

void TestGatewayInterop::rateLimitScopesAcrossSessions() {
    QFETCH(QString, tool);
    QFETCH(QString, firstSession);
    QFETCH(QString, secondSession);
    const QStringList options{QStringLiteral("--repeat"), QStringLiteral("3"),
                              QStringLiteral("--call"),   tool,
                              QStringLiteral("--args"),   QStringLiteral(R"({"query":"ecs"})")};
    const ClientRun first = runClient(options);
    QVERIFY2(first.exitCode == 0, qPrintable(first.err));
    QCOMPARE(QString::fromStdString(decisions(first.output["calls"])), firstSession);
    const ClientRun second = runClient(options);
    QVERIFY2(second.exitCode == 0, qPrintable(second.err));
    QCOMPARE(QString::fromStdString(decisions(second.output["calls"])), secondSession);
}

void TestGatewayInterop::hiddenToolIsUnknown() {
    const ClientRun r =
        runClient({QStringLiteral("--call"), QStringLiteral("wait_for_service_ready")});
    QCOMPARE(r.exitCode, 3); // answered with a JSON-RPC error
    QVERIFY(r.output["callError"]["code"] == -32602);
    QVERIFY2(r.output["callError"]["message"].get<std::string>().find(
                 "Unknown tool: wait_for_service_ready") != std::string::npos,
             r.output.dump().c_str());
}

void TestGatewayInterop::heldCallApprovedThroughAdminApi() {
    auto client = startSdkClient(
        m_gateway.url(),
        {QStringLiteral("--call"), QStringLiteral("delete_app"), QStringLiteral("--args"),
         QStringLiteral(
             R"({"app_name":"shop","service_arn":"arn:aws:ecs:us-east-1:1:service/shop"})")});
    json pending;
    QTRY_VERIFY_WITH_TIMEOUT(
        (pending = m_gateway.adminGet(QStringLiteral("/admin/pending"))).size() == 1, 15'000);
    QVERIFY(pending[0]["tool"] == "delete_app");
    QVERIFY(pending[0]["arguments"]["app_name"] == "shop");
    const auto id = pending[0]["approval_id"].get<std::uint64_t>();
    QCOMPARE(m_gateway.adminPost(QStringLiteral("/admin/pending/%1").arg(id),
                                 json{{"decision", "approve"}}),
             200);
    const ClientRun r = finishSdkClient(*client);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.output["call"].value("structuredContent", json::object()).value("tool", "") ==
                 "delete_app",
             r.output.dump().c_str());
    QVERIFY(m_gateway.adminGet(QStringLiteral("/admin/pending")).empty());
    // A decision for a call that is no longer held is refused.
    QCOMPARE(m_gateway.adminPost(QStringLiteral("/admin/pending/%1").arg(id),
                                 json{{"decision", "approve"}}),
             404);
}

void TestGatewayInterop::heldCallKeepsTheClientWaitingWithProgress() {
    // A call that carries a progress token gets a progress notification every 10 s while it is
    // held, so clients that reset their timeout on progress keep waiting for the person.
    auto client = startSdkClient(m_gateway.url(),
                                 {QStringLiteral("--progress"), QStringLiteral("--timeout-ms"),
                                  QStringLiteral("40000"), QStringLiteral("--call"),
                                  QStringLiteral("policy_update"), QStringLiteral("--args"),
                                  QStringLiteral(R"({"policy_engine_id":"e","policy_id":"p"})")});
    json pending;
    QTRY_VERIFY_WITH_TIMEOUT(
        (pending = m_gateway.adminGet(QStringLiteral("/admin/pending"))).size() == 1, 15'000);
    QTest::qWait(10'800);
    const auto id = pending[0]["approval_id"].get<std::uint64_t>();
    QCOMPARE(m_gateway.adminPost(QStringLiteral("/admin/pending/%1").arg(id),
                                 json{{"decision", "approve"}}),
             200);
    const ClientRun r = finishSdkClient(*client);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.output["call"].value("isError", false) == false, r.output.dump().c_str());
    const json& progress = r.output["progress"];
    QVERIFY2(!progress.empty(), r.output.dump().c_str());
    QVERIFY2(progress[0]["message"] == "Waiting for approval in Portcullis",
             progress.dump().c_str());
}

void TestGatewayInterop::heldCallRejectedWithReason() {
    auto client = startSdkClient(
        m_gateway.url(),
        {QStringLiteral("--call"), QStringLiteral("delete_app"), QStringLiteral("--args"),
         QStringLiteral(
             R"({"app_name":"prod","service_arn":"arn:aws:ecs:us-east-1:1:service/prod"})")});
    json pending;
    QTRY_VERIFY_WITH_TIMEOUT(
        (pending = m_gateway.adminGet(QStringLiteral("/admin/pending"))).size() == 1, 15'000);
    const auto id = pending[0]["approval_id"].get<std::uint64_t>();
    QCOMPARE(m_gateway.adminPost(QStringLiteral("/admin/pending/%1").arg(id),
                                 json{{"decision", "reject"}, {"reason", "not on a Friday"}}),
             200);
    const ClientRun r = finishSdkClient(*client);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const json& call = r.output["call"];
    QVERIFY(call["isError"] == true);
    QVERIFY2(call["content"][0]["text"].get<std::string>().find("not on a Friday") !=
                 std::string::npos,
             call.dump().c_str());
    QVERIFY(call["_meta"]["io.portcullis/decision"]["decision"] == "rejected");
}

void TestGatewayInterop::heldCallTimesOut() {
    QElapsedTimer timer;
    timer.start();
    const ClientRun r = runClient(
        {QStringLiteral("--call"), QStringLiteral("put_user_policy"), QStringLiteral("--args"),
         QStringLiteral(R"({"user_name":"u","policy_name":"p","policy_document":"{}"})")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const json& call = r.output["call"];
    QVERIFY(call["isError"] == true);
    QVERIFY2(call["_meta"]["io.portcullis/decision"]["decision"] == "timeout", call.dump().c_str());
    QVERIFY(call["content"][0]["text"] == "Not approved in time: the call was not made");
    QVERIFY(m_gateway.adminGet(QStringLiteral("/admin/pending")).empty());
}

void TestGatewayInterop::clientGoneWhileHeldRemovesTheHold() {
    // The client gives up after 3 s (it cancels, or its connection closes): the held call must
    // not stay behind for a person to approve into the void.
    auto client = startSdkClient(m_gateway.url(),
                                 {QStringLiteral("--timeout-ms"), QStringLiteral("3000"),
                                  QStringLiteral("--call"), QStringLiteral("policy_update"),
                                  QStringLiteral("--args"),
                                  QStringLiteral(R"({"policy_engine_id":"e","policy_id":"p"})")});
    QTRY_VERIFY_WITH_TIMEOUT(m_gateway.adminGet(QStringLiteral("/admin/pending")).size() == 1,
                             10'000);
    const ClientRun r = finishSdkClient(*client);
    QVERIFY(r.exitCode != 0);
    QTRY_VERIFY_WITH_TIMEOUT(m_gateway.adminGet(QStringLiteral("/admin/pending")).empty(), 10'000);
}

namespace {

// Sends one request on a keep-alive raw connection and returns the head of its answer, as sent;
// what follows the head stays in `rest`.
QByteArray postAndReadHead(QTcpSocket& socket, quint16 port, const QByteArray& session,
                           const QByteArray& body, QByteArray& rest) {
    socket.write("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) +
                 "\r\nAuthorization: Bearer " + GatewayProcess::kToken +
                 "\r\nContent-Type: application/json\r\n"
                 "Accept: application/json, text/event-stream\r\n" +
                 (session.isEmpty() ? QByteArray() : "Mcp-Session-Id: " + session + "\r\n") +
                 "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QElapsedTimer timer;
    timer.start();
    while (!rest.contains("\r\n\r\n") && timer.elapsed() < 10'000) {
        socket.waitForReadyRead(100);
        rest += socket.readAll();
    }
    const qsizetype end = rest.indexOf("\r\n\r\n");
    if (end < 0)
        return {};
    const QByteArray head = rest.left(end);
    rest.remove(0, end + 4);
    return head;
}

// Reads until `needle` has arrived (or 10 s pass).
void readUntil(QTcpSocket& socket, QByteArray& rest, const QByteArray& needle) {
    QElapsedTimer timer;
    timer.start();
    while (!rest.contains(needle) && timer.elapsed() < 10'000) {
        socket.waitForReadyRead(100);
        rest += socket.readAll();
    }
}

} // namespace

// A call answered at once is one JSON body; a held call gets an SSE stream head while it waits
// (so clients' timeouts for response headers do not run out), and its answer as an event in
// that stream.
void TestGatewayInterop::answerIsJsonUnlessTheCallWaits() {
    const auto port = static_cast<quint16>(QUrl(m_gateway.url()).port());
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    QVERIFY(socket.waitForConnected(5'000));
    QByteArray rest;
    const QByteArray init = postAndReadHead(
        socket, port, {},
        R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}})",
        rest);
    const qsizetype at = init.toLower().indexOf("mcp-session-id:");
    QVERIFY2(at >= 0, init.constData());
    const QByteArray session = init.mid(at + 15, init.indexOf("\r\n", at) - at - 15).trimmed();
    readUntil(socket, rest, "}}");
    rest.clear();

    const QByteArray allowed = postAndReadHead(
        socket, port, session,
        R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"ecs_troubleshooting_tool","arguments":{"app_name":"shop","action":"get_ecs_troubleshooting_guidance"}}})",
        rest);
    QVERIFY2(allowed.toLower().contains("content-type: application/json"), allowed.constData());
    QVERIFY(allowed.toLower().contains("content-length:"));
    readUntil(socket, rest, "\"id\":2");
    QVERIFY2(rest.startsWith("{") && rest.contains("\"ok\":true"), rest.constData());
    rest.clear();

    QElapsedTimer waited;
    waited.start();
    const QByteArray held = postAndReadHead(
        socket, port, session,
        R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"delete_app","arguments":{"app_name":"shop","service_arn":"arn:aws:ecs:us-east-1:1:service/shop"}}})",
        rest);
    QVERIFY2(held.toLower().contains("content-type: text/event-stream"), held.constData());
    QVERIFY2(waited.elapsed() < 5'000, qPrintable(QString::number(waited.elapsed())));
    json pending;
    QTRY_VERIFY_WITH_TIMEOUT(
        (pending = m_gateway.adminGet(QStringLiteral("/admin/pending"))).size() == 1, 10'000);
    QVERIFY(!rest.contains("\"id\":3")); // still waiting for the person
    QCOMPARE(m_gateway.adminPost(
                 QStringLiteral("/admin/pending/%1").arg(pending[0]["approval_id"].get<quint64>()),
                 json{{"decision", "reject"}, {"reason", "not now"}}),
             200);
    readUntil(socket, rest, "\r\n0\r\n\r\n");
    QVERIFY2(rest.contains("data: {") && rest.contains("\"id\":3") && rest.contains("not now"),
             rest.constData());
}

void TestGatewayInterop::requestsWithoutTokenAreRefused() {
    QNetworkRequest request{QUrl(m_gateway.url())};
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    request.setRawHeader("Accept", "application/json, text/event-stream");
    std::unique_ptr<QNetworkReply> reply(m_http.post(
        request, QByteArray(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{}})")));
    QSignalSpy done(reply.get(), &QNetworkReply::finished);
    QVERIFY(done.wait(10'000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 401);
}

void TestGatewayInterop::stdioClientThroughServeStdio() {
    // A client that only launches commands runs `serve --stdio` itself: same policy, no token.
    QProcess client;
    client.start(QStringLiteral(PORTCULLIS_NODE_EXE),
                 {QStringLiteral(PORTCULLIS_SDK_CLIENT), QStringLiteral("--call"),
                  QStringLiteral("containerize_app"), QStringLiteral("--args"),
                  QStringLiteral(R"({"app_path":"/a","port":80})"), QStringLiteral("stdio"),
                  QStringLiteral(PORTCULLIS_GATEWAY_EXE), QStringLiteral("serve"),
                  QStringLiteral("--stdio"), QStringLiteral("--servers"),
                  m_gateway.path(QStringLiteral("servers.json")), QStringLiteral("--policy"),
                  m_gateway.path(QStringLiteral("policy.json"))});
    const ClientRun r = finishSdkClient(client);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    auto tools = r.output["tools"].get<std::vector<std::string>>();
    std::sort(tools.begin(), tools.end());
    QCOMPARE(tools, kOffered);
    QVERIFY2(r.output["call"]["content"][0]["text"] == "Blocked by policy: no containers today",
             r.output.dump().c_str());
}

void TestGatewayInterop::auditLogVerifies() {
    // SIGTERM: held calls rejected, the audit log flushed, exit 0.
    QCOMPARE(m_gateway.stop(), 0);
    QProcess verify;
    verify.start(QStringLiteral(PORTCULLIS_GATEWAY_EXE),
                 {QStringLiteral("audit"), QStringLiteral("verify"),
                  m_gateway.path(QStringLiteral("audit.jsonl"))});
    QVERIFY(verify.waitForFinished(10'000));
    const QString out = QString::fromUtf8(verify.readAllStandardOutput());
    QCOMPARE(verify.exitCode(), 0);
    // allowed, denied, 2 x validate, hidden, approved, rejected, timeout, cancelled: 9 at least.
    const QRegularExpression ok(QStringLiteral("^ok (\\d+) records"));
    const auto m = ok.match(out);
    QVERIFY2(m.hasMatch(), qPrintable(out));
    QVERIFY2(m.captured(1).toInt() >= 9, qPrintable(out));
}

QTEST_GUILESS_MAIN(TestGatewayInterop)
#include "test_gateway_interop.moc"
