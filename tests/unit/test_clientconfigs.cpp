#include "workspace/clientconfigs.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using namespace portcullis;
namespace Import = portcullis::ClientConfigImport;
using Transport = ServerConfig::Transport;

Q_DECLARE_METATYPE(portcullis::HostOs)
Q_DECLARE_METATYPE(portcullis::ClientApp)

namespace {

QString fixturePath(const char* name) {
    return QStringLiteral(PORTCULLIS_SOURCE_DIR "/tests/data/clientconfigs/") +
           QString::fromUtf8(name);
}

ClientConfigPreview fixture(ClientApp app, const char* name) {
    return Import::previewFile(app, fixturePath(name));
}

const ImportCandidate* find(const ClientConfigPreview& p, const QString& name,
                            const QString& origin = {}) {
    for (const ImportCandidate& c : p.candidates) {
        if (c.name == name && c.origin == origin)
            return &c;
    }
    return nullptr;
}

QStringList names(const ClientConfigPreview& p) {
    QStringList out;
    for (const ImportCandidate& c : p.candidates)
        out << c.name;
    return out;
}

bool anyContains(const QStringList& list, const QString& part) {
    return std::any_of(list.begin(), list.end(),
                       [&](const QString& s) { return s.contains(part); });
}

// Strings as they are, anything else as compact JSON: QCOMPARE cannot take json itself.
template <typename Json> QString str(const Json& j) {
    return QString::fromStdString(j.is_string() ? j.template get<std::string>() : j.dump());
}

std::string text(const QByteArray& bytes) {
    return bytes.toStdString();
}

} // namespace

class TestClientConfigs final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void userLocations_data();
    void userLocations();
    void runningSystemLocationsFollowHomeAndXdg();
    void projectLocations();

    void claudeDesktopFile();
    void claudeCodeUserAndProjectServers();
    void cursorFile();
    void vsCodeJsoncWithInputs();
    void settingsJsonMcpSection();
    void jsoncElsewhereIsReadWithANote();
    void commentMarkersInsideStringsStay();
    void brokenFiles_data();
    void brokenFiles();
    void entryProblems_data();
    void entryProblems();
    void bridgeDetection_data();
    void bridgeDetection();
    void unreadableFile();

    void applyInputValuesFillsPlaceholders();
    void entryJsonReadsBackAsTheSameServer();
    void mergeIntoEmptyText();
    void mergeKeepsExistingEntriesAndKeys();
    void mergeRenamesOnConflict();
    void mergeSkipsIdenticalPortcullisAndBroken();
    void mergeRefusesUnreadableServersJson_data();
    void mergeRefusesUnreadableServersJson();
};

