#include "demo/demoserver.h"
#include "mcp/jsonrpc.h"
#include "support/comparejson.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using nlohmann::json;
using portcullis::demo::DemoServer;

namespace {

constexpr int kProcessTimeoutMs = 30'000; // above the driver's own 20 s deadline

QString node() {
    return QStringLiteral(PORTCULLIS_NODE_EXE);
}
QString driver() {
    return QStringLiteral(PORTCULLIS_SDK_CLIENT);
}
QString demoServer() {
    return QStringLiteral(PORTCULLIS_DEMO_SERVER_EXE);
}

json demoTools() {
    QFile file(QStringLiteral(PORTCULLIS_SOURCE_DIR "/resources/demo/demo-tools.json"));
    if (!file.open(QIODevice::ReadOnly))
        return json();
    const QByteArray bytes = file.readAll();
    return json::parse(bytes.begin(), bytes.end(), nullptr, false);
}

json demoToolNames() {
    const json file = demoTools();
    json names = json::array();
    for (const json& tool : file.value("tools", json::array()))
        names.push_back(tool["name"]);
    return names;
}

struct Finished {
    int exitCode = -1; // -1 also for a crash or a timeout
    QByteArray out;
    QByteArray err;
};

// Waits for `process` within the time limit and kills it otherwise, so no test leaves one
// behind.
Finished finish(QProcess& process, int timeoutMs = kProcessTimeoutMs) {
    Finished done;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5'000);
        done.err = "timed out\n";
    } else if (process.exitStatus() == QProcess::NormalExit) {
        done.exitCode = process.exitCode();
    }
    done.out = process.readAllStandardOutput();
    done.err += process.readAllStandardError();
    return done;
}

struct SdkRun {
    int exitCode = -1;
    json report; // the driver's one JSON line; null if it printed none
    QByteArray err;
};

// The SDK client, started by node, which starts the demo server with `serverArgs` over stdio.
SdkRun runSdkClient(const QStringList& driverOptions, const QStringList& serverArgs = {}) {
    QProcess process;
    process.start(node(), QStringList{driver()} + driverOptions +
                              QStringList{QStringLiteral("stdio"), demoServer()} + serverArgs);
    const Finished done = finish(process);
    SdkRun run{done.exitCode, json(), done.err};
    const QByteArray line = done.out.trimmed();
    if (!line.isEmpty())
        run.report = json::parse(line.begin(), line.end(), nullptr, false);
    return run;
}

QStringList callOptions(const char* tool, const json& arguments) {
    return {QStringLiteral("--call"), QString::fromUtf8(tool), QStringLiteral("--args"),
            QString::fromStdString(arguments.dump())};
}

QByteArray wire(const json& message) {
    return QByteArray::fromStdString(portcullis::mcp::serialize(message)) + '\n';
}

json sleepCall(const json& id, int ms) {
    return portcullis::mcp::makeRequest(id, "tools/call",
                                        json{{"name", "demo_sleep"}, {"arguments", {{"ms", ms}}}});
}

json cancelled(const json& id) {
    return portcullis::mcp::makeNotification("notifications/cancelled", json{{"requestId", id}});
}

std::vector<json> replyLines(const QByteArray& out) {
    std::vector<json> lines;
    for (const QByteArray& line : out.split('\n')) {
        if (!line.isEmpty())
            lines.push_back(json::parse(line.begin(), line.end(), nullptr, false));
    }
    return lines;
}

} // namespace

class TestDemoServerInterop final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void sdkSeesEveryDemoTool();
    void sdkFollowsPages_data();
    void sdkFollowsPages();
    void sdkCallGetsDeterministicResult();
    void sdkUnknownToolGetsInvalidParams();
    void sdkMissingArgumentIsToolError();
    void sdkExtraTools();
    void slowReplyDoesNotHoldBackOthers();
    void cancellationDropsDelayedReply_data();
    void cancellationDropsDelayedReply();
    void malformedAndCrlfLines();
    void commandLineErrors_data();
    void commandLineErrors();
};

void TestDemoServerInterop::initTestCase() {
    QVERIFY2(QFileInfo::exists(node()), qPrintable(node()));
    QVERIFY2(QFileInfo::exists(demoServer()), qPrintable(demoServer()));
    const QString sdk = QFileInfo(driver()).absolutePath() +
                        QStringLiteral("/node_modules/@modelcontextprotocol/sdk/package.json");
    QVERIFY2(QFileInfo::exists(sdk), "the npm peers are missing: run "
                                     "`npm ci --prefix tests/interop` (quickstart.sh does)");
    QCOMPARE(demoToolNames().size(), std::size_t(14));
}

