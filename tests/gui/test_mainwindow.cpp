#include "ui/catalog/toolcatalogmodel.h"
#include "ui/mainwindow.h"

#include <QAbstractItemModelTester>
#include <QMenuBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using portcullis::ui::MainWindow;

class TestMainWindow final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void opensTheDemoWorkspace();

private:
    QTemporaryDir m_dir;
};

void TestMainWindow::initTestCase() {
    // Settings and app data go to a throw-away place, never the user's.
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestMainWindow::opensTheDemoWorkspace() {
    MainWindow::Options o;
    o.workspaceDir = m_dir.filePath(QStringLiteral("ws"));
    o.demoServerProgram = QStringLiteral(PORTCULLIS_DEMO_SERVER_EXE);
    o.restoreWindowState = false;
    MainWindow window(o);
    QSignalSpy failed(&window, &MainWindow::workspaceFailed);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_VERIFY_WITH_TIMEOUT(!window.endpoint().isEmpty() || !failed.isEmpty(), 10'000);
    QVERIFY2(failed.isEmpty(),
             qPrintable(failed.isEmpty()
                            ? QString()
                            : failed.first().first().toStringList().join(QLatin1Char('\n'))));
}

QTEST_MAIN(TestMainWindow)
#include "test_mainwindow.moc"
