#include "workspace/clientsnippets.h"

#include <QTest>

#include <nlohmann/json.hpp>

using namespace portcullis;
using nlohmann::json;
using Transport = ClientSnippet::Transport;

Q_DECLARE_METATYPE(portcullis::ClientApp)
Q_DECLARE_METATYPE(portcullis::ClientSnippet::Transport)

namespace {

GatewayConnection connection() {
    return {QStringLiteral("http://127.0.0.1:8765/mcp"), QStringLiteral("s3cr3t+Tok/en=="),
            QStringLiteral("/usr/bin/portcullis-bridge"),
            QStringLiteral("/home/me/.config/portcullis/.portcullis-token")};
}

const ClientSnippet* pick(const std::vector<ClientSnippet>& all, ClientApp app,
                          Transport transport) {
    for (const ClientSnippet& s : all) {
        if (s.app == app && s.transport == transport)
            return &s;
    }
    return nullptr;
}

// Strings as they are, anything else as compact JSON: QCOMPARE cannot take json itself.
QString str(const json& j) {
    return QString::fromStdString(j.is_string() ? j.get<std::string>() : j.dump());
}

json parsed(const ClientSnippet& s) {
    return json::parse(s.text.toStdString());
}

} // namespace

class TestClientSnippets final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyAppHasItsVariants();
    void jsonSnippets_data();
    void jsonSnippets();
    void claudeCodeCommands();
    void maskedTokenNeverShows();
    void withoutTokenFileTheTokenGoesInEnv();
    void windowsQuotingAndHints();
    void awkwardPathsAreQuoted();
};

void TestClientSnippets::everyAppHasItsVariants() {
    const auto all = ClientSnippets::all(connection(), TokenDisplay::Real, HostOs::Linux);
    QCOMPARE(all.size(), 7u);
    // Claude Desktop starts only commands from its file: no HTTP variant.
    QVERIFY(!pick(all, ClientApp::ClaudeDesktop, Transport::Http));
    for (const ClientApp app : kClientApps) {
        QVERIFY(pick(all, app, Transport::Stdio));
        if (app != ClientApp::ClaudeDesktop)
            QVERIFY(pick(all, app, Transport::Http));
    }
    for (const ClientSnippet& s : all) {
        QVERIFY(s.title.startsWith(clientAppName(s.app)));
        QVERIFY(!s.where.isEmpty());
        QVERIFY(s.text.contains(QStringLiteral("http://127.0.0.1:8765/mcp")));
        QCOMPARE(s.isJson, s.app != ClientApp::ClaudeCode);
    }
    QCOMPARE(ClientSnippets::forApp(ClientApp::Cursor, connection(), TokenDisplay::Real).size(),
             2u);
}

void TestClientSnippets::jsonSnippets_data() {
    QTest::addColumn<ClientApp>("app");
    QTest::addColumn<Transport>("transport");
    QTest::addColumn<QString>("section");
    QTest::addColumn<QString>("type"); // empty: no "type" key
    QTest::newRow("claude desktop stdio") << ClientApp::ClaudeDesktop << Transport::Stdio
                                          << QStringLiteral("mcpServers") << QString();
    QTest::newRow("cursor http") << ClientApp::Cursor << Transport::Http
                                 << QStringLiteral("mcpServers") << QString();
    QTest::newRow("cursor stdio") << ClientApp::Cursor << Transport::Stdio
                                  << QStringLiteral("mcpServers") << QString();
    QTest::newRow("vscode http") << ClientApp::VsCode << Transport::Http
                                 << QStringLiteral("servers") << QStringLiteral("http");
    QTest::newRow("vscode stdio") << ClientApp::VsCode << Transport::Stdio
                                  << QStringLiteral("servers") << QStringLiteral("stdio");
}

