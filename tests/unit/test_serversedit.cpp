#include "workspace/launchline.h"
#include "workspace/serversedit.h"

#include <QTest>

#include <nlohmann/json.hpp>

using namespace portcullis;
using nlohmann::ordered_json;

Q_DECLARE_METATYPE(portcullis::HostOs)

namespace {

// Hand-written order and keys of other tools, to see that edits leave them be. Not a raw
// string: moc reads the "//" of a URL in one as a comment and finds no test class.
const char* const kServers = "{\n"
                             "  \"$schema\": \"https://example.com/servers.schema.json\",\n"
                             "  \"mcpServers\": {\n"
                             "    \"zeta\": {\n"
                             "      \"command\": \"npx\",\n"
                             "      \"args\": [\"-y\", \"zeta-mcp\"],\n"
                             "      \"comment\": \"kept by hand\"\n"
                             "    },\n"
                             "    \"alpha\": {\n"
                             "      \"type\": \"streamable-http\",\n"
                             "      \"url\": \"https://alpha.example.com/mcp\",\n"
                             "      \"timeout_s\": 30\n"
                             "    },\n"
                             "    \"mid\": {\n"
                             "      \"type\": \"stdio\",\n"
                             "      \"command\": \"uvx\",\n"
                             "      \"args\": [\"mid-mcp\"],\n"
                             "      \"env\": {},\n"
                             "      \"timeout_s\": 120\n"
                             "    }\n"
                             "  },\n"
                             "  \"editor\": {\"tabSize\": 2}\n"
                             "}";

QStringList keysOf(const ordered_json& object) {
    QStringList keys;
    for (const auto& [k, v] : object.items())
        keys << QString::fromStdString(k);
    return keys;
}

ordered_json parsed(const std::string& text) {
    return ordered_json::parse(text);
}

ServerConfig stdioServer(const std::string& key) {
    ServerConfig s;
    s.key = key;
    s.command = QStringLiteral("node");
    s.args = {QStringLiteral("server.js"), QStringLiteral("--port"), QStringLiteral("0")};
    return s;
}

} // namespace

class TestServersEdit final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void validNames_data();
    void validNames();
    void addToAnEmptyFile();
    void addKeepsEverythingElse();
    void addRefusesTakenAndInvalidNames();
    void replaceInPlaceKeepsForeignKeys();
    void replaceUnchangedIsIdentity();
    void replaceRenamesAtTheSamePosition();
    void replaceRefusesATakenName();
    void changingTransportDropsTheOldKeys();
    void removeKeepsTheRest();
    void unreadableTextIsNeverOverwritten_data();
    void unreadableTextIsNeverOverwritten();
    void findReadsOneEntryAlone();
    void serverNamesInFileOrder();
    void launchLines_data();
    void launchLines();
};

void TestServersEdit::validNames_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("plain") << QStringLiteral("github") << true;
    QTest::newRow("punctuation") << QStringLiteral("my_server-2.0") << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("space") << QStringLiteral("Local DB") << false;
    QTest::newRow("slash") << QStringLiteral("a/b") << false;
    QTest::newRow("non-ascii") << QStringLiteral("caf\u00e9") << false;
    QTest::newRow("64") << QString(64, QLatin1Char('a')) << true;
    QTest::newRow("65") << QString(65, QLatin1Char('a')) << false;
}

void TestServersEdit::validNames() {
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(ServersEdit::isValidName(name), valid);
}

void TestServersEdit::addToAnEmptyFile() {
    const auto r = ServersEdit::add("", stdioServer("local"));
    QVERIFY(r.error.isEmpty());
    const ordered_json doc = parsed(r.text);
    QVERIFY(doc["mcpServers"]["local"]["command"] == "node");
    QCOMPARE(doc["mcpServers"]["local"]["args"].size(), 3u);
    // What is written reads back as the same server.
    const auto back = ServersConfigIo::parse(r.text);
    QVERIFY(back.config);
    QCOMPARE(back.config->servers.front().args, stdioServer("local").args);
}

void TestServersEdit::addKeepsEverythingElse() {
    const auto r = ServersEdit::add(kServers, stdioServer("new"));
    QVERIFY(r.error.isEmpty());
    const ordered_json doc = parsed(r.text);
    QCOMPARE(keysOf(doc), (QStringList{QStringLiteral("$schema"), QStringLiteral("mcpServers"),
                                       QStringLiteral("editor")}));
    QCOMPARE(keysOf(doc["mcpServers"]),
             (QStringList{QStringLiteral("zeta"), QStringLiteral("alpha"), QStringLiteral("mid"),
                          QStringLiteral("new")}));
    QVERIFY(doc["mcpServers"]["zeta"] == parsed(kServers)["mcpServers"]["zeta"]);
    QVERIFY(doc["editor"]["tabSize"] == 2);
}