void TestClientConfigs::userLocations_data() {
    QTest::addColumn<HostOs>("os");
    QTest::addColumn<QString>("home");
    QTest::addColumn<QString>("appData");
    QTest::addColumn<ClientApp>("app");
    QTest::addColumn<QString>("path");

    const QString lin = QStringLiteral("/home/me");
    const QString mac = QStringLiteral("/Users/me");
    const QString win = QStringLiteral("C:/Users/me");
    const QString winAppData = QStringLiteral("C:/Users/me/AppData/Roaming");
    auto row = [](const char* name, HostOs os, const QString& home, const QString& appData,
                  ClientApp app, const char* path) {
        QTest::newRow(name) << os << home << appData << app << QString::fromUtf8(path);
    };
    row("linux claude desktop", HostOs::Linux, lin, {}, ClientApp::ClaudeDesktop,
        "/home/me/.config/Claude/claude_desktop_config.json");
    row("linux claude desktop xdg", HostOs::Linux, lin, QStringLiteral("/srv/cfg"),
        ClientApp::ClaudeDesktop, "/srv/cfg/Claude/claude_desktop_config.json");
    row("linux claude code", HostOs::Linux, lin, {}, ClientApp::ClaudeCode,
        "/home/me/.claude.json");
    row("linux cursor", HostOs::Linux, lin, {}, ClientApp::Cursor, "/home/me/.cursor/mcp.json");
    row("linux vscode", HostOs::Linux, lin, {}, ClientApp::VsCode,
        "/home/me/.config/Code/User/mcp.json");
    row("linux vscode xdg", HostOs::Linux, lin, QStringLiteral("/srv/cfg/"), ClientApp::VsCode,
        "/srv/cfg/Code/User/mcp.json");
    row("macos claude desktop", HostOs::MacOs, mac, QStringLiteral("/ignored"),
        ClientApp::ClaudeDesktop,
        "/Users/me/Library/Application Support/Claude/claude_desktop_config.json");
    row("macos claude code", HostOs::MacOs, mac, {}, ClientApp::ClaudeCode,
        "/Users/me/.claude.json");
    row("macos cursor", HostOs::MacOs, mac, {}, ClientApp::Cursor, "/Users/me/.cursor/mcp.json");
    row("macos vscode", HostOs::MacOs, mac, {}, ClientApp::VsCode,
        "/Users/me/Library/Application Support/Code/User/mcp.json");
    row("windows claude desktop", HostOs::Windows, win, winAppData, ClientApp::ClaudeDesktop,
        "C:/Users/me/AppData/Roaming/Claude/claude_desktop_config.json");
    row("windows claude desktop default appdata", HostOs::Windows, win, {},
        ClientApp::ClaudeDesktop, "C:/Users/me/AppData/Roaming/Claude/claude_desktop_config.json");
    row("windows claude code", HostOs::Windows, win, winAppData, ClientApp::ClaudeCode,
        "C:/Users/me/.claude.json");
    row("windows cursor", HostOs::Windows, win, winAppData, ClientApp::Cursor,
        "C:/Users/me/.cursor/mcp.json");
    row("windows vscode", HostOs::Windows, win, winAppData, ClientApp::VsCode,
        "C:/Users/me/AppData/Roaming/Code/User/mcp.json");
}

void TestClientConfigs::userLocations() {
    QFETCH(HostOs, os);
    QFETCH(QString, home);
    QFETCH(QString, appData);
    QFETCH(ClientApp, app);
    QFETCH(QString, path);
    const auto locations = clientConfigLocations(os, home, appData);
    QCOMPARE(locations.size(), std::size(kClientApps));
    int found = 0;
    for (const ClientConfigLocation& l : locations) {
        QCOMPARE(l.scope, ClientConfigLocation::Scope::User);
        if (l.app == app) {
            QCOMPARE(l.path, path);
            ++found;
        }
    }
    QCOMPARE(found, 1);
}

void TestClientConfigs::runningSystemLocationsFollowHomeAndXdg() {
    if (currentHostOs() != HostOs::Linux)
        QSKIP("reads HOME and XDG_CONFIG_HOME, which only Linux uses this way");
    QTemporaryDir home;
    QVERIFY(home.isValid());
    const QByteArray oldHome = qgetenv("HOME");
    const QByteArray oldXdg = qgetenv("XDG_CONFIG_HOME");
    qputenv("HOME", QFile::encodeName(home.path()));
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(home.path() + QStringLiteral("/xdg")));
    const auto locations = clientConfigLocations();
    qputenv("HOME", oldHome);
    if (oldXdg.isNull())
        qunsetenv("XDG_CONFIG_HOME");
    else
        qputenv("XDG_CONFIG_HOME", oldXdg);

    // Put a file where each app keeps one; every location must name an existing file.
    const QStringList files{QStringLiteral("xdg/Claude/claude_desktop_config.json"),
                            QStringLiteral(".claude.json"), QStringLiteral(".cursor/mcp.json"),
                            QStringLiteral("xdg/Code/User/mcp.json")};
    for (const QString& f : files) {
        const QString path = home.filePath(f);
        QVERIFY(QDir().mkpath(QFileInfo(path).path()));
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(R"({"mcpServers": {}})");
    }
    QCOMPARE(locations.size(), files.size());
    for (const ClientConfigLocation& l : locations) {
        QVERIFY2(l.path.startsWith(home.path()), qPrintable(l.path));
        QVERIFY2(QFile::exists(l.path), qPrintable(l.path));
        QVERIFY(Import::previewFile(l.app, l.path).errors.isEmpty());
    }
}

