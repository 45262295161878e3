#include "ui/dialogs/connectdialog.h"
#include "ui/servers/importdialog.h"
#include "ui/servers/serverdialog.h"
#include "ui/servers/serverscontroller.h"
#include "ui/servers/serverspanel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include <nlohmann/json.hpp>

using namespace portcullis;
using namespace portcullis::ui;
using nlohmann::json;

namespace {

QString fixture(const char* name) {
    return QStringLiteral(PORTCULLIS_SOURCE_DIR "/tests/data/clientconfigs/") +
           QString::fromLatin1(name);
}

template <typename T> T* child(const QObject* parent, const QString& name) {
    T* found = parent->findChild<T*>(name);
    if (!found)
        qWarning("no child %s", qPrintable(name));
    return found;
}

QPushButton* okButton(const QDialog* dialog) {
    return dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
}

QTreeWidgetItem* itemNamed(QTreeWidget* tree, const QString& name) {
    const auto found = tree->findItems(name, Qt::MatchExactly);
    return found.isEmpty() ? nullptr : found.first();
}

GatewayConnection connection() {
    return {QStringLiteral("http://127.0.0.1:8765/mcp"), QStringLiteral("pcl_s3cr3t-T0ken"),
            QStringLiteral("/usr/bin/portcullis-bridge"),
            QStringLiteral("/home/me/.config/portcullis/.portcullis-token")};
}

void fillStdio(ServerDialog& d) {
    child<QLineEdit>(&d, QStringLiteral("nameField"))->clear();
    QTest::keyClicks(child<QLineEdit>(&d, QStringLiteral("nameField")), QStringLiteral("files"));
    child<QLineEdit>(&d, QStringLiteral("commandField"))->setText(QStringLiteral("npx"));
    child<QPlainTextEdit>(&d, QStringLiteral("argsField"))
        ->setPlainText(QStringLiteral("-y\n@modelcontextprotocol/server-filesystem\n"
                                      "/home/me/My Documents\n"));
    child<QPlainTextEdit>(&d, QStringLiteral("envField"))
        ->setPlainText(QStringLiteral("LOG_LEVEL=debug\n\n"));
    child<QLineEdit>(&d, QStringLiteral("cwdField"))->setText(QStringLiteral("/srv/mcp"));
}

// Where the screenshots go, when asked for.
QString screenshotsDir() {
    return qEnvironmentVariable("PORTCULLIS_SCREENSHOTS_DIR");
}

void save(QWidget& w, const QString& name) {
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(QDir().mkpath(screenshotsDir()));
    QVERIFY(w.grab().save(QDir(screenshotsDir()).filePath(name)));
}

} // namespace

class TestServerDialogs final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void stdioServer();
    void httpServer();
    void validation_data();
    void validation();
    void editKeepsWhatHasNoField();
    void importReadsInTheBackground();
    void importAsksForInputs();
    void importUnreadableFile();
    void appForFile_data();
    void appForFile();
    void connectMasksTheToken();
    void connectCopiesTheRealToken();
    void controllerAddEditRemove();
    void controllerImport();
    void screenshots();
};

void TestServerDialogs::stdioServer() {
    ServerDialog d;
    d.open();
    QVERIFY(!okButton(&d)->isEnabled());
    QVERIFY(child<QLabel>(&d, QStringLiteral("errorLabel"))->isVisibleTo(&d));
    fillStdio(d);
    QVERIFY2(d.isValid(), qPrintable(d.validationError()));
    QVERIFY(okButton(&d)->isEnabled());
    QVERIFY(!child<QLabel>(&d, QStringLiteral("errorLabel"))->isVisibleTo(&d));
    QVERIFY(!child<QLineEdit>(&d, QStringLiteral("urlField"))->isVisibleTo(&d));

    const ServerConfig s = d.server();
    QCOMPARE(s.key, "files");
    QCOMPARE(s.transport, ServerConfig::Transport::Stdio);
    QCOMPARE(s.command, QStringLiteral("npx"));
    QCOMPARE(s.args, (QStringList{QStringLiteral("-y"),
                                  QStringLiteral("@modelcontextprotocol/server-filesystem"),
                                  QStringLiteral("/home/me/My Documents")}));
    QCOMPARE(s.env.size(), 1u);
    QCOMPARE(s.env.at(QStringLiteral("LOG_LEVEL")), QStringLiteral("debug"));
    QCOMPARE(s.cwd, QStringLiteral("/srv/mcp"));

    const json entry = json::parse(d.entryJson());
    QVERIFY(entry["command"] == "npx");
    QCOMPARE(entry["args"].size(), 3u);
    QVERIFY(entry["cwd"] == "/srv/mcp");
    QVERIFY(!entry.contains("url"));

    // The whole launch, quoted the way a shell would need it, is on screen.
    const QString preview =
        child<QPlainTextEdit>(&d, QStringLiteral("commandLinePreview"))->toPlainText();
    QCOMPARE(preview, d.launchText());
    if (currentHostOs() != HostOs::Windows)
        QCOMPARE(preview, QStringLiteral("cd /srv/mcp && LOG_LEVEL=debug npx -y "
                                         "@modelcontextprotocol/server-filesystem "
                                         "'/home/me/My Documents'"));
}