void TestClientSnippets::jsonSnippets() {
    QFETCH(ClientApp, app);
    QFETCH(Transport, transport);
    QFETCH(QString, section);
    QFETCH(QString, type);
    const auto all = ClientSnippets::forApp(app, connection(), TokenDisplay::Real, HostOs::Linux);
    const ClientSnippet* s = pick(all, app, transport);
    QVERIFY(s);
    QVERIFY(s->isJson);
    const json doc = parsed(*s);
    QCOMPARE(doc.size(), std::size_t(1));
    const json& entry = doc.at(section.toStdString()).at("portcullis");
    if (type.isEmpty())
        QVERIFY(!entry.contains("type"));
    else
        QCOMPARE(str(entry.at("type")), type);
    if (transport == Transport::Http) {
        QCOMPARE(str(entry.at("url")), QStringLiteral("http://127.0.0.1:8765/mcp"));
        QCOMPARE(str(entry.at("headers").at("Authorization")),
                 QStringLiteral("Bearer s3cr3t+Tok/en=="));
        QVERIFY(!entry.contains("command"));
    } else {
        QCOMPARE(str(entry.at("command")), QStringLiteral("/usr/bin/portcullis-bridge"));
        QCOMPARE(str(entry.at("args")),
                 QStringLiteral("[\"--url\",\"http://127.0.0.1:8765/mcp\",\"--token-file\","
                                "\"/home/me/.config/portcullis/.portcullis-token\"]"));
        QVERIFY(!entry.contains("env"));
        // The bridge reads the token from its file; the snippet never carries it.
        QVERIFY(!s->text.contains(QStringLiteral("s3cr3t")));
    }
}

void TestClientSnippets::claudeCodeCommands() {
    const auto all = ClientSnippets::forApp(ClientApp::ClaudeCode, connection(), TokenDisplay::Real,
                                            HostOs::Linux);
    const ClientSnippet* http = pick(all, ClientApp::ClaudeCode, Transport::Http);
    QVERIFY(http);
    QCOMPARE(http->text, QStringLiteral("claude mcp add --transport http --scope user portcullis "
                                        "http://127.0.0.1:8765/mcp --header 'Authorization: "
                                        "Bearer s3cr3t+Tok/en=='"));
    QCOMPARE(http->where, QStringLiteral("run in a terminal"));
    const ClientSnippet* stdio = pick(all, ClientApp::ClaudeCode, Transport::Stdio);
    QVERIFY(stdio);
    QCOMPARE(stdio->text,
             QStringLiteral("claude mcp add --transport stdio --scope user portcullis -- "
                            "/usr/bin/portcullis-bridge --url http://127.0.0.1:8765/mcp "
                            "--token-file /home/me/.config/portcullis/.portcullis-token"));
}

void TestClientSnippets::maskedTokenNeverShows() {
    const auto masked = ClientSnippets::all(connection(), TokenDisplay::Masked, HostOs::Linux);
    const QString mask = QString::fromUtf16(ClientSnippets::kMask);
    for (const ClientSnippet& s : masked) {
        QVERIFY2(!s.text.contains(QStringLiteral("s3cr3t")), qPrintable(s.text));
        if (s.transport == Transport::Http)
            QVERIFY2(s.text.contains(QStringLiteral("Bearer ") + mask), qPrintable(s.text));
        if (s.isJson)
            parsed(s); // still valid JSON with the mask in it
    }
    const auto real = ClientSnippets::all(connection(), TokenDisplay::Real, HostOs::Linux);
    QCOMPARE(real.size(), masked.size());
    for (const ClientSnippet& s : real) {
        QVERIFY(!s.text.contains(mask));
        if (s.transport == Transport::Http)
            QVERIFY(s.text.contains(QStringLiteral("Bearer s3cr3t+Tok/en==")));
    }
}

void TestClientSnippets::withoutTokenFileTheTokenGoesInEnv() {
    GatewayConnection c = connection();
    c.tokenFile.clear();
    const auto all = ClientSnippets::all(c, TokenDisplay::Real, HostOs::Linux);
    const ClientSnippet* desktop = pick(all, ClientApp::ClaudeDesktop, Transport::Stdio);
    QVERIFY(desktop);
    const json entry = parsed(*desktop).at("mcpServers").at("portcullis");
    QCOMPARE(str(entry.at("args")), QStringLiteral("[\"--url\",\"http://127.0.0.1:8765/mcp\"]"));
    QCOMPARE(str(entry.at("env").at("PORTCULLIS_TOKEN")), QStringLiteral("s3cr3t+Tok/en=="));
    const ClientSnippet* code = pick(all, ClientApp::ClaudeCode, Transport::Stdio);
    QVERIFY(code);
    QCOMPARE(code->text,
             QStringLiteral("claude mcp add --transport stdio --scope user --env "
                            "PORTCULLIS_TOKEN=s3cr3t+Tok/en== portcullis -- "
                            "/usr/bin/portcullis-bridge --url http://127.0.0.1:8765/mcp"));
    const auto masked = ClientSnippets::all(c, TokenDisplay::Masked, HostOs::Linux);
    for (const ClientSnippet& s : masked)
        QVERIFY(!s.text.contains(QStringLiteral("s3cr3t")));
}