void TestClientConfigs::projectLocations() {
    const auto locations = projectConfigLocations(QStringLiteral("/home/me/src/shop"));
    QCOMPARE(locations.size(), 3u);
    QCOMPARE(locations[0].app, ClientApp::ClaudeCode);
    QCOMPARE(locations[0].path, QStringLiteral("/home/me/src/shop/.mcp.json"));
    QCOMPARE(locations[1].app, ClientApp::Cursor);
    QCOMPARE(locations[1].path, QStringLiteral("/home/me/src/shop/.cursor/mcp.json"));
    QCOMPARE(locations[2].app, ClientApp::VsCode);
    QCOMPARE(locations[2].path, QStringLiteral("/home/me/src/shop/.vscode/mcp.json"));
    for (const ClientConfigLocation& l : locations)
        QCOMPARE(l.scope, ClientConfigLocation::Scope::Project);
}

void TestClientConfigs::claudeDesktopFile() {
    const auto p = fixture(ClientApp::ClaudeDesktop, "claude_desktop_config.json");
    QCOMPARE(p.errors, QStringList());
    QCOMPARE(p.notes, QStringList());
    QCOMPARE(names(p), (QStringList{QStringLiteral("filesystem"), QStringLiteral("github"),
                                    QStringLiteral("portcullis")}));

    const ImportCandidate* fs = find(p, QStringLiteral("filesystem"));
    QVERIFY(fs);
    QVERIFY(fs->importable());
    QCOMPARE(QString::fromStdString(fs->server.key), QStringLiteral("filesystem"));
    QCOMPARE(fs->server.transport, Transport::Stdio);
    QCOMPARE(fs->server.command, QStringLiteral("npx"));
    QCOMPARE(fs->server.args.size(), 4);
    QCOMPARE(fs->server.args.last(), QStringLiteral("/Users/me/Downloads"));
    QCOMPARE(fs->notes, QStringList());

    const ImportCandidate* gh = find(p, QStringLiteral("github"));
    QVERIFY(gh);
    QVERIFY(gh->importable());
    QCOMPARE(gh->server.env.at(QStringLiteral("GITHUB_PERSONAL_ACCESS_TOKEN")),
             QStringLiteral("ghp_0123456789abcdefghijklmnopqrstuvwxyz"));

    const ImportCandidate* self = find(p, QStringLiteral("portcullis"));
    QVERIFY(self);
    QVERIFY(self->pointsAtPortcullis);
    QVERIFY(!self->importable());
    QVERIFY(anyContains(self->notes, QStringLiteral("Portcullis itself")));
}

void TestClientConfigs::claudeCodeUserAndProjectServers() {
    const auto p = fixture(ClientApp::ClaudeCode, "claude.json");
    QCOMPARE(p.errors, QStringList());
    // User servers first, then each project's, in file order; the empty project adds none.
    QCOMPARE(names(p), (QStringList{QStringLiteral("sentry"), QStringLiteral("context7"),
                                    QStringLiteral("api"), QStringLiteral("postgres"),
                                    QStringLiteral("context7")}));

    const ImportCandidate* sentry = find(p, QStringLiteral("sentry"));
    QVERIFY(sentry);
    QVERIFY(sentry->importable());
    QCOMPARE(sentry->server.transport, Transport::StreamableHttp);
    QCOMPARE(sentry->server.url, QStringLiteral("https://mcp.sentry.dev/mcp"));

    const ImportCandidate* api = find(p, QStringLiteral("api"));
    QVERIFY(api);
    QVERIFY(api->importable());
    QCOMPARE(api->server.transport, Transport::LegacySse);
    QCOMPARE(api->server.headers.at(QStringLiteral("Authorization")),
             QStringLiteral("Bearer ${API_KEY}"));
    QVERIFY(anyContains(api->notes, QStringLiteral("${API_BASE_URL:-https://api.example.com}")));
    QVERIFY(anyContains(api->notes, QStringLiteral("${API_KEY}")));
    QVERIFY(api->inputs.empty());

    const ImportCandidate* pg =
        find(p, QStringLiteral("postgres"), QStringLiteral("/home/me/src/shop"));
    QVERIFY(pg);
    QVERIFY(pg->importable());
    QCOMPARE(pg->server.args.last(), QStringLiteral("postgresql://localhost/shop"));
    QVERIFY(find(p, QStringLiteral("context7"), QStringLiteral("/home/me/src/shop")));
    QVERIFY(find(p, QStringLiteral("context7")));
}