void TestServersEdit::addRefusesTakenAndInvalidNames() {
    auto r = ServersEdit::add(kServers, stdioServer("alpha"));
    QVERIFY(r.text.empty());
    QVERIFY(r.error.contains(QLatin1String("already has")));
    r = ServersEdit::add(kServers, stdioServer("Local DB"));
    QVERIFY(r.text.empty());
    QVERIFY(r.error.contains(QLatin1String("not a valid server name")));
}

void TestServersEdit::replaceInPlaceKeepsForeignKeys() {
    const auto found = ServersEdit::find(kServers, "zeta");
    QVERIFY(found.server);
    ServerConfig s = *found.server;
    s.args << QStringLiteral("--verbose");
    s.env[QStringLiteral("TOKEN")] = QStringLiteral("t");
    s.trusted = true;
    const auto r = ServersEdit::replace(kServers, "zeta", s);
    QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
    const ordered_json zeta = parsed(r.text)["mcpServers"]["zeta"];
    // The old keys where they were (the hand-written "comment" too), the new ones after.
    QCOMPARE(keysOf(zeta), (QStringList{QStringLiteral("command"), QStringLiteral("args"),
                                        QStringLiteral("comment"), QStringLiteral("env"),
                                        QStringLiteral("trusted")}));
    QCOMPARE(zeta["args"].size(), 3u);
    QVERIFY(zeta["comment"] == "kept by hand");
    QCOMPARE(keysOf(parsed(r.text)["mcpServers"]),
             (QStringList{QStringLiteral("zeta"), QStringLiteral("alpha"), QStringLiteral("mid")}));
}

void TestServersEdit::replaceUnchangedIsIdentity() {
    // "type" in another spelling and an explicit timeout survive an edit that changes nothing.
    const std::string text = parsed(kServers).dump(2) + "\n";
    for (const std::string key : {"zeta", "alpha", "mid"}) {
        const auto found = ServersEdit::find(text, key);
        QVERIFY(found.server);
        const auto r = ServersEdit::replace(text, key, *found.server);
        QVERIFY(r.error.isEmpty());
        QCOMPARE(QString::fromStdString(r.text), QString::fromStdString(text));
    }
}

void TestServersEdit::replaceRenamesAtTheSamePosition() {
    auto s = *ServersEdit::find(kServers, "alpha").server;
    s.key = "beta";
    const auto r = ServersEdit::replace(kServers, "alpha", s);
    QVERIFY(r.error.isEmpty());
    const ordered_json servers = parsed(r.text)["mcpServers"];
    QCOMPARE(keysOf(servers),
             (QStringList{QStringLiteral("zeta"), QStringLiteral("beta"), QStringLiteral("mid")}));
    QVERIFY(servers["beta"]["url"] == "https://alpha.example.com/mcp");
    QVERIFY(servers["beta"]["timeout_s"] == 30);
}

void TestServersEdit::replaceRefusesATakenName() {
    auto s = *ServersEdit::find(kServers, "alpha").server;
    s.key = "mid";
    const auto r = ServersEdit::replace(kServers, "alpha", s);
    QVERIFY(r.text.empty());
    QVERIFY(r.error.contains(QLatin1String("already has")));
    QVERIFY(!ServersEdit::replace(kServers, "gone", s).error.isEmpty());
}

void TestServersEdit::changingTransportDropsTheOldKeys() {
    ServerConfig s = stdioServer("alpha");
    s.timeoutS = 30;
    const auto r = ServersEdit::replace(kServers, "alpha", s);
    QVERIFY(r.error.isEmpty());
    const ordered_json alpha = parsed(r.text)["mcpServers"]["alpha"];
    QVERIFY(!alpha.contains("url"));
    QVERIFY(!alpha.contains("type")); // "streamable-http" no longer says what runs
    QVERIFY(alpha["command"] == "node");
    QVERIFY(alpha["timeout_s"] == 30);
    const auto back = ServersConfigIo::parse(r.text);
    QVERIFY(back.config);
    QCOMPARE(back.config->find("alpha")->transport, ServerConfig::Transport::Stdio);
}

void TestServersEdit::removeKeepsTheRest() {
    const auto r = ServersEdit::remove(kServers, "alpha");
    QVERIFY(r.error.isEmpty());
    const ordered_json doc = parsed(r.text);
    QCOMPARE(keysOf(doc["mcpServers"]),
             (QStringList{QStringLiteral("zeta"), QStringLiteral("mid")}));
    QVERIFY(doc["$schema"] == "https://example.com/servers.schema.json");
    QVERIFY(!ServersEdit::remove(kServers, "alpha-2").error.isEmpty());
}