void TestServerDialogs::httpServer() {
    ServerDialog d;
    d.show();
    child<QLineEdit>(&d, QStringLiteral("nameField"))->setText(QStringLiteral("sentry"));
    auto* transport = child<QComboBox>(&d, QStringLiteral("transportCombo"));
    transport->setCurrentIndex(
        transport->findData(static_cast<int>(ServerConfig::Transport::StreamableHttp)));
    QVERIFY(!child<QLineEdit>(&d, QStringLiteral("commandField"))->isVisibleTo(&d));
    QVERIFY(!d.isValid());
    child<QLineEdit>(&d, QStringLiteral("urlField"))
        ->setText(QStringLiteral(" https://mcp.sentry.dev/mcp "));
    child<QPlainTextEdit>(&d, QStringLiteral("headersField"))
        ->setPlainText(QStringLiteral("Authorization:  Bearer abc \nX-Team: core"));
    auto* isolation = child<QComboBox>(&d, QStringLiteral("isolationCombo"));
    isolation->setCurrentIndex(
        isolation->findData(static_cast<int>(ServerConfig::Isolation::PerSession)));
    child<QSpinBox>(&d, QStringLiteral("timeoutSpin"))->setValue(30);
    child<QCheckBox>(&d, QStringLiteral("trustedCheck"))->setChecked(true);
    child<QCheckBox>(&d, QStringLiteral("disabledCheck"))->setChecked(true);
    QVERIFY2(d.isValid(), qPrintable(d.validationError()));

    const ServerConfig s = d.server();
    QCOMPARE(s.url, QStringLiteral("https://mcp.sentry.dev/mcp"));
    QCOMPARE(s.headers.at(QStringLiteral("Authorization")), QStringLiteral("Bearer abc"));
    QCOMPARE(s.headers.at(QStringLiteral("X-Team")), QStringLiteral("core"));
    QVERIFY(s.command.isEmpty());
    const json entry = json::parse(d.entryJson());
    QVERIFY(entry["type"] == "http");
    QVERIFY(entry["isolation"] == "per-session");
    QVERIFY(entry["timeout_s"] == 30);
    QVERIFY(entry["trusted"] == true);
    QVERIFY(entry["disabled"] == true);
    QCOMPARE(child<QPlainTextEdit>(&d, QStringLiteral("commandLinePreview"))->toPlainText(), s.url);

    // What the dialog writes is what servers.json reads back.
    const auto back =
        ServersConfigIo::parse("{\"mcpServers\": {\"sentry\": " + d.entryJson() + "}}");
    QVERIFY(back.config);
    QCOMPARE(back.config->servers.front().headers, s.headers);
}

