#include "ui/catalog/catalogview.h"
#include "ui/catalog/riskbadgedelegate.h"
#include "ui/catalog/toolcatalogmodel.h"
#include "ui/mainwindow.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenuBar>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

#include <cmath>

using portcullis::ui::MainWindow;
using portcullis::ui::ToolCatalogModel;

// The window as a newcomer first sees it: the demo workspace, badges and rules.
class TestMainWindow final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void firstStartOpensTheDemoWorkspace();
    void windowStateIsRestored();
    void changedDefinitionsAreMarked();
    void badgeTextIsReadable();
};

void TestMainWindow::initTestCase() {
    // Settings and app data go to a throw-away place, never the user's.
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
    QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).removeRecursively();
}

void TestMainWindow::firstStartOpensTheDemoWorkspace() {
    MainWindow::Options o;
    o.demoServerProgram = QStringLiteral(PORTCULLIS_DEMO_SERVER_EXE);
    o.restoreWindowState = false;
    MainWindow window(o);
    // The catalog model obeys the model contract while it fills and changes.
    QAbstractItemModelTester modelTester(window.catalogModel(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(window.catalog()->proxy(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy listening(&window, &MainWindow::gatewayListening);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_COMPARE_WITH_TIMEOUT(window.catalogModel()->rowCount(), 14, 20'000);
    QCOMPARE(listening.count(), 1);
    QVERIFY(window.endpoint().toString().startsWith(QStringLiteral("http://127.0.0.1:")));
    QVERIFY(window.windowTitle().contains(QStringLiteral("demo")));

    const ToolCatalogModel& model = *window.catalogModel();
    const int deleteApp = model.rowOf("demo", "delete_app");
    QVERIFY(deleteApp >= 0);
    QCOMPARE(model.data(model.index(deleteApp, ToolCatalogModel::Risk)).toString(),
             QStringLiteral("Critical"));
    QCOMPARE(model.data(model.index(deleteApp, ToolCatalogModel::Rule)).toString(),
             QStringLiteral("hidden"));
    QVERIFY(!model.data(model.index(deleteApp, ToolCatalogModel::Risk), Qt::ToolTipRole)
                 .toString()
                 .isEmpty()); // the rationale
    const int build = model.rowOf("demo", "build_and_push_image_to_ecr");
    QCOMPARE(model.data(model.index(build, ToolCatalogModel::Rule)).toString(),
             QStringLiteral("needs approval"));

    // Filtering narrows the table; sorting by risk puts the critical tools first.
    window.catalog()->filterBox()->setText(QStringLiteral("policy"));
    QTRY_COMPARE(window.catalog()->proxy()->rowCount(), 4);
    window.catalog()->filterBox()->clear();
    window.catalog()->table()->sortByColumn(ToolCatalogModel::Risk, Qt::DescendingOrder);
    QCOMPARE(window.catalog()->proxy()->index(0, ToolCatalogModel::Risk).data().toString(),
             QStringLiteral("Critical"));

    QStringList menus;
    for (QAction* a : window.menuBar()->actions())
        menus << a->text();
    QCOMPARE(menus, (QStringList{QStringLiteral("&File"), QStringLiteral("&Edit"),
                                 QStringLiteral("&Gateway"), QStringLiteral("&Help")}));
    window.close();
}

void TestMainWindow::windowStateIsRestored() {
    // The previous test closed a window: its geometry, column widths and workspace were kept.
    QSettings settings;
    QVERIFY(settings.contains(QStringLiteral("window/geometry")));
    QVERIFY(settings.value(QStringLiteral("workspace/last"))
                .toString()
                .endsWith(QStringLiteral("demo")));
    MainWindow::Options o;
    o.demoServerProgram = QStringLiteral(PORTCULLIS_DEMO_SERVER_EXE);
    {
        MainWindow window(o);
        window.show();
        QTRY_COMPARE_WITH_TIMEOUT(window.catalogModel()->rowCount(), 14, 20'000);
        window.catalog()->table()->horizontalHeader()->resizeSection(ToolCatalogModel::Tool, 321);
        window.tabs()->setCurrentIndex(1);
        window.close();
    }
    MainWindow again(o);
    again.show();
    QCOMPARE(again.catalog()->table()->horizontalHeader()->sectionSize(ToolCatalogModel::Tool),
             321);
    QCOMPARE(again.tabs()->currentIndex(), 1);
}

void TestMainWindow::changedDefinitionsAreMarked() {
    ToolCatalogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const nlohmann::json tool = {{"name", "delete_cluster"},
                                 {"description", "Deletes a cluster and everything in it."},
                                 {"inputSchema", {{"type", "object"}}}};
    portcullis::UpstreamStatus status;
    status.key = "ecs";
    status.state = portcullis::UpstreamClient::State::Up;
    status.tools.push_back({tool, portcullis::RiskClassifier().classify(tool)});
    model.setUpstreams({status});
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, ToolCatalogModel::Changed).data().toString(), QString());

    portcullis::WorkspaceState state;
    state.reviewed["ecs/delete_cluster"] = status.tools[0].assessment.fingerprint;
    model.setWorkspaceState(state);
    QCOMPARE(model.index(0, ToolCatalogModel::Changed).data().toString(), QString());
    state.reviewed["ecs/delete_cluster"] = "sha256:an-older-definition";
    model.setWorkspaceState(state);
    QCOMPARE(model.index(0, ToolCatalogModel::Changed).data().toString(),
             QStringLiteral("changed"));

    // A category of the user's own replaces the classifier's, and says so.
    state.categoryOverrides["ecs/delete_cluster"] = portcullis::RiskCategory::Read;
    model.setWorkspaceState(state);
    QCOMPARE(model.index(0, ToolCatalogModel::Category).data().toString(),
             QStringLiteral("Read (yours)"));
    QCOMPARE(model.index(0, ToolCatalogModel::Risk).data().toString(), QStringLiteral("Low"));
}

void TestMainWindow::badgeTextIsReadable() {
    // White text on each level's colour, which the badge paints itself whatever the palette:
    // WCAG contrast of at least 4.5:1, and four colours that differ.
    auto channel = [](int v) {
        const double c = v / 255.0;
        return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    auto luminance = [&](const QColor& c) {
        return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue());
    };
    QSet<QRgb> seen;
    for (int level = 0; level <= 3; ++level) {
        const QColor c = portcullis::ui::RiskBadgeDelegate::levelColor(level);
        const double contrast = 1.05 / (luminance(c) + 0.05);
        QVERIFY2(contrast >= 4.5,
                 qPrintable(QStringLiteral("level %1: %2").arg(level).arg(contrast)));
        seen.insert(c.rgb());
    }
    QCOMPARE(seen.size(), 4);
}

QTEST_MAIN(TestMainWindow)
#include "test_mainwindow.moc"
