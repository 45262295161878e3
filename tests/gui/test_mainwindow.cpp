#include "ui/mainwindow.h"

#include <QMenuBar>
#include <QTabWidget>
#include <QTest>

class TestMainWindow final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void showsShell();
};

void TestMainWindow::showsShell() {
    portcullis::ui::MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.windowTitle(), QStringLiteral("Portcullis"));
    QCOMPARE(window.tabs()->count(), 2);
    QCOMPARE(window.tabs()->tabText(0), QStringLiteral("Tools && rules"));
    QVERIFY(!window.windowIcon().isNull());
    QStringList menus;
    for (QAction* a : window.menuBar()->actions())
        menus << a->text();
    QCOMPARE(menus, (QStringList{QStringLiteral("&File"), QStringLiteral("&Help")}));
    const QImage shot = window.grab().toImage();
    QVERIFY(!shot.isNull());
    QVERIFY(shot.width() >= 800);
}

QTEST_MAIN(TestMainWindow)
#include "test_mainwindow.moc"