void TestClientConfigs::cursorFile() {
    const auto p = fixture(ClientApp::Cursor, "cursor-mcp.json");
    QCOMPARE(p.errors, QStringList());
    QCOMPARE(p.notes, QStringList());
    QCOMPARE(p.candidates.size(), 4u);

    const ImportCandidate* linear = find(p, QStringLiteral("linear"));
    QVERIFY(linear);
    // A URL alone is a remote server; the transport falls back to SSE by itself if needed.
    QCOMPARE(linear->server.transport, Transport::StreamableHttp);

    const ImportCandidate* notion = find(p, QStringLiteral("notion"));
    QVERIFY(notion);
    QVERIFY(notion->importable());
    QVERIFY(anyContains(notion->notes, QStringLiteral("${env:NOTION_TOKEN}")));

    const ImportCandidate* db = find(p, QStringLiteral("Local DB"));
    QVERIFY(db);
    QVERIFY(db->importable());
    QCOMPARE(QString::fromStdString(db->server.key), QStringLiteral("Local-DB"));
    QVERIFY(anyContains(db->notes, QStringLiteral("renamed to \"Local-DB\"")));
    QVERIFY(anyContains(db->notes, QStringLiteral("\"envFile\"")));
    QVERIFY(anyContains(db->notes, QStringLiteral("${workspaceFolder}")));
}

void TestClientConfigs::vsCodeJsoncWithInputs() {
    const auto p = fixture(ClientApp::VsCode, "vscode-mcp.json");
    QCOMPARE(p.errors, QStringList());
    // VS Code itself accepts comments and trailing commas: nothing to say about them.
    QCOMPARE(p.notes, QStringList());
    QCOMPARE(names(p), (QStringList{QStringLiteral("github"), QStringLiteral("memory"),
                                    QStringLiteral("sock"), QStringLiteral("gateway")}));

    const ImportCandidate* gh = find(p, QStringLiteral("github"));
    QVERIFY(gh);
    QVERIFY(gh->importable());
    QCOMPARE(gh->server.transport, Transport::StreamableHttp);
    QCOMPARE(gh->inputs.size(), 1u);
    QCOMPARE(gh->inputs[0].id, QStringLiteral("github_token"));
    QCOMPARE(gh->inputs[0].description, QStringLiteral("GitHub Personal Access Token"));
    QVERIFY(gh->inputs[0].password);
    QVERIFY(gh->inputs[0].note.contains(QStringLiteral("${input:github_token}")));
    QVERIFY(gh->inputs[0].note.contains(QStringLiteral("VS Code")));

    const ImportCandidate* memory = find(p, QStringLiteral("memory"));
    QVERIFY(memory);
    QVERIFY(memory->importable());
    QCOMPARE(memory->server.env.at(QStringLiteral("MEMORY_FILE_PATH")),
             QStringLiteral("${workspaceFolder}/.memory.json"));

    const ImportCandidate* sock = find(p, QStringLiteral("sock"));
    QVERIFY(sock);
    QVERIFY(!sock->importable());
    QVERIFY(anyContains(sock->problems, QStringLiteral("unix:///tmp/mcp.sock#/mcp")));

    const ImportCandidate* gateway = find(p, QStringLiteral("gateway"));
    QVERIFY(gateway);
    QVERIFY(gateway->pointsAtPortcullis);
    QVERIFY(anyContains(gateway->notes, QStringLiteral("\"dev\"")));
}