void TestServerDialogs::validation_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("stdio");
    QTest::addColumn<QString>("target"); // command or URL
    QTest::addColumn<QString>("lines");  // env or headers
    QTest::addColumn<QString>("error");  // a part of the message; empty: valid
    const auto row = [](const char* tag, const char* name, bool stdio, const char* target,
                        const char* lines, const char* error) {
        QTest::newRow(tag) << QString::fromUtf8(name) << stdio << QString::fromUtf8(target)
                           << QString::fromUtf8(lines) << QString::fromUtf8(error);
    };
    row("ok", "a", true, "x", "", "");
    row("no name", "", true, "x", "", "name");
    row("bad name", "Local DB", true, "x", "", "letters");
    row("taken", "taken", true, "x", "", "already");
    row("no command", "a", true, "  ", "", "command");
    row("env line", "a", true, "x", "A=1\nNOVALUE", "line 2");
    row("env no name", "a", true, "x", "=1", "NAME=value");
    row("no url", "a", false, "", "", "URL");
    row("ftp", "a", false, "ftp://x/mcp", "", "http");
    row("relative", "a", false, "/mcp", "", "http");
    row("header line", "a", false, "https://x/mcp", "Bearer x", "line 1");
    row("http ok", "a", false, "http://127.0.0.1:9000/mcp", "A: b", "");
}

void TestServerDialogs::validation() {
    QFETCH(QString, name);
    QFETCH(bool, stdio);
    QFETCH(QString, target);
    QFETCH(QString, lines);
    QFETCH(QString, error);
    ServerDialog d;
    d.setTakenNames({QStringLiteral("taken")});
    child<QLineEdit>(&d, QStringLiteral("nameField"))->setText(name);
    auto* transport = child<QComboBox>(&d, QStringLiteral("transportCombo"));
    transport->setCurrentIndex(transport->findData(static_cast<int>(
        stdio ? ServerConfig::Transport::Stdio : ServerConfig::Transport::StreamableHttp)));
    child<QLineEdit>(&d, stdio ? QStringLiteral("commandField") : QStringLiteral("urlField"))
        ->setText(target);
    child<QPlainTextEdit>(&d, stdio ? QStringLiteral("envField") : QStringLiteral("headersField"))
        ->setPlainText(lines);
    QVERIFY2(d.validationError().contains(error), qPrintable(d.validationError()));
    QCOMPARE(d.isValid(), error.isEmpty());
    QCOMPARE(okButton(&d)->isEnabled(), error.isEmpty());
    QCOMPARE(child<QLabel>(&d, QStringLiteral("errorLabel"))->text(), d.validationError());
}

void TestServerDialogs::editKeepsWhatHasNoField() {
    ServerConfig s;
    s.key = "gh";
    s.command = QStringLiteral("docker");
    s.args = {QStringLiteral("run"), QString(), QStringLiteral("image")};
    s.prefix = "github";
    s.timeoutS = 45;
    ServerDialog d;
    d.setServer(s);
    QVERIFY(d.windowTitle().contains(QLatin1String("gh")));
    QCOMPARE(child<QLineEdit>(&d, QStringLiteral("nameField"))->text(), QStringLiteral("gh"));
    const ServerConfig out = d.server();
    QCOMPARE(out.prefix, std::optional<std::string>("github"));
    QCOMPARE(out.args, s.args); // an empty argument in the middle survives
    QCOMPARE(out.timeoutS, 45);
    QCOMPARE(d.entryJson(), ClientConfigImport::entryJson(s));
}

