#include "calls/callexport.h"
#include "calls/callfilter.h"
#include "ui/catalog/toolcatalogmodel.h"
#include "ui/monitor/calldetailpane.h"
#include "ui/monitor/callfilterproxy.h"
#include "ui/monitor/callmonitormodel.h"
#include "ui/monitor/livecallsview.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace portcullis;
using portcullis::ui::CallMonitorModel;

namespace {

CallEvent makeEvent(std::uint64_t id, const std::string& tool, CallDecision d,
                    const std::string& server = "ecs") {
    CallEvent e;
    e.id = id;
    e.timeMs = 1'700'000'000'000 + static_cast<std::int64_t>(id) * 10;
    e.session = "s1";
    e.client = "cursor";
    e.server = server;
    e.tool = tool;
    e.exposedName = tool;
    e.arguments = {{"n", id}};
    e.decision = d;
    e.rule = "tools." + tool;
    e.finished = d != CallDecision::Pending;
    return e;
}

QStringList decisionsShown(const QAbstractItemModel& m) {
    QStringList out;
    for (int r = 0; r < m.rowCount(); ++r)
        out << m.index(r, CallMonitorModel::Decision).data().toString();
    return out;
}

} // namespace

// The live-calls model and its view without a gateway: batches, updates of held calls, the
// row cap, pause, the filter bar and exports, all under QAbstractItemModelTester.
class TestCallMonitor final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void batchesBecomeRowsOnTheNextPass();
    void laterEventsUpdateTheirRow();
    void capDropsTheOldestInBatches();
    void pauseHoldsRowsBack();
    void pausedViewCountsWhatWaits();
    void followsTheBottomOnlyWhenThere();
    void filterBarShowsMatchesAndReasons();
    void exportWritesTheVisibleRows();
    void riskComesFromTheLookup();
    void responsesStayWithinTheirBudget();
};

void TestCallMonitor::batchesBecomeRowsOnTheNextPass() {
    CallMonitorModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    std::vector<CallEvent> batch;
    for (std::uint64_t i = 1; i <= 300; ++i)
        batch.push_back(makeEvent(i, "list_clusters", CallDecision::Allowed));
    model.addEvents(batch);
    model.addEvents({makeEvent(301, "delete_app", CallDecision::Denied)});
    QCOMPARE(model.rowCount(), 0); // queued, not yet rows
    QTRY_COMPARE(model.rowCount(), 301);
    QCOMPARE(inserted.count(), 1); // one insert for both batches
    QCOMPARE(model.index(300, CallMonitorModel::Tool).data().toString(),
             QStringLiteral("delete_app"));
    QCOMPARE(model.index(300, CallMonitorModel::Decision).data().toString(),
             QStringLiteral("denied"));
    QCOMPARE(model.index(1, CallMonitorModel::Delta).data().toString(), QStringLiteral("+10 ms"));
    QCOMPARE(model.callsSeen(), 301u);
}

void TestCallMonitor::laterEventsUpdateTheirRow() {
    CallMonitorModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.addEvents({makeEvent(1, "a", CallDecision::Allowed),
                     makeEvent(2, "deploy", CallDecision::Pending),
                     makeEvent(3, "b", CallDecision::Allowed)});
    model.flush();
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy updated(&model, &CallMonitorModel::callUpdated);
    CallEvent approved = makeEvent(2, "deploy", CallDecision::Approved);
    approved.approver = "gui";
    approved.upstreamMs = 42;
    model.addEvents({approved});
    model.flush();
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(decisionsShown(model),
             (QStringList{QStringLiteral("allowed"), QStringLiteral("approved"),
                          QStringLiteral("allowed")}));
    QCOMPARE(model.index(1, CallMonitorModel::Duration).data().toString(), QStringLiteral("42 ms"));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(updated.count(), 1);
    // Held and decided within one batch: still one row, with the last state.
    model.addEvents({makeEvent(4, "deploy", CallDecision::Pending),
                     makeEvent(4, "deploy", CallDecision::Rejected)});
    model.flush();
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.rowAt(3).event.decision, CallDecision::Rejected);
    QCOMPARE(model.rowOfCall(4), 3);
}