void TestClientConfigs::settingsJsonMcpSection() {
    const auto p = Import::preview(ClientApp::VsCode, R"({
        "editor.fontSize": 14,
        "mcp": {
            "inputs": [{"type": "promptString", "id": "key", "description": "API key"}],
            "servers": {"fetch": {"command": "uvx", "args": ["mcp-server-fetch"],
                                  "env": {"KEY": "${input:key}"}}}
        }
    })");
    QCOMPARE(p.errors, QStringList());
    QCOMPARE(names(p), QStringList{QStringLiteral("fetch")});
    QCOMPARE(p.candidates[0].inputs.size(), 1u);
    QCOMPARE(p.candidates[0].inputs[0].description, QStringLiteral("API key"));
    QVERIFY(!p.candidates[0].inputs[0].password);
}

void TestClientConfigs::jsoncElsewhereIsReadWithANote() {
    const auto p = Import::preview(ClientApp::Cursor, R"({
        // mine
        "mcpServers": {"a": {"command": "a",},},
    })");
    QCOMPARE(p.errors, QStringList());
    QCOMPARE(names(p), QStringList{QStringLiteral("a")});
    QVERIFY(anyContains(p.notes, QStringLiteral("Cursor may refuse")));
}

void TestClientConfigs::commentMarkersInsideStringsStay() {
    const auto p = Import::preview(
        ClientApp::VsCode,
        R"({"servers": {"x": {"command": "a//b", "args": ["/*", "*/", ",]", "say \"//\","]}}})");
    QCOMPARE(p.errors, QStringList());
    QCOMPARE(p.candidates.size(), 1u);
    QCOMPARE(p.candidates[0].server.command, QStringLiteral("a//b"));
    QCOMPARE(p.candidates[0].server.args,
             (QStringList{QStringLiteral("/*"), QStringLiteral("*/"), QStringLiteral(",]"),
                          QStringLiteral("say \"//\",")}));
}

void TestClientConfigs::brokenFiles_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("error");
    QTest::newRow("missing comma") << QByteArray("{\n  \"mcpServers\": {\n    \"a\": {\"command\": "
                                                 "\"x\"}\n    \"b\": {}\n  }\n}")
                                   << QStringLiteral("4:5: invalid JSON: ");
    QTest::newRow("cut short") << QByteArray("{\"mcpServers\": {")
                               << QStringLiteral("1:17: invalid JSON: "); // just past the end
    QTest::newRow("position after a comment")
        << QByteArray("{ /* é */ \"servers\": ] }") << QStringLiteral("1:22: invalid JSON: ");
    QTest::newRow("unclosed comment") << QByteArray("{\"servers\": {}} /* never closed")
                                      << QStringLiteral("1:17: invalid JSON: ");
    QTest::newRow("empty") << QByteArray("") << QStringLiteral("1:1: invalid JSON: ");
    QTest::newRow("array") << QByteArray("[]") << QStringLiteral("expected an object");
    QTest::newRow("no servers") << QByteArray(R"({"theme": "dark"})")
                                << QStringLiteral("no \"mcpServers\"");
    QTest::newRow("servers not an object") << QByteArray(R"({"mcpServers": []})")
                                           << QStringLiteral("\"mcpServers\" should be an object");
    QTest::newRow("too deep") << QByteArray(200, '[') << QStringLiteral("1:129: nesting deeper");
}

void TestClientConfigs::brokenFiles() {
    QFETCH(QByteArray, text);
    QFETCH(QString, error);
    const auto p = Import::preview(ClientApp::ClaudeDesktop, text.toStdString());
    QCOMPARE(p.errors.size(), 1);
    QVERIFY2(p.errors[0].startsWith(error), qPrintable(p.errors[0]));
    QVERIFY(p.candidates.empty());
}

