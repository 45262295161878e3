#include "gatewayprocess.h"
#include "gui/windowfixture.h"
#include "ui/catalog/catalogview.h"
#include "ui/catalog/toolcatalogmodel.h"
#include "ui/editor/ruleeditor.h"
#include "ui/mainwindow.h"

#include <QLabel>
#include <QPushButton>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

using nlohmann::json;

// The window end to end: its embedded gateway in front of server-everything, the reference SDK
// client connected to the endpoint it prints, and a click in the rule editor reaching that
// client as tools/list_changed.
class TestWindowInterop final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void hidingAToolReachesAConnectedClient();

private:
    QTemporaryDir m_dir;
};

void TestWindowInterop::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    // The window takes its token from here, and the SDK client sends the same one.
    qputenv("PORTCULLIS_TOKEN", GatewayProcess::kToken);
}

void TestWindowInterop::hidingAToolReachesAConnectedClient() {
    const json servers = {{"mcpServers",
                           {{"everything",
                             {{"command", PORTCULLIS_NODE_EXE},
                              {"args", json::array({PORTCULLIS_EVERYTHING_JS, "stdio"})}}}}}};
    auto window = openWindow(m_dir.filePath(QStringLiteral("ws")), servers,
                             R"({ "version": "1", "default": "allow" })", 12);
    QVERIFY(window);
    QTRY_VERIFY(!window->endpoint().isEmpty());

    auto client = startSdkClient(window->endpoint().toString(),
                                 {QStringLiteral("--timeout-ms"), QStringLiteral("30000"),
                                  QStringLiteral("--relist-until-gone"), QStringLiteral("echo")});
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT(
        (err += client->readAllStandardError()).contains("sdk-client: waiting for list_changed"),
        20'000);

    window->catalog()->selectTool("everything", "echo");
    QTRY_VERIFY(window->ruleEditor()
                    ->findChild<QLabel*>(QStringLiteral("ruleTitle"))
                    ->text()
                    .endsWith(QStringLiteral("echo")));
    QTest::mouseClick(window->ruleEditor()->findChild<QPushButton*>(QStringLiteral("kind_hide")),
                      Qt::LeftButton);

    const ClientRun r = finishSdkClient(*client);
    QVERIFY2(r.exitCode == 0, qPrintable(QString::fromUtf8(err) + r.err));
    const auto before = r.output["tools"].get<std::vector<std::string>>();
    const auto after = r.output["toolsAfterChange"].get<std::vector<std::string>>();
    QVERIFY(std::find(before.begin(), before.end(), "echo") != before.end());
    QVERIFY(std::find(after.begin(), after.end(), "echo") == after.end());
    QCOMPARE(after.size(), before.size() - 1);
}

QTEST_MAIN(TestWindowInterop)
#include "test_window_interop.moc"