void TestCallMonitor::capDropsTheOldestInBatches() {
    CallMonitorModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ui::CallFilterProxy proxy(model);
    QAbstractItemModelTester proxyTester(&proxy,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRowCap(1000);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    std::uint64_t id = 1;
    for (int batch = 0; batch < 30; ++batch) {
        std::vector<CallEvent> events;
        for (int i = 0; i < 100; ++i, ++id)
            events.push_back(makeEvent(id, "t", CallDecision::Allowed));
        model.addEvents(events);
        model.flush();
        QVERIFY(model.rowCount() <= 1000);
    }
    QCOMPARE(model.callsSeen(), 3000u);
    // Every call is either shown or counted as dropped.
    QCOMPARE(model.rowsDropped() + static_cast<std::uint64_t>(model.rowCount()), 3000u);
    QVERIFY(model.rowCount() >= 980);
    // Fewer removals than batches: drops come with slack, not a row at a time.
    QVERIFY2(removed.count() < 30, qPrintable(QString::number(removed.count())));
    // The newest stay, the index still finds them, the dropped are gone from it.
    QCOMPARE(model.rowAt(model.rowCount() - 1).event.id, 3000u);
    QCOMPARE(model.rowOfCall(3000), model.rowCount() - 1);
    QCOMPARE(model.rowOfCall(1), -1);
    // An update of a row that survived the drops lands on it.
    model.addEvents({makeEvent(2990, "t", CallDecision::Error)});
    model.flush();
    QCOMPARE(model.rowAt(model.rowOfCall(2990)).event.decision, CallDecision::Error);
    QCOMPARE(proxy.rowCount(), model.rowCount());
}

void TestCallMonitor::pausedViewCountsWhatWaits() {
    CallMonitorModel model;
    ui::LiveCallsView view(model);
    view.pauseButton()->click();
    QVERIFY(model.isPaused());
    model.addEvents(
        {makeEvent(1, "a", CallDecision::Allowed), makeEvent(2, "b", CallDecision::Allowed)});
    auto* counts = view.findChild<QLabel*>(QStringLiteral("callCounts"));
    QTRY_VERIFY2(counts->text().contains(QStringLiteral("2 waiting")), qPrintable(counts->text()));
    QCOMPARE(view.proxy()->rowCount(), 0);
    view.pauseButton()->click();
    QTRY_COMPARE(view.proxy()->rowCount(), 2);
    QVERIFY(!counts->text().contains(QStringLiteral("waiting")));
}

void TestCallMonitor::followsTheBottomOnlyWhenThere() {
    CallMonitorModel model;
    ui::LiveCallsView view(model);
    view.resize(900, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QScrollBar* bar = view.table()->verticalScrollBar();
    std::uint64_t id = 1;
    auto addRows = [&](int n) {
        std::vector<CallEvent> events;
        for (int i = 0; i < n; ++i, ++id)
            events.push_back(makeEvent(id, "t", CallDecision::Allowed));
        model.addEvents(events);
        model.flush();
        QCoreApplication::processEvents();
    };
    addRows(200);
    // At the bottom: the newest rows come into view.
    QTRY_VERIFY(bar->maximum() > 0);
    QTRY_COMPARE(bar->value(), bar->maximum());
    addRows(50);
    QTRY_COMPARE(bar->value(), bar->maximum());
    // Scrolled up to read: new rows do not move the view.
    bar->setValue(10);
    addRows(50);
    QTest::qWait(50);
    QCOMPARE(bar->value(), 10);
    QVERIFY(bar->maximum() > 10);
    // Back at the bottom, following again.
    bar->setValue(bar->maximum());
    addRows(50);
    QTRY_COMPARE(bar->value(), bar->maximum());
}

void TestCallMonitor::pauseHoldsRowsBack() {
    CallMonitorModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.addEvents({makeEvent(1, "a", CallDecision::Allowed)});
    model.flush();
    model.setPaused(true);
    model.addEvents(
        {makeEvent(2, "b", CallDecision::Allowed), makeEvent(3, "c", CallDecision::Denied)});
    QTest::qWait(20);
    model.flush();
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.queuedEvents(), 2u);
    model.setPaused(false);
    QTRY_COMPARE(model.rowCount(), 3);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.rowOfCall(2), -1);
}