void TestClientConfigs::entryProblems_data() {
    QTest::addColumn<QByteArray>("entry");
    QTest::addColumn<bool>("importable");
    QTest::addColumn<QString>("message");
    QTest::newRow("not an object")
        << QByteArray("\"npx\"") << false << QStringLiteral("expected an object");
    QTest::newRow("no command") << QByteArray(R"({"args": ["x"]})") << false
                                << QStringLiteral("no \"command\"");
    QTest::newRow("args not an array") << QByteArray(R"({"command": "x", "args": "-y"})") << false
                                       << QStringLiteral("\"args\" should be an array");
    QTest::newRow("http without url")
        << QByteArray(R"({"type": "http"})") << false << QStringLiteral("no \"url\"");
    QTest::newRow("unknown type") << QByteArray(R"({"type": "ws", "url": "ws://x"})") << false
                                  << QStringLiteral("unknown transport \"ws\"");
    QTest::newRow("env object inside env") << QByteArray(R"({"command": "x", "env": {"A": {}}})")
                                           << false << QStringLiteral("env.A should be a string");
    QTest::newRow("number in env") << QByteArray(R"({"command": "x", "env": {"PORT": 8080}})")
                                   << true << QStringLiteral("env.PORT is written as the string");
    QTest::newRow("oauth") << QByteArray(R"({"url": "https://x/mcp", "oauth": {"clientId": "1"}})")
                           << true << QStringLiteral("OAuth");
    QTest::newRow("unknown keys") << QByteArray(R"({"command": "x", "autoApprove": [], "z": 1})")
                                  << true << QStringLiteral("\"autoApprove\", \"z\"");
    QTest::newRow("disabled") << QByteArray(R"({"command": "x", "disabled": true})") << true
                              << QStringLiteral("imported switched off");
}

void TestClientConfigs::entryProblems() {
    QFETCH(QByteArray, entry);
    QFETCH(bool, importable);
    QFETCH(QString, message);
    const auto p = Import::preview(ClientApp::ClaudeCode,
                                   text(QByteArray(R"({"mcpServers": {"s": )") + entry + "}}"));
    QCOMPARE(p.errors, QStringList());
    QCOMPARE(p.candidates.size(), 1u);
    const ImportCandidate& c = p.candidates[0];
    QCOMPARE(c.importable(), importable);
    const QStringList& where = importable ? c.notes : c.problems;
    QVERIFY2(anyContains(where, message), qPrintable(where.join(QLatin1Char('|'))));
}

void TestClientConfigs::bridgeDetection_data() {
    QTest::addColumn<QByteArray>("entry");
    QTest::addColumn<bool>("portcullis");
    QTest::newRow("bridge by path")
        << QByteArray(R"({"command": "/opt/p/bin/portcullis-bridge"})") << true;
    QTest::newRow("gateway serve --stdio")
        << QByteArray(R"({"command": "portcullis-gateway", "args": ["serve", "--stdio"]})") << true;
    QTest::newRow("windows exe") << QByteArray(R"({"command": "C:\\Tools\\Portcullis-Bridge.EXE"})")
                                 << true;
    QTest::newRow("through env")
        << QByteArray(R"({"command": "/usr/bin/env", "args": ["portcullis-bridge", "--url", "u"]})")
        << true;
    QTest::newRow("shell line")
        << QByteArray(R"({"command": "sh", "args": ["-c", "portcullis-bridge --url u"]})") << true;
    QTest::newRow("other server") << QByteArray(R"({"command": "npx", "args": ["-y", "x"]})")
                                  << false;
    QTest::newRow("similar name")
        << QByteArray(R"({"command": "portcullis-bridge-tests", "args": ["/srv/portcullis"]})")
        << false;
}

void TestClientConfigs::bridgeDetection() {
    QFETCH(QByteArray, entry);
    QFETCH(bool, portcullis);
    const auto p = Import::preview(ClientApp::ClaudeDesktop,
                                   text(QByteArray(R"({"mcpServers": {"s": )") + entry + "}}"));
    QCOMPARE(p.candidates.size(), 1u);
    QCOMPARE(p.candidates[0].pointsAtPortcullis, portcullis);
}

void TestClientConfigs::unreadableFile() {
    const auto p = Import::previewFile(ClientApp::Cursor, QStringLiteral("/nonexistent/mcp.json"));
    QCOMPARE(p.errors.size(), 1);
    QVERIFY(p.errors[0].startsWith(QStringLiteral("cannot read /nonexistent/mcp.json")));
}

void TestClientConfigs::applyInputValuesFillsPlaceholders() {
    auto p = fixture(ClientApp::VsCode, "vscode-mcp.json");
    ImportCandidate gh = *find(p, QStringLiteral("github"));
    Import::applyInputValues(gh, {{QStringLiteral("other"), QStringLiteral("x")}});
    QCOMPARE(gh.inputs.size(), 1u);
    Import::applyInputValues(gh, {{QStringLiteral("github_token"), QStringLiteral("ghp_abc")}});
    QVERIFY(gh.inputs.empty());
    QCOMPARE(gh.server.headers.at(QStringLiteral("Authorization")),
             QStringLiteral("Bearer ghp_abc"));
}

void TestClientConfigs::entryJsonReadsBackAsTheSameServer() {
    const auto p = fixture(ClientApp::ClaudeCode, "claude.json");
    for (const ImportCandidate& c : p.candidates) {
        const std::string doc =
            R"({"mcpServers": {")" + c.server.key + R"(": )" + Import::entryJson(c.server) + "}}";
        const auto back = ServersConfigIo::parse(doc);
        QVERIFY2(back.config, doc.c_str());
        const ServerConfig& s = back.config->servers.at(0);
        QCOMPARE(s.transport, c.server.transport);
        QCOMPARE(s.command, c.server.command);
        QCOMPARE(s.args, c.server.args);
        QCOMPARE(s.env, c.server.env);
        QCOMPARE(s.url, c.server.url);
        QCOMPARE(s.headers, c.server.headers);
    }
}

void TestClientConfigs::mergeIntoEmptyText() {
    const auto p = fixture(ClientApp::Cursor, "cursor-mcp.json");
    const auto r = Import::merge("", p.candidates);
    QCOMPARE(r.error, QString());
    QCOMPARE(r.added, (QStringList{QStringLiteral("browser-tools"), QStringLiteral("linear"),
                                   QStringLiteral("notion"), QStringLiteral("Local-DB")}));
    QCOMPARE(r.reports, QStringList());
    const auto back = ServersConfigIo::parse(r.text);
    QVERIFY(back.problems.empty());
    QCOMPARE(back.config->servers.size(), 4u);
    QCOMPARE(back.config->find("linear")->transport, Transport::StreamableHttp);
    QCOMPARE(back.config->find("Local-DB")->args.size(), 3);
}

void TestClientConfigs::mergeKeepsExistingEntriesAndKeys() {
    const std::string existing = R"({
  "$comment": "kept",
  "mcpServers": {
    "demo": {"command": "build/app/portcullis-demo-server", "isolation": "per-session"}
  },
  "zzz": [1, 2]
})";
    const auto p = fixture(ClientApp::ClaudeDesktop, "claude_desktop_config.json");
    const auto r = Import::merge(existing, {*find(p, QStringLiteral("github"))});
    QCOMPARE(r.added, QStringList{QStringLiteral("github")});
    const auto doc = nlohmann::ordered_json::parse(r.text);
    QCOMPARE(str(doc["$comment"]), QStringLiteral("kept"));
    QCOMPARE(str(doc["zzz"]), QStringLiteral("[1,2]"));
    QCOMPARE(str(doc["mcpServers"]["demo"]["isolation"]), QStringLiteral("per-session"));
    // Existing keys keep their order; new ones come after.
    QCOMPARE(QString::fromStdString(doc.begin().key()), QStringLiteral("$comment"));
    QCOMPARE(QString::fromStdString(doc["mcpServers"].begin().key()), QStringLiteral("demo"));
    QCOMPARE(str(doc["mcpServers"]["github"]["command"]), QStringLiteral("docker"));
    QVERIFY(r.text.ends_with('\n'));
}

