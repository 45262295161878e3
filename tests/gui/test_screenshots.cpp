#include "ui/catalog/catalogview.h"
#include "ui/catalog/toolcatalogmodel.h"
#include "ui/editor/ruleeditor.h"
#include "ui/mainwindow.h"
#include "ui/preview/policypreview.h"
#include "windowfixture.h"

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

// Renders the window offscreen on the demo tools and the strict starter policy. Always checks
// the pictures are sensible; writes them only when PORTCULLIS_SCREENSHOTS_DIR names a folder
// (the ones in docs/screenshots come from here).
class TestScreenshots final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void policyBuilder();

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
    QFile policy(QStringLiteral(PORTCULLIS_SOURCE_DIR "/policies/examples/strict-starter.json"));
    QVERIFY(policy.open(QIODevice::ReadOnly));
    auto window =
        openWindow(dir.filePath(QStringLiteral("demo")), demoServers(), policy.readAll(), 14);
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

QTEST_MAIN(TestScreenshots)
#include "test_screenshots.moc"