void TestCallMonitor::filterBarShowsMatchesAndReasons() {
    CallMonitorModel model;
    ui::LiveCallsView view(model);
    QAbstractItemModelTester proxyTester(view.proxy(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.addEvents({makeEvent(1, "delete_app", CallDecision::Denied),
                     makeEvent(2, "list_apps", CallDecision::Allowed),
                     makeEvent(3, "delete_user", CallDecision::Allowed, "iam"),
                     makeEvent(4, "deploy", CallDecision::Pending)});
    model.flush();
    QCOMPARE(view.proxy()->rowCount(), 4);

    view.filterBox()->setText(QStringLiteral("tool:delete* decision:denied"));
    view.applyFilter();
    QCOMPARE(view.proxy()->rowCount(), 1);
    QCOMPARE(view.proxy()->index(0, CallMonitorModel::Tool).data().toString(),
             QStringLiteral("delete_app"));
    QVERIFY(!view.filterBox()->property("invalid").toBool());

    view.filterBox()->setText(QStringLiteral("server:iam or decision:pending"));
    view.applyFilter();
    QCOMPARE(view.proxy()->rowCount(), 2);
    // A held call that is decided stops matching decision:pending at once.
    model.addEvents({makeEvent(4, "deploy", CallDecision::Approved)});
    model.flush();
    QCOMPARE(view.proxy()->rowCount(), 1);

    // Invalid: the bar turns red with the reason, and the rows stay as they were.
    view.filterBox()->setText(QStringLiteral("risk:>=hgih"));
    view.applyFilter();
    QVERIFY(view.filterBox()->property("invalid").toBool());
    QVERIFY2(view.filterBox()->toolTip().contains(QStringLiteral("hgih")),
             qPrintable(view.filterBox()->toolTip()));
    QCOMPARE(view.proxy()->rowCount(), 1);

    view.filterBox()->clear();
    view.applyFilter();
    QCOMPARE(view.proxy()->rowCount(), 4);
    QVERIFY(view.filterBox()->toolTip().isEmpty());
}

void TestCallMonitor::exportWritesTheVisibleRows() {
    CallMonitorModel model;
    ui::LiveCallsView view(model);
    CallEvent quoted = makeEvent(2, "say", CallDecision::Denied);
    quoted.reason = "no \"quotes\", please";
    model.addEvents({makeEvent(1, "list_apps", CallDecision::Allowed), quoted});
    model.flush();
    view.filterBox()->setText(QStringLiteral("decision:denied"));
    view.applyFilter();
    QTemporaryDir dir;
    QSignalSpy exported(&view, &ui::LiveCallsView::exported);

    const QString jsonl = dir.filePath(QStringLiteral("calls.jsonl"));
    view.exportVisibleRows(jsonl);
    QTRY_COMPARE(exported.count(), 1);
    QCOMPARE(exported.last().at(1).toString(), QString());
    QFile f(jsonl);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().split('\n');
    QCOMPARE(lines.size(), 2); // one object and the final newline
    const auto object = nlohmann::json::parse(lines[0].toStdString());
    QCOMPARE(object["tool"].get<std::string>(), std::string("say"));
    QCOMPARE(object["reason"].get<std::string>(), std::string("no \"quotes\", please"));

    const QString csv = dir.filePath(QStringLiteral("calls.csv"));
    view.exportVisibleRows(csv);
    QTRY_COMPARE(exported.count(), 2);
    QFile c(csv);
    QVERIFY(c.open(QIODevice::ReadOnly));
    const QByteArray text = c.readAll();
    QVERIFY(text.startsWith("time,client,session,server,tool,decision,rule,reason"));
    QVERIFY2(text.contains(",say,denied,tools.say,\"no \"\"quotes\"\", please\","),
             text.constData());
    QVERIFY(!text.contains("list_apps"));
}

void TestCallMonitor::riskComesFromTheLookup() {
    CallMonitorModel model;
    model.setRiskLookup([](const std::string&, const std::string& tool) {
        CallMonitorModel::RiskInfo r;
        if (tool == "delete_app") {
            r.level = static_cast<int>(RiskLevel::Critical);
            r.category = static_cast<int>(RiskCategory::Destructive);
        }
        return r;
    });
    ui::CallFilterProxy proxy(model);
    model.addEvents({makeEvent(1, "delete_app", CallDecision::Denied),
                     makeEvent(2, "mystery", CallDecision::Allowed)});
    model.flush();
    QCOMPARE(model.index(0, CallMonitorModel::Risk).data().toString(), QStringLiteral("Critical"));
    QCOMPARE(model.index(0, CallMonitorModel::Risk)
                 .data(ui::ToolCatalogModel::CategoryNameRole)
                 .toString(),
             QStringLiteral("Destructive"));
    QCOMPARE(model.index(1, CallMonitorModel::Risk).data().toString(), QString());
    std::string error;
    proxy.setFilter(CallFilter::parse("risk:>=high", &error));
    QCOMPARE(proxy.rowCount(), 1);
}

void TestCallMonitor::responsesStayWithinTheirBudget() {
    CallMonitorModel model;
    model.setResponseBudget(10'000);
    std::vector<CallEvent> events;
    for (std::uint64_t id = 1; id <= 5; ++id) {
        CallEvent e = makeEvent(id, "read_file", CallDecision::Allowed);
        e.response = std::make_shared<const std::string>(3'000, 'x');
        e.responseBytes = 3'000;
        events.push_back(std::move(e));
    }
    model.addEvents(events);
    model.flush();
    // 15 000 bytes against 10 000: the two oldest let theirs go, the size column stays.
    QCOMPARE(model.responseBytesKept(), 9'000u);
    QVERIFY(!model.rowAt(0).event.response);
    QVERIFY(!model.rowAt(1).event.response);
    QVERIFY(model.rowAt(2).event.response);
    QCOMPARE(model.index(0, CallMonitorModel::Size).data().toString(), QStringLiteral("2.9 KB"));
    // Rows dropped by the cap take their bytes with them.
    model.setRowCap(100);
    std::vector<CallEvent> more;
    for (std::uint64_t id = 6; id <= 200; ++id)
        more.push_back(makeEvent(id, "t", CallDecision::Allowed));
    model.addEvents(more);
    model.flush();
    QCOMPARE(model.responseBytesKept(), 0u);
    model.clear();
    QCOMPARE(model.responseBytesKept(), 0u);
}

QTEST_MAIN(TestCallMonitor)
#include "test_callmonitor.moc"