void TestServerDialogs::importReadsInTheBackground() {
    ImportDialog d({{ClientApp::ClaudeDesktop, ClientConfigLocation::Scope::User,
                     fixture("claude_desktop_config.json")},
                    {ClientApp::Cursor, ClientConfigLocation::Scope::User,
                     QStringLiteral("/nonexistent/.cursor/mcp.json")}},
                   nullptr);
    QAbstractItemModelTester tester(d.candidatesTree()->model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy ready(&d, &ImportDialog::previewReady);
    d.open();
    QTRY_COMPARE(ready.count(), 1);
    QVERIFY(!d.isReading());

    // The existing file and "Choose a file…"; the missing one is not offered.
    auto* source = child<QComboBox>(&d, QStringLiteral("sourceCombo"));
    QCOMPARE(source->count(), 2);
    QVERIFY(source->itemText(0).contains(QLatin1String("Claude Desktop")));

    QTreeWidget* tree = d.candidatesTree();
    QCOMPARE(tree->topLevelItemCount(), 3);
    for (const char* name : {"filesystem", "github"}) {
        QTreeWidgetItem* item = itemNamed(tree, QString::fromLatin1(name));
        QVERIFY(item);
        QCOMPARE(item->checkState(0), Qt::Checked);
        QVERIFY(item->flags() & Qt::ItemIsEnabled);
    }
    QTreeWidgetItem* loop = itemNamed(tree, QStringLiteral("portcullis"));
    QVERIFY(loop);
    QCOMPARE(loop->checkState(0), Qt::Unchecked);
    QVERIFY(!(loop->flags() & Qt::ItemIsEnabled));
    QVERIFY(loop->text(2).contains(QLatin1String("Portcullis itself")));

    // Every command line in full, the one that is not imported too.
    const QString review = child<QPlainTextEdit>(&d, QStringLiteral("reviewText"))->toPlainText();
    QVERIFY(review.contains(QLatin1String("npx -y @modelcontextprotocol/server-filesystem "
                                          "/Users/me/Desktop /Users/me/Downloads")));
    QVERIFY(review.contains(QLatin1String("docker run -i --rm -e GITHUB_PERSONAL_ACCESS_TOKEN "
                                          "ghcr.io/github/github-mcp-server")));
    QVERIFY(review.contains(QLatin1String("/usr/bin/portcullis-bridge --url")));

    auto* import = child<QPushButton>(&d, QStringLiteral("importButton"));
    QVERIFY(import->isEnabled());
    QCOMPARE(d.selectedCandidates().size(), 2u);
    itemNamed(tree, QStringLiteral("github"))->setCheckState(0, Qt::Unchecked);
    QCOMPARE(d.selectedCandidates().size(), 1u);
    QCOMPARE(d.selectedCandidates().front().name, QStringLiteral("filesystem"));
    QVERIFY(child<QPlainTextEdit>(&d, QStringLiteral("reviewText"))
                ->toPlainText()
                .contains(QStringLiteral("github — not imported")));
    itemNamed(tree, QStringLiteral("filesystem"))->setCheckState(0, Qt::Unchecked);
    QVERIFY(!import->isEnabled());
}

void TestServerDialogs::importAsksForInputs() {
    ImportDialog d({}, nullptr);
    QAbstractItemModelTester tester(d.candidatesTree()->model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy ready(&d, &ImportDialog::previewReady);
    QSignalSpy located(&d, &ImportDialog::locationsReady);
    d.show();
    d.openFile(ClientApp::VsCode, fixture("vscode-mcp.json"));
    QTRY_COMPARE(ready.count(), 1);
    QTRY_COMPARE(located.count(), 1);
    // The opened file stays chosen once the search for the usual files ends.
    auto* source = child<QComboBox>(&d, QStringLiteral("sourceCombo"));
    QCOMPARE(source->currentData().toString(), fixture("vscode-mcp.json"));

    QTreeWidget* tree = d.candidatesTree();
    QCOMPARE(tree->topLevelItemCount(), 4);
    QVERIFY(!(itemNamed(tree, QStringLiteral("sock"))->flags() & Qt::ItemIsEnabled));
    QVERIFY(!(itemNamed(tree, QStringLiteral("gateway"))->flags() & Qt::ItemIsEnabled));

    QVERIFY(child<QGroupBox>(&d, QStringLiteral("inputsBox"))->isVisibleTo(&d));
    auto* token = child<QLineEdit>(&d, QStringLiteral("input_github_token"));
    QVERIFY(token);
    QCOMPARE(token->echoMode(), QLineEdit::Password);
    token->setText(QStringLiteral("ghp_typed"));

    auto selected = d.selectedCandidates();
    QCOMPARE(selected.size(), 2u);
    const auto github = std::find_if(selected.begin(), selected.end(), [](const auto& c) {
        return c.name == QLatin1String("github");
    });
    QVERIFY(github != selected.end());
    QCOMPARE(github->server.headers.at(QStringLiteral("Authorization")),
             QStringLiteral("Bearer ghp_typed"));
    QVERIFY(github->inputs.empty());

    // No ticked server needs the value: no field for it.
    itemNamed(tree, QStringLiteral("github"))->setCheckState(0, Qt::Unchecked);
    QVERIFY(!child<QGroupBox>(&d, QStringLiteral("inputsBox"))->isVisibleTo(&d));
    QVERIFY(!d.findChild<QLineEdit*>(QStringLiteral("input_github_token")));
}

void TestServerDialogs::importUnreadableFile() {
    ImportDialog d({}, nullptr);
    QSignalSpy ready(&d, &ImportDialog::previewReady);
    d.show();
    d.openFile(ClientApp::Cursor, QStringLiteral("/nonexistent/mcp.json"));
    QTRY_COMPARE(ready.count(), 1);
    QCOMPARE(d.candidatesTree()->topLevelItemCount(), 0);
    QVERIFY(child<QLabel>(&d, QStringLiteral("statusLabel"))
                ->text()
                .contains(QLatin1String("cannot read")));
    QVERIFY(!child<QPushButton>(&d, QStringLiteral("importButton"))->isEnabled());
}

void TestServerDialogs::appForFile_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("app");
    const auto row = [](const char* file, ClientApp app) {
        QTest::newRow(file) << QString::fromLatin1(file) << static_cast<int>(app);
    };
    row("/home/me/.config/Claude/claude_desktop_config.json", ClientApp::ClaudeDesktop);
    row("/home/me/.claude.json", ClientApp::ClaudeCode);
    row("/src/shop/.mcp.json", ClientApp::ClaudeCode);
    row("/home/me/.cursor/mcp.json", ClientApp::Cursor);
    row("C:\\Users\\me\\AppData\\Roaming\\Code\\User\\mcp.json", ClientApp::VsCode);
    row("/src/shop/.vscode/mcp.json", ClientApp::VsCode);
    row("/tmp/backup.json", ClientApp::ClaudeDesktop);
}

void TestServerDialogs::appForFile() {
    QFETCH(QString, file);
    QFETCH(int, app);
    QCOMPARE(static_cast<int>(ImportDialog::appForFile(file)), app);
}

void TestServerDialogs::connectMasksTheToken() {
    ConnectDialog d(connection(), nullptr);
    d.open();
    QVERIFY(d.isVisible());
    const QString token = connection().token;
    auto* field = child<QLineEdit>(&d, QStringLiteral("tokenField"));
    QCOMPARE(field->text(), QString::fromUtf16(ClientSnippets::kMask));
    QCOMPARE(child<QLineEdit>(&d, QStringLiteral("endpointField"))->text(), connection().endpoint);

    const QStringList names{
        QStringLiteral("claudeDesktop_stdio"), QStringLiteral("claudeCode_http"),
        QStringLiteral("claudeCode_stdio"),    QStringLiteral("cursor_http"),
        QStringLiteral("cursor_stdio"),        QStringLiteral("vscode_http"),
        QStringLiteral("vscode_stdio")};
    for (const QString& name : names) {
        auto* text = child<QPlainTextEdit>(&d, QStringLiteral("snippetText_") + name);
        QVERIFY(text);
        QVERIFY(!text->toPlainText().isEmpty());
        QVERIFY2(!text->toPlainText().contains(token), qPrintable(name));
        QVERIFY(child<QPushButton>(&d, QStringLiteral("snippetCopy_") + name));
        QVERIFY(!child<QLabel>(&d, QStringLiteral("snippetWhere_") + name)->text().isEmpty());
    }
    QVERIFY(!d.findChild<QPlainTextEdit*>(QStringLiteral("snippetText_claudeDesktop_http")));
    QCOMPARE(d.findChildren<QPlainTextEdit*>().size(), names.size());

    child<QCheckBox>(&d, QStringLiteral("showToken"))->click();
    QVERIFY(d.tokenShown());
    QCOMPARE(field->text(), token);
    QVERIFY(child<QPlainTextEdit>(&d, QStringLiteral("snippetText_cursor_http"))
                ->toPlainText()
                .contains(token));
    d.setTokenShown(false);
    QCOMPARE(field->text(), QString::fromUtf16(ClientSnippets::kMask));

    // A restarted gateway on another port: the open dialog follows.
    GatewayConnection moved = connection();
    moved.endpoint = QStringLiteral("http://127.0.0.1:9999/mcp");
    d.setConnection(moved);
    QCOMPARE(child<QLineEdit>(&d, QStringLiteral("endpointField"))->text(), moved.endpoint);
    QVERIFY(child<QPlainTextEdit>(&d, QStringLiteral("snippetText_vscode_http"))
                ->toPlainText()
                .contains(QLatin1String(":9999/mcp")));
}

void TestServerDialogs::connectCopiesTheRealToken() {
    ConnectDialog d(connection(), nullptr);
    d.show();
    QClipboard* clipboard = QApplication::clipboard();
    child<QPushButton>(&d, QStringLiteral("copyToken"))->click();
    QCOMPARE(clipboard->text(), connection().token);
    auto* copy = child<QPushButton>(&d, QStringLiteral("snippetCopy_cursor_http"));
    copy->click();
    QVERIFY(clipboard->text().contains(QStringLiteral("Bearer ") + connection().token));
    QVERIFY(!clipboard->text().contains(QString::fromUtf16(ClientSnippets::kMask)));
    QCOMPARE(copy->text(), QStringLiteral("Copied"));
    QTRY_COMPARE(copy->text(), QStringLiteral("Copy"));
    child<QPushButton>(&d, QStringLiteral("copyEndpoint"))->click();
    QCOMPARE(clipboard->text(), connection().endpoint);
}

void TestServerDialogs::controllerAddEditRemove() {
    QWidget window;
    ServersPanel panel(&window);
    auto* controller = new ServersController(&panel, &window);
    window.show();
    controller->setServersText(
        "{\"mcpServers\": {\"old\": {\"command\": \"uvx\", \"args\": [\"old\"]}}, "
        "\"note\": \"mine\"}");
    QSignalSpy changed(controller, &ServersController::serversChanged);

    Q_EMIT panel.addRequested();
    auto* add = qobject_cast<ServerDialog*>(controller->openDialog());
    QVERIFY(add);
    QVERIFY(add->isVisible());
    // Asking again while one is open raises it rather than stacking another.
    Q_EMIT panel.addRequested();
    QCOMPARE(controller->openDialog(), add);
    child<QLineEdit>(add, QStringLiteral("nameField"))->setText(QStringLiteral("old"));
    QVERIFY(!add->isValid()); // taken
    fillStdio(*add);
    okButton(add)->click();
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.last().at(1).toString(), QStringLiteral("Add server “files”"));
    json doc = json::parse(controller->serversText());
    QVERIFY(doc["mcpServers"]["files"]["command"] == "npx");
    QVERIFY(doc["note"] == "mine");
    QTRY_VERIFY(!controller->openDialog());

    Q_EMIT panel.editRequested("files");
    auto* edit = qobject_cast<ServerDialog*>(controller->openDialog());
    QVERIFY(edit);
    QCOMPARE(child<QLineEdit>(edit, QStringLiteral("nameField"))->text(), QStringLiteral("files"));
    QCOMPARE(child<QLineEdit>(edit, QStringLiteral("cwdField"))->text(),
             QStringLiteral("/srv/mcp"));
    child<QLineEdit>(edit, QStringLiteral("nameField"))->setText(QStringLiteral("fs"));
    okButton(edit)->click();
    QCOMPARE(changed.count(), 2);
    doc = json::parse(controller->serversText());
    QVERIFY(!doc["mcpServers"].contains("files"));
    QVERIFY(doc["mcpServers"]["fs"]["cwd"] == "/srv/mcp");
    QTRY_VERIFY(!controller->openDialog());

    // Remove asks first; Cancel changes nothing.
    Q_EMIT panel.removeRequested("fs");
    auto* box = qobject_cast<QMessageBox*>(controller->openDialog());
    QVERIFY(box);
    box->button(QMessageBox::Cancel)->click();
    QCOMPARE(changed.count(), 2);
    QTRY_VERIFY(!controller->openDialog());
    Q_EMIT panel.removeRequested("fs");
    box = qobject_cast<QMessageBox*>(controller->openDialog());
    QVERIFY(box);
    child<QPushButton>(box, QStringLiteral("confirmRemove"))->click();
    QCOMPARE(changed.count(), 3);
    doc = json::parse(controller->serversText());
    QVERIFY(!doc["mcpServers"].contains("fs"));
    QVERIFY(doc["mcpServers"].contains("old"));
    QTRY_VERIFY(!controller->openDialog());

    // An entry that cannot be read is reported, never half-edited.
    controller->setServersText("{\"mcpServers\": {\"bad\": {\"command\": 7}}}");
    Q_EMIT panel.editRequested("bad");
    box = qobject_cast<QMessageBox*>(controller->openDialog());
    QVERIFY(box);
    QVERIFY(box->text().contains(QLatin1String("mcpServers.bad.command")));
    box->button(QMessageBox::Ok)->click();
    QCOMPARE(changed.count(), 3);
}

