#include "gatewayprocess.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QTcpServer>
#include <QTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>
#include <vector>

using nlohmann::json;

namespace {

// One rule for each way a call can go that the bridge must carry back unchanged.
const char* const kPolicy = R"({
  "version": "1",
  "default": "deny",
  "tools": {
    "ecs_troubleshooting_tool": {},
    "validate_ecs_express_mode_prerequisites": {},
    "containerize_app": { "action": "deny", "reason": "no containers today" },
    "delete_app": { "action": "approve", "approval": { "timeout_s": 60, "on_timeout": "deny" } }
  }
})";

// The same policy with one tool hidden: a reload changes the visible list.
const char* const kPolicyHidingValidate = R"({
  "version": "1",
  "default": "deny",
  "hide": ["validate_ecs_express_mode_prerequisites"],
  "tools": {
    "ecs_troubleshooting_tool": {},
    "validate_ecs_express_mode_prerequisites": {},
    "containerize_app": { "action": "deny", "reason": "no containers today" },
    "delete_app": { "action": "approve", "approval": { "timeout_s": 60, "on_timeout": "deny" } }
  }
})";

const QString kDeleteArgs =
    QStringLiteral(R"({"app_name":"shop","service_arn":"arn:aws:ecs:us-east-1:1:service/shop"})");
const QString kTroubleshootArgs =
    QStringLiteral(R"({"app_name":"shop","action":"get_ecs_troubleshooting_guidance"})");

bool writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

json request(int id, const char* method, json params = json::object()) {
    return json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
}

json initializeRequest(int id) {
    return request(id, "initialize",
                   {{"protocolVersion", "2025-11-25"},
                    {"capabilities", json::object()},
                    {"clientInfo", {{"name", "bridge-test"}, {"version", "1"}}}});
}

} // namespace

class TestBridgeInterop final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void usageErrors();
    void listsToolsThroughBridge();
    void allowedCallReachesUpstream();
    void deniedCallGetsPolicyText();
    void heldCallApproved();
    void wrongTokenIsReported();
    void sessionOverStdio();
    void unreachableGatewayIsReported();

private:
    // A process this test started; every one is waited for before the test ends.
    QProcess& track(std::unique_ptr<QProcess> p) {
        m_processes.push_back(std::move(p));
        return *m_processes.back();
    }
    // The reference SDK client launching the bridge as its stdio server.
    QProcess& startClient(const QString& tokenFile, const QStringList& options);
    QProcess& startBridge(const QStringList& args, const QProcessEnvironment& env);
    // Bridges launched by an SDK client are its children, not ours: find them by their unique
    // command line (this test's binary and gateway URL) to be sure none outlives its client.
    int bridgesOfThisTest() const;

    GatewayProcess m_gateway;
    QString m_tokenFile;
    QString m_wrongTokenFile;
    std::vector<std::unique_ptr<QProcess>> m_processes;
};

void TestBridgeInterop::initTestCase() {
    QVERIFY2(m_gateway.startWithDemoServer(kPolicy), qPrintable(m_gateway.error()));
    m_tokenFile = m_gateway.path(QStringLiteral("bridge-token"));
    m_wrongTokenFile = m_gateway.path(QStringLiteral("wrong-token"));
    QVERIFY(writeFile(m_tokenFile, QByteArray(GatewayProcess::kToken) + '\n'));
    QVERIFY(writeFile(m_wrongTokenFile, "not-the-token\n"));
}