void TestDemoServerInterop::sdkSeesEveryDemoTool() {
    SdkRun run = runSdkClient({});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    COMPARE_JSON(run.report["tools"], demoToolNames());
    COMPARE_JSON(run.report["pages"], json(1));
    COMPARE_JSON(run.report["protocolVersion"], json("2025-11-25"));
    COMPARE_JSON(run.report["capabilities"], json::parse(R"({"tools":{"listChanged":true}})"));
    COMPARE_JSON(run.report["server"]["name"], json("portcullis-demo"));
}

void TestDemoServerInterop::sdkFollowsPages_data() {
    QTest::addColumn<int>("pageSize");
    QTest::addColumn<int>("pages");
    QTest::newRow("3") << 3 << 5;
    QTest::newRow("1") << 1 << 14;
    QTest::newRow("7") << 7 << 2;
}

void TestDemoServerInterop::sdkFollowsPages() {
    QFETCH(int, pageSize);
    QFETCH(int, pages);
    SdkRun run = runSdkClient({}, {QStringLiteral("--page-size"), QString::number(pageSize)});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    COMPARE_JSON(run.report["pages"], json(pages));
    COMPARE_JSON(run.report["tools"], demoToolNames());
}

void TestDemoServerInterop::sdkCallGetsDeterministicResult() {
    const json arguments{
        {"region", "eu-west-1"}, {"account", "123456789012"}, {"cluster_name", "orders"}};
    const QStringList options = callOptions("esm_msk_policy", arguments);
    SdkRun first = runSdkClient(options);
    QVERIFY2(first.exitCode == 0, first.err.constData());
    json& call = first.report["call"];
    QVERIFY(!call.value("isError", false));

    // What the server core answers in-process is exactly what a real client receives.
    const DemoServer inProcess(demoTools());
    const std::vector<std::string> lines =
        inProcess.handleLine(portcullis::mcp::serialize(portcullis::mcp::makeRequest(
            1, "tools/call", json{{"name", "esm_msk_policy"}, {"arguments", arguments}})));
    QCOMPARE(lines.size(), std::size_t(1));
    COMPARE_JSON(call, json::parse(lines.front())["result"]);
    COMPARE_JSON(call["structuredContent"]["tool"], json("esm_msk_policy"));
    COMPARE_JSON(call["structuredContent"]["arguments"], arguments);
    COMPARE_JSON(call["structuredContent"]["result"], DemoServer::fakeResult("esm_msk_policy"));

    SdkRun second = runSdkClient(options);
    QVERIFY2(second.exitCode == 0, second.err.constData());
    COMPARE_JSON(second.report["call"], call);
}

void TestDemoServerInterop::sdkUnknownToolGetsInvalidParams() {
    SdkRun run = runSdkClient(callOptions("no_such_tool", json::object()));
    QVERIFY2(run.exitCode == 3, run.err.constData());
    COMPARE_JSON(run.report["callError"],
                 json::parse(R"({"code":-32602,"message":"Unknown tool: no_such_tool"})"));
    QVERIFY(!run.report.contains("call"));
}

void TestDemoServerInterop::sdkMissingArgumentIsToolError() {
    SdkRun run = runSdkClient(callOptions("delete_app", json{{"app_name", "shop"}}));
    QVERIFY2(run.exitCode == 0, run.err.constData());
    COMPARE_JSON(run.report["call"]["isError"], json(true));
    COMPARE_JSON(run.report["call"]["content"][0]["text"],
                 json("Missing required argument for delete_app: service_arn"));
}

void TestDemoServerInterop::sdkExtraTools() {
    const QStringList extra{QStringLiteral("--extra-tools")};
    SdkRun fail = runSdkClient(callOptions("demo_fail", json::object()), extra);
    QVERIFY2(fail.exitCode == 3, fail.err.constData());
    QCOMPARE(fail.report["tools"].size(), std::size_t(16));
    COMPARE_JSON(fail.report["callError"]["code"], json(-32000));

    QElapsedTimer timer;
    timer.start();
    SdkRun sleep = runSdkClient(callOptions("demo_sleep", json{{"ms", 300}}), extra);
    QVERIFY2(sleep.exitCode == 0, sleep.err.constData());
    QVERIFY(timer.elapsed() >= 300);
    COMPARE_JSON(sleep.report["call"]["structuredContent"]["result"],
                 json::parse(R"({"sleptMs":300})"));
}