void TestServerDialogs::controllerImport() {
    QWidget window;
    ServersPanel panel(&window);
    auto* controller = new ServersController(&panel, &window);
    controller->setImportLocations({{ClientApp::ClaudeDesktop, ClientConfigLocation::Scope::User,
                                     fixture("claude_desktop_config.json")}});
    // Not a raw string: moc would take its "//" for a comment.
    controller->setServersText("{\"mcpServers\": {\"github\": {\"url\": \"https://x/mcp\"}}}");
    window.show();
    QSignalSpy changed(controller, &ServersController::serversChanged);

    Q_EMIT panel.importRequested();
    auto* dialog = qobject_cast<ImportDialog*>(controller->openDialog());
    QVERIFY(dialog);
    auto* import = child<QPushButton>(dialog, QStringLiteral("importButton"));
    QTRY_VERIFY(import->isEnabled());
    import->click();
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.last().at(1).toString(),
             QStringLiteral("Import 2 servers from Claude Desktop"));
    const json doc = json::parse(controller->serversText());
    QVERIFY(doc["mcpServers"]["github"]["url"] == "https://x/mcp");
    QVERIFY(doc["mcpServers"]["github-2"]["command"] == "docker");
    QVERIFY(doc["mcpServers"]["filesystem"]["command"] == "npx");
    QVERIFY(!doc["mcpServers"].contains("portcullis"));
    // The rename is reported.
    auto* box = qobject_cast<QMessageBox*>(controller->openDialog());
    QVERIFY(box);
    QVERIFY(box->text().contains(QLatin1String("github-2")));
    box->button(QMessageBox::Ok)->click();
}