void TestBridgeInterop::cleanupTestCase() {
    for (auto& p : m_processes) {
        if (p->state() != QProcess::NotRunning) {
            p->kill();
            p->waitForFinished(5'000);
            QFAIL(qPrintable(QStringLiteral("left running: ") + p->program() + QLatin1Char(' ') +
                             p->arguments().join(QLatin1Char(' '))));
        }
    }
    QTRY_COMPARE_WITH_TIMEOUT(bridgesOfThisTest(), 0, 5'000);
    m_gateway.stop();
}

QProcess& TestBridgeInterop::startClient(const QString& tokenFile, const QStringList& options) {
    auto p = std::make_unique<QProcess>();
    // The SDK passes only a few variables (PATH, HOME, ...) on to a stdio server: the token
    // set here for the client never reaches the bridge, which reads it from --token-file.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PORTCULLIS_TOKEN"), QString::fromLatin1(GatewayProcess::kToken));
    p->setProcessEnvironment(env);
    p->start(QStringLiteral(PORTCULLIS_NODE_EXE),
             QStringList{QStringLiteral(PORTCULLIS_SDK_CLIENT)} + options +
                 QStringList{QStringLiteral("stdio"), QStringLiteral(PORTCULLIS_BRIDGE_EXE),
                             QStringLiteral("--url"), m_gateway.url(),
                             QStringLiteral("--token-file"), tokenFile});
    return track(std::move(p));
}

QProcess& TestBridgeInterop::startBridge(const QStringList& args, const QProcessEnvironment& env) {
    auto p = std::make_unique<QProcess>();
    p->setProcessEnvironment(env);
    p->start(QStringLiteral(PORTCULLIS_BRIDGE_EXE), args);
    return track(std::move(p));
}

int TestBridgeInterop::bridgesOfThisTest() const {
    int count = 0;
    const QByteArray exe = QByteArrayLiteral(PORTCULLIS_BRIDGE_EXE);
    const QByteArray url = m_gateway.url().toUtf8();
    const auto entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString& pid : entries) {
        QFile f(QStringLiteral("/proc/") + pid + QStringLiteral("/cmdline"));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QList<QByteArray> argv = f.readAll().split('\0');
        if (!argv.isEmpty() && argv.first() == exe && argv.contains(url))
            ++count;
    }
    return count;
}

namespace {

// One JSON line from a process's stdout, or null after the timeout.
json readMessage(QProcess& p, int timeoutMs = 15'000) {
    const QDeadlineTimer deadline(timeoutMs);
    while (!p.canReadLine() && !deadline.hasExpired() && p.state() == QProcess::Running)
        p.waitForReadyRead(100);
    if (!p.canReadLine())
        return json();
    const QByteArray line = p.readLine();
    const json parsed = json::parse(line.begin(), line.end(), nullptr, false);
    return parsed.is_discarded() ? json(line.toStdString()) : parsed;
}

void sendMessage(QProcess& p, const json& message) {
    p.write(QByteArray::fromStdString(message.dump()) + '\n');
}

} // namespace

void TestBridgeInterop::usageErrors() {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("PORTCULLIS_URL"));
    env.remove(QStringLiteral("PORTCULLIS_TOKEN"));
    struct Case {
        QStringList args;
        const char* expected;
    };
    const std::vector<Case> cases{
        {{}, "no gateway URL"},
        {{QStringLiteral("--url"), m_gateway.url()}, "no token"},
        {{QStringLiteral("--url"), QStringLiteral("ftp://127.0.0.1/mcp"),
          QStringLiteral("--token-file"), m_tokenFile},
         "--url expects"},
        {{QStringLiteral("--url"), m_gateway.url(), QStringLiteral("--token-file"),
          m_gateway.path(QStringLiteral("missing"))},
         "cannot read token file"},
        {{QStringLiteral("--bogus")}, "Unknown option"},
    };
    for (const Case& c : cases) {
        QProcess& p = startBridge(c.args, env);
        QVERIFY(p.waitForFinished(10'000));
        QCOMPARE(p.exitCode(), 2);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.contains(QLatin1String(c.expected)), qPrintable(err));
        QVERIFY(p.readAllStandardOutput().isEmpty());
    }
    QProcess& help = startBridge({QStringLiteral("--help")}, env);
    QVERIFY(help.waitForFinished(10'000));
    QCOMPARE(help.exitCode(), 0);
    QVERIFY(help.readAllStandardOutput().contains("--token-file"));
}

void TestBridgeInterop::listsToolsThroughBridge() {
    const ClientRun r = finishSdkClient(startClient(m_tokenFile, {}));
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    auto tools = r.output["tools"].get<std::vector<std::string>>();
    std::sort(tools.begin(), tools.end());
    QCOMPARE(tools, (std::vector<std::string>{"delete_app", "ecs_troubleshooting_tool",
                                              "validate_ecs_express_mode_prerequisites"}));
    QVERIFY(r.output["protocolVersion"] == "2025-11-25");
    QVERIFY(r.output["capabilities"]["tools"]["listChanged"] == true);
    QTRY_COMPARE_WITH_TIMEOUT(bridgesOfThisTest(), 0, 5'000);
}

void TestBridgeInterop::allowedCallReachesUpstream() {
    const ClientRun r = finishSdkClient(startClient(
        m_tokenFile, {QStringLiteral("--call"), QStringLiteral("ecs_troubleshooting_tool"),
                      QStringLiteral("--args"), kTroubleshootArgs}));
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const json& call = r.output["call"];
    QVERIFY2(call["structuredContent"]["ok"] == true, call.dump().c_str());
    QVERIFY(call["structuredContent"]["arguments"]["app_name"] == "shop");
    QVERIFY(!call.value("isError", false));
    QTRY_COMPARE_WITH_TIMEOUT(bridgesOfThisTest(), 0, 5'000);
}

void TestBridgeInterop::deniedCallGetsPolicyText() {
    const ClientRun r = finishSdkClient(startClient(
        m_tokenFile, {QStringLiteral("--call"), QStringLiteral("containerize_app"),
                      QStringLiteral("--args"), QStringLiteral(R"({"app_path":"/a","port":80})")}));
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const json& call = r.output["call"];
    QVERIFY(call["isError"] == true);
    QVERIFY2(call["content"][0]["text"] == "Blocked by policy: no containers today",
             call.dump().c_str());
    QVERIFY(call["_meta"]["io.portcullis/decision"]["decision"] == "deny");
    QTRY_COMPARE_WITH_TIMEOUT(bridgesOfThisTest(), 0, 5'000);
}

void TestBridgeInterop::heldCallApproved() {
    QProcess& client =
        startClient(m_tokenFile, {QStringLiteral("--call"), QStringLiteral("delete_app"),
                                  QStringLiteral("--args"), kDeleteArgs,
                                  QStringLiteral("--timeout-ms"), QStringLiteral("40000")});
    json pending;
    QTRY_VERIFY_WITH_TIMEOUT(
        (pending = m_gateway.adminGet(QStringLiteral("/admin/pending"))).size() == 1, 15'000);
    QVERIFY(pending[0]["tool"] == "delete_app");
    // The bookkeeping that checks for leftover bridges does see a live one.
    QCOMPARE(bridgesOfThisTest(), 1);
    const auto id = pending[0]["approval_id"].get<std::uint64_t>();
    QCOMPARE(m_gateway.adminPost(QStringLiteral("/admin/pending/%1").arg(id),
                                 json{{"decision", "approve"}}),
             200);
    const ClientRun r = finishSdkClient(client);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.output["call"].value("structuredContent", json::object()).value("tool", "") ==
                 "delete_app",
             r.output.dump().c_str());
    QVERIFY(!r.output["call"].value("isError", false));
    QTRY_COMPARE_WITH_TIMEOUT(bridgesOfThisTest(), 0, 5'000);
}

void TestBridgeInterop::wrongTokenIsReported() {
    const ClientRun r = finishSdkClient(startClient(
        m_wrongTokenFile, {QStringLiteral("--call"), QStringLiteral("ecs_troubleshooting_tool"),
                           QStringLiteral("--args"), kTroubleshootArgs}));
    QCOMPARE(r.exitCode, 1); // initialize itself failed
    // The client's error names the cause, and the bridge's log (inherited stderr) says it too.
    QVERIFY2(r.err.count(QLatin1String("the gateway refused the token (401)")) >= 2,
             qPrintable(r.err));
    QVERIFY(!r.output.contains("call"));
    QTRY_COMPARE_WITH_TIMEOUT(bridgesOfThisTest(), 0, 5'000);
}

// The bridge driven line by line with the token from the environment: session headers, calls
// answered out of order while one is held, server messages from the GET stream, an oversized
// line, and a clean end of the session on EOF.
void TestBridgeInterop::sessionOverStdio() {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PORTCULLIS_TOKEN"), QString::fromLatin1(GatewayProcess::kToken));
    env.remove(QStringLiteral("PORTCULLIS_URL"));
    QProcess& bridge = startBridge({QStringLiteral("--url"), m_gateway.url()}, env);
    QVERIFY(bridge.waitForStarted(5'000));

    sendMessage(bridge, initializeRequest(1));
    json init = readMessage(bridge);
    QVERIFY2(init["id"] == 1 && init["result"]["protocolVersion"] == "2025-11-25",
             init.dump().c_str());
    sendMessage(bridge, json{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}});

    // Held first, answered last: the allowed call must not wait behind it.
    sendMessage(bridge, request(2, "tools/call",
                                {{"name", "delete_app"},
                                 {"arguments", json::parse(kDeleteArgs.toStdString())}}));
    json pending;
    QTRY_VERIFY_WITH_TIMEOUT(
        (pending = m_gateway.adminGet(QStringLiteral("/admin/pending"))).size() == 1, 15'000);
    sendMessage(bridge, request(3, "tools/call",
                                {{"name", "ecs_troubleshooting_tool"},
                                 {"arguments", json::parse(kTroubleshootArgs.toStdString())}}));
    json allowed = readMessage(bridge);
    QVERIFY2(allowed["id"] == 3 && allowed["result"]["structuredContent"]["ok"] == true,
             allowed.dump().c_str());

    // More than 4 MiB on one line: refused by the bridge, and the session goes on.
    bridge.write(QByteArray(5 * 1024 * 1024, 'x') + '\n');
    json tooLarge = readMessage(bridge);
    QVERIFY2(tooLarge.dump().find("larger than the 4 MiB limit") != std::string::npos,
             tooLarge.dump().c_str());
    QVERIFY(tooLarge["id"].is_null());

    // A policy change that alters the visible tools reaches the client on the GET stream.
    QVERIFY(writeFile(m_gateway.path(QStringLiteral("policy.json")), kPolicyHidingValidate));
    json changed = readMessage(bridge);
    QVERIFY2(changed["method"] == "notifications/tools/list_changed", changed.dump().c_str());
    sendMessage(bridge, request(4, "tools/list"));
    json listed = readMessage(bridge);
    QVERIFY2(listed["id"] == 4 && listed["result"]["tools"].size() == 2, listed.dump().c_str());
    QVERIFY(writeFile(m_gateway.path(QStringLiteral("policy.json")), kPolicy));
    json restored = readMessage(bridge);
    QVERIFY2(restored["method"] == "notifications/tools/list_changed", restored.dump().c_str());

    const auto id = pending[0]["approval_id"].get<std::uint64_t>();
    QCOMPARE(m_gateway.adminPost(QStringLiteral("/admin/pending/%1").arg(id),
                                 json{{"decision", "approve"}}),
             200);
    json held = readMessage(bridge);
    QVERIFY2(held["id"] == 2 && held["result"]["structuredContent"]["tool"] == "delete_app",
             held.dump().c_str());

    // EOF: the session is ended at the gateway and the bridge leaves with 0.
    bridge.closeWriteChannel();
    QVERIFY(bridge.waitForFinished(5'000));
    QCOMPARE(bridge.exitStatus(), QProcess::NormalExit);
    QCOMPARE(bridge.exitCode(), 0);
    QVERIFY(bridge.readAllStandardOutput().isEmpty());
}

void TestBridgeInterop::unreachableGatewayIsReported() {
    // A port nobody listens on: bind one, then free it.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const QString url = QStringLiteral("http://127.0.0.1:%1/mcp").arg(probe.serverPort());
    probe.close();

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PORTCULLIS_TOKEN"), QStringLiteral("any"));
    env.insert(QStringLiteral("PORTCULLIS_URL"), url);
    QProcess& bridge = startBridge({}, env);
    QVERIFY(bridge.waitForStarted(5'000));
    sendMessage(bridge, initializeRequest(7));
    json reply = readMessage(bridge);
    QVERIFY2(reply["id"] == 7 && reply["error"]["code"] == -32603, reply.dump().c_str());
    const std::string expected =
        "portcullis-bridge: cannot reach the gateway at " + url.toStdString() + ": ";
    QVERIFY2(reply["error"].value("message", std::string()).rfind(expected, 0) == 0,
             reply.dump().c_str());
    bridge.closeWriteChannel();
    QVERIFY(bridge.waitForFinished(5'000));
    QCOMPARE(bridge.exitCode(), 0);
}

QTEST_GUILESS_MAIN(TestBridgeInterop)
#include "test_bridge_interop.moc"