void TestDemoServerInterop::slowReplyDoesNotHoldBackOthers() {
    QProcess server;
    server.start(demoServer(), {QStringLiteral("--extra-tools")});
    QVERIFY(server.waitForStarted(10'000));
    server.write(wire(sleepCall(1, 400)) +
                 wire(portcullis::mcp::makeRequest(2, "ping", json::object())));
    server.closeWriteChannel();
    const Finished done = finish(server);
    QVERIFY2(done.exitCode == 0, done.err.constData());
    std::vector<json> lines = replyLines(done.out);
    QCOMPARE(lines.size(), std::size_t(2));
    COMPARE_JSON(lines.at(0)["id"], json(2)); // the ping, answered while the sleep waits
    COMPARE_JSON(lines.at(1)["id"], json(1)); // delivered after stdin closed: EOF drains, not drops
    COMPARE_JSON(lines.at(1)["result"]["structuredContent"]["result"],
                 json::parse(R"({"sleptMs":400})"));
}

void TestDemoServerInterop::cancellationDropsDelayedReply_data() {
    QTest::addColumn<json>("callId");
    QTest::addColumn<json>("cancelId");
    QTest::addColumn<bool>("dropped");
    QTest::newRow("same id") << json("a") << json("a") << true;
    QTest::newRow("same integer id") << json(7) << json(7) << true;
    QTest::newRow("id of another type") << json("7") << json(7) << false;
    QTest::newRow("unknown id") << json("a") << json("b") << false;
}

void TestDemoServerInterop::cancellationDropsDelayedReply() {
    QFETCH(json, callId);
    QFETCH(json, cancelId);
    QFETCH(bool, dropped);
    QProcess server;
    server.start(demoServer(), {QStringLiteral("--extra-tools")});
    QVERIFY(server.waitForStarted(10'000));
    server.write(wire(sleepCall(callId, 300)) + wire(cancelled(cancelId)) +
                 wire(portcullis::mcp::makeRequest("p", "ping", json::object())));
    server.closeWriteChannel();
    const Finished done = finish(server);
    QVERIFY2(done.exitCode == 0, done.err.constData());
    std::vector<json> lines = replyLines(done.out);
    QCOMPARE(lines.size(), std::size_t(dropped ? 1 : 2));
    COMPARE_JSON(lines.at(0)["id"], json("p"));
    if (!dropped)
        COMPARE_JSON(lines.at(1)["id"], callId);
}

void TestDemoServerInterop::malformedAndCrlfLines() {
    QProcess server;
    server.start(demoServer(), QStringList());
    QVERIFY(server.waitForStarted(10'000));
    server.write("not json\n\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\r\n"
                 "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}"); // last line unterminated
    server.closeWriteChannel();
    const Finished done = finish(server);
    QVERIFY2(done.exitCode == 0, done.err.constData());
    std::vector<json> lines = replyLines(done.out);
    QCOMPARE(lines.size(), std::size_t(3));
    COMPARE_JSON(lines.at(0)["error"]["code"], json(-32700));
    COMPARE_JSON(lines.at(0)["id"], json());
    COMPARE_JSON(lines.at(1), json::parse(R"({"jsonrpc":"2.0","id":1,"result":{}})"));
    COMPARE_JSON(lines.at(2), json::parse(R"({"jsonrpc":"2.0","id":2,"result":{}})"));
    // stdout carries protocol only; the startup note went to stderr.
    QVERIFY(done.err.contains("serving 14 tools"));
}

void TestDemoServerInterop::commandLineErrors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::newRow("bad page size")
        << QStringList{QStringLiteral("--page-size"), QStringLiteral("x")} << 2;
    QTest::newRow("unknown flag") << QStringList{QStringLiteral("--frobnicate")} << 2;
    QTest::newRow("stray argument") << QStringList{QStringLiteral("extra")} << 2;
    QTest::newRow("missing file") << QStringList{QStringLiteral("--tools"),
                                                 QStringLiteral("/nonexistent/tools.json")}
                                  << 1;
    QTest::newRow("not a tools list")
        << QStringList{QStringLiteral("--tools"), QStringLiteral("NOT_TOOLS")} << 1;
}

void TestDemoServerInterop::commandLineErrors() {
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString notTools = dir.filePath(QStringLiteral("not-tools.json"));
    QFile file(notTools);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"tools":{}})");
    file.close();
    args.replaceInStrings(QStringLiteral("NOT_TOOLS"), notTools);

    QProcess server;
    server.start(demoServer(), args);
    QVERIFY(server.waitForStarted(10'000));
    server.closeWriteChannel();
    const Finished done = finish(server);
    QCOMPARE(done.exitCode, exitCode);
    QCOMPARE(done.out, QByteArray());
    QVERIFY(done.err.startsWith("portcullis-demo-server: "));
}

QTEST_GUILESS_MAIN(TestDemoServerInterop)
#include "test_demoserver_interop.moc"