void TestServerDialogs::screenshots() {
    if (screenshotsDir().isEmpty())
        QSKIP("PORTCULLIS_SCREENSHOTS_DIR is not set");

    ConnectDialog connectDialog(connection(), nullptr);
    // Cursor has both kinds of snippet, HTTP and stdio.
    auto* tabs = child<QTabWidget>(&connectDialog, QStringLiteral("clientTabs"));
    tabs->setCurrentIndex(2);
    save(connectDialog, QStringLiteral("connect-dialog.png"));

    // The file where Claude Desktop keeps it, in a home folder of the screenshot's own, so
    // the picture shows "~/.config/Claude/..." rather than this checkout's path.
    QTemporaryDir home;
    QVERIFY(home.isValid());
    QVERIFY(QDir(home.path()).mkpath(QStringLiteral(".config/Claude")));
    const QString config =
        home.filePath(QStringLiteral(".config/Claude/claude_desktop_config.json"));
    QVERIFY(QFile::copy(fixture("claude_desktop_config.json"), config));
    const QByteArray realHome = qgetenv("HOME");
    qputenv("HOME", QFile::encodeName(home.path()));
    const auto restoreHome = qScopeGuard([&] { qputenv("HOME", realHome); });
    ImportDialog import({{ClientApp::ClaudeDesktop, ClientConfigLocation::Scope::User, config}},
                        nullptr);
    QSignalSpy ready(&import, &ImportDialog::previewReady);
    import.show();
    QTRY_COMPARE(ready.count(), 1);
    save(import, QStringLiteral("import-dialog.png"));

    ServerDialog server;
    ServerConfig s;
    s.key = "github";
    s.command = QStringLiteral("docker");
    s.args = {QStringLiteral("run"),
              QStringLiteral("-i"),
              QStringLiteral("--rm"),
              QStringLiteral("-e"),
              QStringLiteral("GITHUB_PERSONAL_ACCESS_TOKEN"),
              QStringLiteral("ghcr.io/github/github-mcp-server")};
    s.env[QStringLiteral("GITHUB_PERSONAL_ACCESS_TOKEN")] = QStringLiteral("ghp_example");
    s.isolation = ServerConfig::Isolation::PerSession;
    server.setServer(s);
    save(server, QStringLiteral("server-dialog.png"));
}

QTEST_MAIN(TestServerDialogs)
#include "test_serverdialogs.moc"
