#include "ui/approvals/approvalsdock.h"
#include "ui/catalog/catalogview.h"
#include "ui/catalog/toolcatalogmodel.h"
#include "ui/editor/ruleeditor.h"
#include "ui/mainwindow.h"
#include "ui/monitor/calldetailpane.h"
#include "ui/monitor/callmonitormodel.h"
#include "ui/monitor/livecallsview.h"
#include "ui/preview/policypreview.h"
#include "windowfixture.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

// Renders the window offscreen on the demo tools and the strict starter policy. Always checks
// the pictures are sensible; writes them only when PORTCULLIS_SCREENSHOTS_DIR names a folder
// (the ones in docs/screenshots come from here).
class TestScreenshots final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void policyBuilder();
    void liveCallsAndApprovals();

private:
    void save(QWidget* widget, const QString& name);
};

void TestScreenshots::save(QWidget* widget, const QString& name) {
    const QImage image = widget->grab().toImage();
    QVERIFY(!image.isNull());
    QVERIFY(image.width() > 200 && image.height() > 150);
    const QString dir = qEnvironmentVariable("PORTCULLIS_SCREENSHOTS_DIR");
    if (!dir.isEmpty())
        QVERIFY(image.save(QDir(dir).filePath(name)));
}

void TestScreenshots::policyBuilder() {
    QStandardPaths::setTestModeEnabled(true);
    QTemporaryDir dir;
    auto window =
        openWindow(dir.filePath(QStringLiteral("demo")), demoServers(), strictStarterPolicy(), 14);
    QVERIFY(window);
    window->resize(1600, 960);
    window->catalog()->selectTool("demo", "ecs_resource_management");
    QTRY_VERIFY(window->ruleEditor()
                    ->findChild<QLabel*>(QStringLiteral("ruleTitle"))
                    ->text()
                    .endsWith(QStringLiteral("ecs_resource_management")));
    QTest::qWait(200); // the editor refreshes on the next pass
    save(window.get(), QStringLiteral("window.png"));
    save(window->catalog(), QStringLiteral("catalog.png"));
    save(window->ruleEditor(), QStringLiteral("rule-editor.png"));
    save(window->preview(), QStringLiteral("policy-preview.png"));
}

void TestScreenshots::liveCallsAndApprovals() {
    QStandardPaths::setTestModeEnabled(true);
    QTemporaryDir dir;
    auto window =
        openWindow(dir.filePath(QStringLiteral("demo")), demoServers(), strictStarterPolicy(), 14);
    QVERIFY(window);
    window->resize(1600, 960);
    QTRY_VERIFY(!window->endpoint().isEmpty());
    // Demo traffic twice (two sessions): every decision, and two calls waiting for a person.
    QSignalSpy sent(window.get(), &portcullis::ui::MainWindow::demoTrafficSent);
    auto* demo = window->findChild<QAction*>(QStringLiteral("actionDemoTraffic"));
    demo->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(sent.count(), 1, 20'000);
    demo->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(sent.count(), 2, 20'000);
    QTRY_COMPARE_WITH_TIMEOUT(window->approvals()->count(), 2, 10'000);
    auto* calls = window->callsModel();
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            calls->flush();
            return calls->rowCount() == 14;
        }(),
        10'000);
    // The denied delete shows why in the detail pane.
    for (int r = 0; r < calls->rowCount(); ++r) {
        if (calls->rowAt(r).event.decision == portcullis::CallDecision::Denied) {
            window->liveCalls()->selectCall(calls->rowAt(r).event.id);
            break;
        }
    }
    QTRY_VERIFY(window->liveCalls()->details()->headerText().contains(QStringLiteral("deny_if")));
    QTest::qWait(300);
    save(window.get(), QStringLiteral("live-calls.png"));
    save(window->liveCalls()->details(), QStringLiteral("call-detail.png"));
    save(window->approvalsDockWidget(), QStringLiteral("approvals.png"));
}

QTEST_MAIN(TestScreenshots)
#include "test_screenshots.moc"