void TestServersEdit::unreadableTextIsNeverOverwritten_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("broken") << QByteArray("{\"mcpServers\": {");
    QTest::newRow("array") << QByteArray("[]");
    QTest::newRow("servers not an object") << QByteArray("{\"mcpServers\": []}");
    QTest::newRow("deep") << QByteArray(200, '[') + QByteArray(200, ']');
}

void TestServersEdit::unreadableTextIsNeverOverwritten() {
    QFETCH(QByteArray, text);
    const std::string_view t(text.constData(), static_cast<std::size_t>(text.size()));
    for (const auto& r :
         {ServersEdit::add(t, stdioServer("a")), ServersEdit::replace(t, "a", stdioServer("a")),
          ServersEdit::remove(t, "a")}) {
        QVERIFY(r.text.empty());
        QVERIFY(!r.error.isEmpty());
    }
    QVERIFY(ServersEdit::serverNames(t).isEmpty());
    QVERIFY(!ServersEdit::find(t, "a").server);
    QVERIFY(!ServersEdit::problemWith(t).isEmpty());
}

void TestServersEdit::findReadsOneEntryAlone() {
    const char* text =
        "{\"mcpServers\": {\"bad\": {\"command\": 7}, \"good\": {\"url\": \"https://x/mcp\"}}}";
    const auto good = ServersEdit::find(text, "good");
    QVERIFY(good.server);
    QCOMPARE(good.server->key, "good");
    QCOMPARE(good.server->transport, ServerConfig::Transport::StreamableHttp);
    const auto bad = ServersEdit::find(text, "bad");
    QVERIFY(!bad.server);
    QVERIFY(bad.problems.first().contains(QLatin1String("mcpServers.bad.command")));
    QVERIFY(!ServersEdit::find(text, "none").problems.isEmpty());
}

void TestServersEdit::serverNamesInFileOrder() {
    QCOMPARE(ServersEdit::serverNames(kServers),
             (QStringList{QStringLiteral("zeta"), QStringLiteral("alpha"), QStringLiteral("mid")}));
    QVERIFY(ServersEdit::serverNames("").isEmpty());
    QVERIFY(ServersEdit::problemWith("").isEmpty());
    QVERIFY(ServersEdit::problemWith(kServers).isEmpty());
}

void TestServersEdit::launchLines_data() {
    QTest::addColumn<HostOs>("os");
    QTest::addColumn<QString>("cwd");
    QTest::addColumn<QStringList>("env"); // name, value, name, value, ...
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << HostOs::Linux << QString() << QStringList()
                           << QStringLiteral("node server.js --port 0");
    QTest::newRow("sh") << HostOs::Linux << QStringLiteral("/home/me/my dir")
                        << QStringList{QStringLiteral("TOKEN"), QStringLiteral("it's")}
                        << QStringLiteral("cd '/home/me/my dir' && TOKEN='it'\\''s' "
                                          "node server.js --port 0");
    QTest::newRow("sh odd name") << HostOs::MacOs << QString()
                                 << QStringList{QStringLiteral("A-B"), QStringLiteral("1"),
                                                QStringLiteral("C"), QStringLiteral("2")}
                                 << QStringLiteral("env A-B=1 C=2 node server.js --port 0");
    QTest::newRow("cmd") << HostOs::Windows << QStringLiteral("C:/Program Files/x")
                         << QStringList{QStringLiteral("TOKEN"), QStringLiteral("t")}
                         << QStringLiteral("cd /d \"C:/Program Files/x\" && set \"TOKEN=t\" && "
                                           "node server.js --port 0");
}

void TestServersEdit::launchLines() {
    QFETCH(HostOs, os);
    QFETCH(QString, cwd);
    QFETCH(QStringList, env);
    QFETCH(QString, expected);
    ServerConfig s = stdioServer("x");
    s.cwd = cwd;
    for (qsizetype i = 0; i + 1 < env.size(); i += 2)
        s.env[env[i]] = env[i + 1];
    QCOMPARE(LaunchLine::forServer(s, os), expected);

    ServerConfig http;
    http.transport = ServerConfig::Transport::StreamableHttp;
    http.url = QStringLiteral("https://x/mcp");
    QCOMPARE(LaunchLine::forServer(http, os), http.url);
    QCOMPARE(LaunchLine::shellWord(QString(), os),
             os == HostOs::Windows ? QStringLiteral("\"\"") : QStringLiteral("''"));
}

QTEST_GUILESS_MAIN(TestServersEdit)
#include "test_serversedit.moc"
