#include "gatewayprocess.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QHostAddress>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <algorithm>

using nlohmann::json;

namespace {

// server-everything calls app.listen(PORT) with no host, which binds every interface; a test
// must not open a port to the network. Preloaded with `node -r`, this supplies 127.0.0.1.
const char* const kLoopbackPreload = R"(
const net = require('node:net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const first = args[0];
  if (args.length === 0 || typeof first === 'function') {
    args.unshift(0, '127.0.0.1');
  } else if (first !== null && typeof first === 'object') {
    if (first.path === undefined && first.host === undefined)
      args[0] = { ...first, host: '127.0.0.1' };
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1');
  }
  return listen.apply(this, args);
};
)";

const char* const kPolicy = R"({
  "version": "1",
  "default": "allow",
  "hide": ["get-env"]
})";

quint16 freeLoopbackPort() {
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

// server-everything in one of its HTTP modes, on a loopback port of its own. Stopped (and
// waited for) when destroyed, so no node process outlives the test.
class EverythingServer final {
public:
    ~EverythingServer() { stop(); }

    bool start(const QString& mode, quint16 port = 0) {
        if (!m_dir.isValid())
            return fail(QStringLiteral("no temporary directory"));
        const QString preload = m_dir.filePath(QStringLiteral("force-loopback.cjs"));
        QFile f(preload);
        if (!f.open(QIODevice::WriteOnly) || f.write(kLoopbackPreload) < 0)
            return fail(QStringLiteral("cannot write the preload script"));
        f.close();
        m_port = port != 0 ? port : freeLoopbackPort();
        if (m_port == 0)
            return fail(QStringLiteral("no free port"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PORT"), QString::number(m_port));
        m_process.setProcessEnvironment(env);
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.setStandardOutputFile(QProcess::nullDevice());
        m_process.start(
            QStringLiteral(PORTCULLIS_NODE_EXE),
            {QStringLiteral("-r"), preload, QStringLiteral(PORTCULLIS_EVERYTHING_JS), mode});
        if (!m_process.waitForStarted(10'000))
            return fail(QStringLiteral("node did not start: ") + m_process.errorString());
        const QDeadlineTimer deadline(15'000);
        while (!deadline.hasExpired() && m_process.state() == QProcess::Running) {
            QTcpSocket probe;
            probe.connectToHost(QHostAddress::LocalHost, m_port);
            if (probe.waitForConnected(250))
                return true;
            QTest::qWait(100);
        }
        stop();
        return fail(
            QStringLiteral("server-everything %1 did not listen on port %2").arg(mode).arg(m_port));
    }

    void stop() {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(5000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    bool running() const { return m_process.state() != QProcess::NotRunning; }
    quint16 port() const { return m_port; }
    QString url(const char* path) const {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(QLatin1String(path));
    }
    QString error() const { return m_error; }

private:
    bool fail(const QString& why) {
        m_error = why;
        return false;
    }

    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    QString m_error;
};

bool hasTool(const json& output, const char* name) {
    const auto tools = output.value("tools", json::array());
    return std::find(tools.begin(), tools.end(), name) != tools.end();
}

} // namespace

class TestHttpUpstreamInterop final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void toolsOfEveryUpstreamAreListed_data();
    void toolsOfEveryUpstreamAreListed();
    void echoReachesEveryUpstream_data();
    void echoReachesEveryUpstream();
    void hiddenToolIsUnknown();
    void reinitializesAfterTheSessionIsLost();
    void manyCallsAtOnceReachOneHttpUpstream();

private:
    void upstreams_data();

    EverythingServer m_streamable;
    EverythingServer m_legacy;
    GatewayProcess m_gateway;
};

void TestHttpUpstreamInterop::initTestCase() {
    QVERIFY2(m_streamable.start(QStringLiteral("streamableHttp")),
             qPrintable(m_streamable.error()));
    QVERIFY2(m_legacy.start(QStringLiteral("sse")), qPrintable(m_legacy.error()));
    // "fallback" is configured as Streamable HTTP but reaches a legacy-only server: its POSTed
    // initialize gets 404, and the transport finds the SSE stream at /sse by itself.
    const json servers = {
        {"mcpServers",
         {{"everything", {{"type", "http"}, {"url", m_streamable.url("/mcp").toStdString()}}},
          {"legacy", {{"type", "sse"}, {"url", m_legacy.url("/sse").toStdString()}}},
          {"fallback", {{"type", "http"}, {"url", m_legacy.url("/mcp").toStdString()}}}}}};
    QVERIFY2(m_gateway.start(servers, kPolicy), qPrintable(m_gateway.error()));
    // Three copies of server-everything's dozen tools, less the hidden ones.
    QTRY_VERIFY_WITH_TIMEOUT(m_gateway.adminGet(QStringLiteral("/admin/tools")).size() >= 30,
                             20'000);
}

void TestHttpUpstreamInterop::cleanupTestCase() {
    QCOMPARE(m_gateway.stop(), 0);
    m_streamable.stop();
    m_legacy.stop();
    QVERIFY(!m_streamable.running());
    QVERIFY(!m_legacy.running());
}

void TestHttpUpstreamInterop::upstreams_data() {
    QTest::addColumn<QString>("prefix");
    QTest::newRow("streamable") << QStringLiteral("everything");
    QTest::newRow("legacy") << QStringLiteral("legacy");
    QTest::newRow("fallback") << QStringLiteral("fallback");
}

void TestHttpUpstreamInterop::toolsOfEveryUpstreamAreListed_data() {
    upstreams_data();
}

void TestHttpUpstreamInterop::toolsOfEveryUpstreamAreListed() {
    QFETCH(QString, prefix);
    const ClientRun r = runSdkClient(m_gateway.url(), {});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(hasTool(r.output, qPrintable(prefix + QStringLiteral("__echo"))),
             r.output.dump().c_str());
    QVERIFY(hasTool(r.output, qPrintable(prefix + QStringLiteral("__get-sum"))));
    QVERIFY(!hasTool(r.output, qPrintable(prefix + QStringLiteral("__get-env"))));
}

void TestHttpUpstreamInterop::echoReachesEveryUpstream_data() {
    upstreams_data();
}

void TestHttpUpstreamInterop::echoReachesEveryUpstream() {
    QFETCH(QString, prefix);
    const ClientRun r = runSdkClient(
        m_gateway.url(), {QStringLiteral("--call"), prefix + QStringLiteral("__echo"),
                          QStringLiteral("--args"), QStringLiteral(R"({"message":"hi"})")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.output["call"]["content"][0]["text"] == "Echo: hi", r.output.dump().c_str());
}

void TestHttpUpstreamInterop::hiddenToolIsUnknown() {
    const ClientRun hidden = runSdkClient(
        m_gateway.url(), {QStringLiteral("--call"), QStringLiteral("everything__get-env")});
    QCOMPARE(hidden.exitCode, 3);
    QVERIFY2(hidden.output["callError"]["code"] == -32602, hidden.output.dump().c_str());
}

void TestHttpUpstreamInterop::reinitializesAfterTheSessionIsLost() {
    // A restarted server knows none of the old sessions (server-everything answers them with
    // 400, the spec says 404). The gateway must start a new session on its own.
    const quint16 port = m_streamable.port();
    m_streamable.stop();
    QVERIFY2(m_streamable.start(QStringLiteral("streamableHttp"), port),
             qPrintable(m_streamable.error()));
    const QStringList echo{QStringLiteral("--call"), QStringLiteral("everything__echo"),
                           QStringLiteral("--args"), QStringLiteral(R"({"message":"again"})")};
    json last;
    const QDeadlineTimer deadline(20'000);
    while (!deadline.hasExpired()) {
        const ClientRun r = runSdkClient(m_gateway.url(), echo);
        last = r.output;
        if (r.exitCode == 0 && r.output["call"]["content"][0]["text"] == "Echo: again")
            return;
        QTest::qWait(500);
    }
    QFAIL(last.dump().c_str());
}

void TestHttpUpstreamInterop::manyCallsAtOnceReachOneHttpUpstream() {
    // A gateway as the Streamable HTTP upstream of another, holding every call for approval:
    // the inner one's pending list shows how many calls the outer one has sent at once. An
    // HTTP client that keeps 6 connections per host would leave the rest queued, unseen.
    constexpr int kCalls = 10;
    GatewayProcess inner;
    QVERIFY2(inner.startWithDemoServer(R"({"version":"1","default":"deny","tools":{
               "delete_app":{"action":"approve","approval":{"timeout_s":60}}}})"),
             qPrintable(inner.error()));
    GatewayProcess outer;
    const json servers = {
        {"mcpServers",
         {{"inner",
           {{"type", "http"},
            {"url", inner.url().toStdString()},
            {"headers", {{"Authorization", std::string("Bearer ") + GatewayProcess::kToken}}}}}}}};
    QVERIFY2(outer.start(servers, R"({"version":"1","default":"allow"})"),
             qPrintable(outer.error()));
    QTRY_VERIFY_WITH_TIMEOUT(outer.adminGet(QStringLiteral("/admin/tools")).size() >= 1, 20'000);

    std::vector<std::unique_ptr<QProcess>> clients;
    for (int i = 0; i < kCalls; ++i) {
        const json args = {{"app_name", "app" + std::to_string(i)},
                           {"service_arn", "arn:aws:ecs:us-east-1:1:service/app"}};
        clients.push_back(startSdkClient(
            outer.url(), {QStringLiteral("--timeout-ms"), QStringLiteral("60000"),
                          QStringLiteral("--call"), QStringLiteral("delete_app"),
                          QStringLiteral("--args"), QString::fromStdString(args.dump())}));
    }
    json pending;
    QTRY_VERIFY_WITH_TIMEOUT(
        (pending = inner.adminGet(QStringLiteral("/admin/pending"))).size() == kCalls, 30'000);
    for (const json& p : pending) {
        QCOMPARE(inner.adminPost(
                     QStringLiteral("/admin/pending/%1").arg(p["approval_id"].get<std::uint64_t>()),
                     json{{"decision", "approve"}}),
                 200);
    }
    for (auto& client : clients) {
        const ClientRun r = finishSdkClient(*client);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.output["call"]["structuredContent"]["result"]["status"] == "DELETED",
                 r.output.dump().c_str());
    }
    QCOMPARE(outer.stop(), 0);
    QCOMPARE(inner.stop(), 0);
}

QTEST_GUILESS_MAIN(TestHttpUpstreamInterop)
#include "test_httpupstream_interop.moc"