void TestClientConfigs::mergeRenamesOnConflict() {
    const std::string existing =
        R"({"mcpServers": {"sentry": {"command": "mine"}, "sentry-2": {"command": "also mine"}}})";
    const auto p = fixture(ClientApp::ClaudeCode, "claude.json");
    const auto r = Import::merge(
        existing, {*find(p, QStringLiteral("sentry")), *find(p, QStringLiteral("api"))});
    QCOMPARE(r.added, (QStringList{QStringLiteral("sentry-3"), QStringLiteral("api")}));
    QCOMPARE(r.reports.size(), 1);
    QVERIFY(r.reports[0].contains(QStringLiteral("\"sentry\" is already taken")));
    QVERIFY(r.reports[0].contains(QStringLiteral("\"sentry-3\"")));
    const auto doc = nlohmann::json::parse(r.text);
    QCOMPARE(str(doc["mcpServers"]["sentry"]["command"]), QStringLiteral("mine"));
    QCOMPARE(str(doc["mcpServers"]["sentry-3"]["url"]),
             QStringLiteral("https://mcp.sentry.dev/mcp"));

    // A long name keeps within 64 characters with its suffix.
    ImportCandidate longName = *find(p, QStringLiteral("sentry"));
    longName.server.key = std::string(64, 'n');
    const auto twice = Import::merge("", {longName, *find(p, QStringLiteral("api"))});
    auto renamed = longName;
    renamed.server.url = QStringLiteral("https://other.example/mcp");
    const auto r2 = Import::merge(twice.text, {renamed});
    QCOMPARE(r2.added, QStringList{QString(62, QLatin1Char('n')) + QStringLiteral("-2")});
}

