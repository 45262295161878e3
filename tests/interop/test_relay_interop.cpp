#include "gatewayprocess.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <nlohmann/json.hpp>

using nlohmann::json;

namespace {

const char* const kPolicy = R"({ "version": "1", "default": "allow" })";

// The direct children of a process, from /proc (the gateway's upstream processes).
int childCount(qint64 pid) {
    int n = 0;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString& entry : entries) {
        bool isPid = false;
        entry.toLongLong(&isPid);
        if (!isPid)
            continue;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(entry));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        // "pid (comm) state ppid ...": comm may hold spaces, so read after the last ')'.
        const QByteArray line = stat.readAll();
        const QList<QByteArray> rest = line.mid(line.lastIndexOf(')') + 2).split(' ');
        if (rest.size() > 1 && rest[1].toLongLong() == pid)
            ++n;
    }
    return n;
}

std::string firstText(const json& result) {
    return result.value("content", json::array()).empty() ? std::string()
                                                          : result["content"][0].value("text", "");
}

} // namespace

// Server->client requests (sampling, elicitation, roots) reach the client whose call caused
// them, and a per-session upstream gives each client a server of its own.
class TestRelayInterop final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void samplingReachesTheCallingClient();
    void elicitationReachesTheCallingClient();
    void eachSessionHasItsOwnRoots();
    void sessionInstanceEndsWithItsSession();
    void progressIsRelayedWithTheClientsToken();

private:
    GatewayProcess m_gateway;
};

void TestRelayInterop::initTestCase() {
    // server-everything keeps per-connection state (the client's roots); run one per session.
    const json servers = {
        {"mcpServers",
         {{"everything",
           {{"command", PORTCULLIS_NODE_EXE},
            {"args", json::array({PORTCULLIS_EVERYTHING_JS, "stdio"})},
            {"isolation", "per-session"}}},
          {"demo", {{"command", PORTCULLIS_DEMO_SERVER_EXE}, {"args", json::array()}}}}}};
    QVERIFY2(m_gateway.start(servers, kPolicy), qPrintable(m_gateway.error()));
    QTRY_VERIFY_WITH_TIMEOUT(m_gateway.adminGet(QStringLiteral("/admin/tools")).size() >= 20,
                             20'000);
}

void TestRelayInterop::cleanupTestCase() {
    QCOMPARE(m_gateway.stop(), 0);
}

void TestRelayInterop::samplingReachesTheCallingClient() {
    const ClientRun r = runSdkClient(
        m_gateway.url(),
        {QStringLiteral("--sampling-text"), QStringLiteral("a sentence sampled by the client"),
         QStringLiteral("--call"), QStringLiteral("everything__trigger-sampling-request"),
         QStringLiteral("--args"), QStringLiteral(R"({"prompt":"say something"})")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(firstText(r.output["call"]).find("a sentence sampled by the client") !=
                 std::string::npos,
             r.output.dump().c_str());
    QVERIFY(r.output["serverRequests"] == json::array({"sampling/createMessage"}));
}

void TestRelayInterop::elicitationReachesTheCallingClient() {
    const ClientRun r = runSdkClient(
        m_gateway.url(),
        {QStringLiteral("--elicit-content"),
         QStringLiteral(R"({"name":"Ada Lovelace","check":true,"email":"ada@example.com"})"),
         QStringLiteral("--call"), QStringLiteral("everything__trigger-elicitation-request")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.output["call"].dump().find("Ada Lovelace") != std::string::npos,
             r.output.dump().c_str());
    QVERIFY(r.output["serverRequests"] == json::array({"elicitation/create"}));
}

void TestRelayInterop::eachSessionHasItsOwnRoots() {
    // server-everything asks for roots once per connection and keeps them; a shared upstream
    // would show the second client the first one's roots.
    for (const char* root : {"file:///work/alpha", "file:///work/beta"}) {
        const json roots = json::array({json{{"uri", root}, {"name", "project"}}});
        const ClientRun r =
            runSdkClient(m_gateway.url(),
                         {QStringLiteral("--roots"), QString::fromStdString(roots.dump()),
                          QStringLiteral("--call"), QStringLiteral("everything__get-roots-list")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const std::string text = firstText(r.output["call"]);
        QVERIFY2(text.find(root) != std::string::npos, text.c_str());
        QVERIFY2(text.find("(1 total)") != std::string::npos, text.c_str());
    }
}

void TestRelayInterop::sessionInstanceEndsWithItsSession() {
    // Two upstream processes before any call: the listing instance of server-everything and
    // the demo server. A session's call adds its own instance; ending the session ends it.
    QTRY_COMPARE_WITH_TIMEOUT(childCount(m_gateway.pid()), 2, 10'000);
    auto client = startSdkClient(
        m_gateway.url(),
        {QStringLiteral("--call"), QStringLiteral("everything__trigger-long-running-operation"),
         QStringLiteral("--args"), QStringLiteral(R"({"duration":3,"steps":3})")});
    QTRY_COMPARE_WITH_TIMEOUT(childCount(m_gateway.pid()), 3, 10'000);
    const ClientRun r = finishSdkClient(*client);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QTRY_COMPARE_WITH_TIMEOUT(childCount(m_gateway.pid()), 2, 10'000);
}

void TestRelayInterop::progressIsRelayedWithTheClientsToken() {
    // The SDK client drops progress whose token it did not send, so any arriving at all proves
    // the gateway put the client's token back.
    const ClientRun r = runSdkClient(
        m_gateway.url(), {QStringLiteral("--progress"), QStringLiteral("--call"),
                          QStringLiteral("everything__trigger-long-running-operation"),
                          QStringLiteral("--args"), QStringLiteral(R"({"duration":2,"steps":4})")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const json& progress = r.output["progress"];
    QVERIFY2(progress.size() >= 2, r.output.dump().c_str());
    QVERIFY(progress.back()["total"] == 4);
}

QTEST_GUILESS_MAIN(TestRelayInterop)
#include "test_relay_interop.moc"