void TestClientSnippets::windowsQuotingAndHints() {
    GatewayConnection c = connection();
    c.bridgePath = QStringLiteral("C:/Program Files/Portcullis/portcullis-bridge.exe");
    c.tokenFile = QStringLiteral("C:/Users/me/AppData/Roaming/Portcullis/token");
    const auto all = ClientSnippets::all(c, TokenDisplay::Real, HostOs::Windows);
    const ClientSnippet* code = pick(all, ClientApp::ClaudeCode, Transport::Stdio);
    QVERIFY(code);
    QVERIFY2(code->text.contains(
                 QStringLiteral("-- \"C:/Program Files/Portcullis/portcullis-bridge.exe\" --url")),
             qPrintable(code->text));
    const ClientSnippet* http = pick(all, ClientApp::ClaudeCode, Transport::Http);
    QVERIFY(
        http->text.endsWith(QStringLiteral("--header \"Authorization: Bearer s3cr3t+Tok/en==\"")));
    QCOMPARE(pick(all, ClientApp::ClaudeDesktop, Transport::Stdio)->where,
             QStringLiteral("%APPDATA%\\Claude\\claude_desktop_config.json, under \"mcpServers\""));
    QVERIFY(pick(all, ClientApp::Cursor, Transport::Http)
                ->where.startsWith(QStringLiteral("%USERPROFILE%\\.cursor\\mcp.json")));
    QVERIFY(pick(all, ClientApp::VsCode, Transport::Http)
                ->where.startsWith(QStringLiteral("%APPDATA%\\Code\\User\\mcp.json")));
    const json entry =
        parsed(*pick(all, ClientApp::VsCode, Transport::Stdio)).at("servers").at("portcullis");
    QCOMPARE(str(entry.at("command")),
             QStringLiteral("C:/Program Files/Portcullis/portcullis-bridge.exe"));

    const auto onLinux = ClientSnippets::all(connection(), TokenDisplay::Real, HostOs::Linux);
    QVERIFY(pick(onLinux, ClientApp::ClaudeDesktop, Transport::Stdio)
                ->where.startsWith(QStringLiteral("~/.config/Claude/claude_desktop_config.json")));
    const auto mac = ClientSnippets::all(connection(), TokenDisplay::Real, HostOs::MacOs);
    QVERIFY(
        pick(mac, ClientApp::VsCode, Transport::Stdio)
            ->where.startsWith(QStringLiteral("~/Library/Application Support/Code/User/mcp.json")));
}

void TestClientSnippets::awkwardPathsAreQuoted() {
    GatewayConnection c = connection();
    c.tokenFile = QStringLiteral("/home/me/it's here/token");
    c.token = QStringLiteral("a$b");
    const auto all = ClientSnippets::all(c, TokenDisplay::Real, HostOs::Linux);
    const ClientSnippet* code = pick(all, ClientApp::ClaudeCode, Transport::Stdio);
    QVERIFY(code->text.endsWith(QStringLiteral("--token-file '/home/me/it'\\''s here/token'")));
    QVERIFY(pick(all, ClientApp::ClaudeCode, Transport::Http)
                ->text.endsWith(QStringLiteral("'Authorization: Bearer a$b'")));
    // JSON escaping is the JSON library's business; the path comes back as it went in.
    const json entry =
        parsed(*pick(all, ClientApp::Cursor, Transport::Stdio)).at("mcpServers").at("portcullis");
    QCOMPARE(str(entry.at("args").at(3)), QStringLiteral("/home/me/it's here/token"));
}

QTEST_GUILESS_MAIN(TestClientSnippets)
#include "test_clientsnippets.moc"