void TestClientConfigs::mergeSkipsIdenticalPortcullisAndBroken() {
    const auto code = fixture(ClientApp::ClaudeCode, "claude.json");
    const auto desktop = fixture(ClientApp::ClaudeDesktop, "claude_desktop_config.json");
    const auto vscode = fixture(ClientApp::VsCode, "vscode-mcp.json");
    // context7 is both a user and a project server in the file, with the same definition.
    const auto r = Import::merge("", {code.candidates[1], code.candidates[4],
                                      *find(desktop, QStringLiteral("portcullis")),
                                      *find(vscode, QStringLiteral("sock"))});
    QCOMPARE(r.added, QStringList{QStringLiteral("context7")});
    QCOMPARE(r.reports.size(), 3);
    QVERIFY(r.reports[0].contains(QStringLiteral("already has it as \"context7\"")));
    QVERIFY(r.reports[1].contains(QStringLiteral("Portcullis itself")));
    QVERIFY(r.reports[2].startsWith(QStringLiteral("skipped \"sock\"")));
}

void TestClientConfigs::mergeRefusesUnreadableServersJson_data() {
    QTest::addColumn<QByteArray>("existing");
    QTest::newRow("invalid") << QByteArray("{\"mcpServers\": {");
    QTest::newRow("array") << QByteArray("[]");
    QTest::newRow("servers not an object") << QByteArray(R"({"mcpServers": 1})");
    QTest::newRow("comments") << QByteArray("// no\n{}");
}

void TestClientConfigs::mergeRefusesUnreadableServersJson() {
    QFETCH(QByteArray, existing);
    const auto p = fixture(ClientApp::Cursor, "cursor-mcp.json");
    const auto r = Import::merge(existing.toStdString(), p.candidates);
    QVERIFY(!r.error.isEmpty());
    QVERIFY(r.text.empty());
    QVERIFY(r.added.isEmpty());
}

QTEST_GUILESS_MAIN(TestClientConfigs)
#include "test_clientconfigs.moc"
