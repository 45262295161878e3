#include "gatewayprocess.h"
#include "gui/windowfixture.h"
#include "ui/approvals/approvalcard.h"
#include "ui/approvals/approvalsdock.h"
#include "ui/approvals/attention.h"
#include "ui/catalog/catalogview.h"
#include "ui/mainwindow.h"
#include "ui/monitor/calldetailpane.h"
#include "ui/monitor/callmonitormodel.h"
#include "ui/monitor/livecallsview.h"
#include "ui/policydocument.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

#include <nlohmann/json.hpp>

using nlohmann::json;
using portcullis::CallDecision;
using portcullis::ui::ApprovalCard;
using portcullis::ui::MainWindow;

namespace {

// Two tools that need a person: one with time to decide, one that times out at once.
constexpr char kPolicy[] = R"({
  "version": "1",
  "default": "allow",
  "tools": {
    "build_and_push_image_to_ecr": { "action": "approve", "approval": { "timeout_s": 60 } },
    "wait_for_service_ready": { "action": "approve", "approval": { "timeout_s": 1 } }
  }
})";

const json kBuildArgs = {{"app_name", "web"}, {"app_path", "/srv/web"}};

// The text of the first content item of a tools/call result.
std::string textOf(const json& call) {
    if (!call.contains("content") || call["content"].empty())
        return {};
    return call["content"][0].value("text", "");
}

} // namespace

// The approvals dock with a real agent: the reference SDK client calls a tool that needs
// approval through the window's own endpoint, the test finds the card and presses the keys a
// person would, and checks what the client gets back and what the monitor shows.
class TestApprovalsWindow final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void approveWithA();
    void rejectWithR();
    void reasonFieldKeepsItsLetters();
    void editAndApprove();
    void timeoutRemovesTheCard();
    void clientCancelRemovesTheCard();
    void clientThatVanishesRemovesTheCard();
    void allowForSessionStopsAskingInThatSessionOnly();
    void alwaysAllowChangesTheRuleUndoably();
    void arrowsAndShiftADecideTheSelection();
    void detailLinkSelectsTheRule();
    void demoTrafficShowsEveryState();

private:
    std::unique_ptr<QProcess> callHeld(const json& args, int timeoutMs = 30'000,
                                       const char* tool = "build_and_push_image_to_ecr");
    ApprovalCard* waitForCard();
    void press(Qt::Key key, Qt::KeyboardModifiers modifiers = Qt::NoModifier);
    // The decision in the monitor's newest row, -1 while there is none.
    int decisionOfLastRow();

    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
};

void TestApprovalsWindow::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    qputenv("PORTCULLIS_TOKEN", GatewayProcess::kToken);
    m_window = openWindow(m_dir.filePath(QStringLiteral("ws")), demoServers(), kPolicy, 14);
    QVERIFY(m_window);
    QTRY_VERIFY(!m_window->endpoint().isEmpty());
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    // The window never starts with the keyboard in a text field.
    QVERIFY(!qobject_cast<QLineEdit*>(QApplication::focusWidget()));
    QVERIFY(!qobject_cast<QPlainTextEdit*>(QApplication::focusWidget()));
}

void TestApprovalsWindow::cleanupTestCase() {
    m_window.reset();
}

std::unique_ptr<QProcess> TestApprovalsWindow::callHeld(const json& args, int timeoutMs,
                                                        const char* tool) {
    return startSdkClient(m_window->endpoint().toString(),
                          {QStringLiteral("--timeout-ms"), QString::number(timeoutMs),
                           QStringLiteral("--call"), QString::fromLatin1(tool),
                           QStringLiteral("--args"), QString::fromStdString(args.dump())});
}

ApprovalCard* TestApprovalsWindow::waitForCard() {
    if (!QTest::qWaitFor([this] { return m_window->approvals()->count() == 1; }, 20'000))
        return nullptr;
    return m_window->approvals()->currentCard();
}

void TestApprovalsWindow::press(Qt::Key key, Qt::KeyboardModifiers modifiers) {
    // Where a person's key press goes: the focused widget, else the window.
    QWidget* target = QApplication::focusWidget() ? QApplication::focusWidget() : m_window.get();
    QTest::keyClick(target, key, modifiers);
}

int TestApprovalsWindow::decisionOfLastRow() {
    auto* model = m_window->callsModel();
    model->flush();
    if (model->rowCount() == 0)
        return -1;
    return static_cast<int>(model->rowAt(model->rowCount() - 1).event.decision);
}

void TestApprovalsWindow::approveWithA() {
    auto client = callHeld(kBuildArgs);
    ApprovalCard* card = waitForCard();
    QVERIFY(card);
    QVERIFY(card->findChild<QLabel*>(QStringLiteral("cardTool"))
                ->text()
                .contains(QStringLiteral("build_and_push_image_to_ecr")));
    QVERIFY(card->findChild<QLabel*>(QStringLiteral("cardRisk"))
                ->text()
                .startsWith(QStringLiteral("HIGH")));
    // The card is in front, and the monitor shows the call as pending meanwhile.
    QVERIFY(m_window->approvalsDockWidget()->isVisible());
    QTRY_COMPARE(decisionOfLastRow(), int(CallDecision::Pending));
    // The tray says how many wait; its notification leads to the card.
    QVERIFY2(m_window->attention()->trayToolTip().contains(QStringLiteral("1 call")),
             qPrintable(m_window->attention()->trayToolTip()));
    QVERIFY(!card->isSelected());
    Q_EMIT m_window->attention()->showRequested(card->approvalId());
    QVERIFY(card->isSelected());
    QVERIFY(m_window->approvalsDockWidget()->isVisible());
    // The status bar: the waiting agent's session, and the calls of the last minute.
    QTRY_COMPARE(m_window->findChild<QLabel*>(QStringLiteral("sessionsStatus"))->text(),
                 QStringLiteral("1 session"));
    QTRY_COMPARE(m_window->findChild<QLabel*>(QStringLiteral("rateStatus"))->text(),
                 QStringLiteral("1 calls/min"));

    press(Qt::Key_A);
    const ClientRun r = finishSdkClient(*client);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const json& call = r.output["call"];
    QVERIFY2(!call.value("isError", false), call.dump().c_str());
    // The demo server echoes what it was called with.
    const json echoed = json::parse(textOf(call));
    QVERIFY(echoed["arguments"] == kBuildArgs);
    QCOMPARE(m_window->approvals()->count(), 0);
    QVERIFY(m_window->attention()->trayToolTip().contains(QStringLiteral("no call")));
    QTRY_COMPARE(decisionOfLastRow(), int(CallDecision::Approved));
    const auto& row = m_window->callsModel()->rowAt(m_window->callsModel()->rowCount() - 1);
    QCOMPARE(row.event.approver, std::string("gui"));
    QVERIFY(row.event.decisionLatencyMs >= 0);
}

void TestApprovalsWindow::rejectWithR() {
    auto client = callHeld(kBuildArgs);
    QVERIFY(waitForCard());
    press(Qt::Key_R);
    const ClientRun r = finishSdkClient(*client);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const json& call = r.output["call"];
    QVERIFY(call["isError"] == true);
    QCOMPARE(textOf(call), std::string("Rejected by a person in Portcullis"));
    QVERIFY(call["_meta"]["io.portcullis/decision"]["decision"] == "rejected");
    QTRY_COMPARE(decisionOfLastRow(), int(CallDecision::Rejected));
}

void TestApprovalsWindow::reasonFieldKeepsItsLetters() {
    auto client = callHeld(kBuildArgs);
    ApprovalCard* card = waitForCard();
    QVERIFY(card);
    auto* reason = card->findChild<QLineEdit*>(QStringLiteral("cardReason"));
    reason->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), reason);
    // Typed into the field, "R" and "A" are letters, not decisions.
    QTest::keyClicks(reason, QStringLiteral("not a release day"));
    press(Qt::Key_R);
    press(Qt::Key_A);
    QCOMPARE(m_window->approvals()->count(), 1);
    QCOMPARE(reason->text(), QStringLiteral("not a release dayra"));
    reason->setText(QStringLiteral("not a release day"));
    QTest::mouseClick(card->findChild<QPushButton*>(QStringLiteral("cardReject")), Qt::LeftButton);
    const ClientRun r = finishSdkClient(*client);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const json& call = r.output["call"];
    QCOMPARE(textOf(call), std::string("Rejected by a person in Portcullis: not a release day"));
    QVERIFY(call["_meta"]["io.portcullis/decision"]["reason"] == "not a release day");
}

void TestApprovalsWindow::editAndApprove() {
    auto client = callHeld(kBuildArgs);
    ApprovalCard* card = waitForCard();
    QVERIFY(card);
    press(Qt::Key_E);
    QVERIFY(card->isEditing());
    QPlainTextEdit* editor = card->argumentsEditor();
    QTRY_COMPARE(QApplication::focusWidget(), editor);

    // Without the required app_path the tool would refuse: the card says so and keeps waiting.
    editor->setPlainText(QStringLiteral(R"({ "app_name": "web-canary" })"));
    press(Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(m_window->approvals()->count(), 1);
    QVERIFY2(card->problemsText().contains(QStringLiteral("app_path")),
             qPrintable(card->problemsText()));
    // Not JSON at all.
    editor->setPlainText(QStringLiteral(R"({ "app_name": )"));
    press(Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(card->problemsText().contains(QStringLiteral("not valid JSON")));

    const json edited = {{"app_name", "web-canary"}, {"app_path", "/srv/web"}, {"tag", "v2"}};
    editor->setPlainText(QString::fromStdString(edited.dump(2)));
    press(Qt::Key_Return, Qt::ControlModifier);
    const ClientRun r = finishSdkClient(*client);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const json echoed = json::parse(textOf(r.output["call"]));
    // The upstream ran with the edited arguments.
    QVERIFY2(echoed["arguments"] == edited, echoed.dump().c_str());
    QTRY_COMPARE(decisionOfLastRow(), int(CallDecision::Approved));
    const auto& row = m_window->callsModel()->rowAt(m_window->callsModel()->rowCount() - 1);
    QVERIFY(row.event.arguments == edited);
}

void TestApprovalsWindow::timeoutRemovesTheCard() {
    auto client =
        callHeld({{"cluster", "c"}, {"service_name", "s"}}, 30'000, "wait_for_service_ready");
    QVERIFY(waitForCard());
    // One second to decide; nobody does.
    QTRY_COMPARE_WITH_TIMEOUT(m_window->approvals()->count(), 0, 10'000);
    const ClientRun r = finishSdkClient(*client);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(textOf(r.output["call"]), std::string("Not approved in time: the call was not made"));
    QTRY_COMPARE(decisionOfLastRow(), int(CallDecision::Timeout));
}

void TestApprovalsWindow::clientCancelRemovesTheCard() {
    // The SDK client gives up after 3 s and sends notifications/cancelled.
    auto client = callHeld(kBuildArgs, 3'000);
    QVERIFY(waitForCard());
    QTRY_COMPARE_WITH_TIMEOUT(m_window->approvals()->count(), 0, 15'000);
    (void)finishSdkClient(*client);
    QTRY_COMPARE(decisionOfLastRow(), int(CallDecision::Cancelled));
}

void TestApprovalsWindow::clientThatVanishesRemovesTheCard() {
    // Killed without a word: its connection closes, and the hold goes with it.
    auto client = callHeld(kBuildArgs);
    QVERIFY(waitForCard());
    client->kill();
    client->waitForFinished(5'000);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->approvals()->count(), 0, 15'000);
    QTRY_COMPARE(decisionOfLastRow(), int(CallDecision::Cancelled));
}

void TestApprovalsWindow::allowForSessionStopsAskingInThatSessionOnly() {
    // Two calls in one session: the first is held and allowed for the session, the second runs
    // without a card.
    auto client =
        startSdkClient(m_window->endpoint().toString(),
                       {QStringLiteral("--timeout-ms"), QStringLiteral("30000"),
                        QStringLiteral("--call"), QStringLiteral("build_and_push_image_to_ecr"),
                        QStringLiteral("--args"), QString::fromStdString(kBuildArgs.dump()),
                        QStringLiteral("--repeat"), QStringLiteral("2")});
    ApprovalCard* card = waitForCard();
    QVERIFY(card);
    QTest::mouseClick(card->findChild<QPushButton*>(QStringLiteral("cardAllowSession")),
                      Qt::LeftButton);
    const ClientRun r = finishSdkClient(*client);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(r.output["calls"].size(), 2u);
    for (const json& call : r.output["calls"])
        QVERIFY2(!call.value("isError", false), call.dump().c_str());
    QCOMPARE(m_window->approvals()->count(), 0);
    QTRY_COMPARE(decisionOfLastRow(), int(CallDecision::Allowed));
    // Another session is asked again.
    auto other = callHeld(kBuildArgs);
    QVERIFY(waitForCard());
    press(Qt::Key_R);
    QCOMPARE(textOf(finishSdkClient(*other).output["call"]),
             std::string("Rejected by a person in Portcullis"));
}

void TestApprovalsWindow::alwaysAllowChangesTheRuleUndoably() {
    const int steps = m_window->document()->undoStack()->count();
    auto client = callHeld(kBuildArgs);
    ApprovalCard* card = waitForCard();
    QVERIFY(card);
    QTest::mouseClick(card->findChild<QPushButton*>(QStringLiteral("cardAlwaysAllow")),
                      Qt::LeftButton);
    const ClientRun r = finishSdkClient(*client);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(!r.output["call"].value("isError", false));
    // The rule no longer asks; the next call runs without a card.
    QVERIFY(!policyJson(*m_window)["tools"].contains("build_and_push_image_to_ecr") ||
            !policyJson(*m_window)["tools"]["build_and_push_image_to_ecr"].contains("action"));
    QCOMPARE(m_window->document()->undoStack()->count(), steps + 1);
    const ClientRun next =
        runSdkClient(m_window->endpoint().toString(),
                     {QStringLiteral("--call"), QStringLiteral("build_and_push_image_to_ecr"),
                      QStringLiteral("--args"), QString::fromStdString(kBuildArgs.dump())});
    QVERIFY2(next.exitCode == 0, qPrintable(next.err));
    QVERIFY(!next.output["call"].value("isError", false));
    // Undo puts the approval back, in the running gateway too.
    m_window->document()->undoStack()->undo();
    QVERIFY(policyJson(*m_window)["tools"]["build_and_push_image_to_ecr"]["action"] == "approve");
    auto again = callHeld(kBuildArgs);
    QVERIFY(waitForCard());
    press(Qt::Key_R);
    (void)finishSdkClient(*again);
}

void TestApprovalsWindow::arrowsAndShiftADecideTheSelection() {
    auto first = callHeld(kBuildArgs);
    QVERIFY(waitForCard());
    auto second = callHeld({{"app_name", "api"}, {"app_path", "/srv/api"}});
    QTRY_COMPARE_WITH_TIMEOUT(m_window->approvals()->count(), 2, 20'000);
    auto* pending = m_window->findChild<QLabel*>(QStringLiteral("pendingStatus"));
    QTRY_COMPARE(pending->text(), QStringLiteral("2 waiting for you"));

    // Arrows in the dock: the first press selects the oldest, the next moves on.
    auto* dock = m_window->approvals();
    dock->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), dock);
    press(Qt::Key_Down);
    const auto ids = std::vector<std::uint64_t>{dock->currentCard()->approvalId()};
    press(Qt::Key_Down);
    QCOMPARE(dock->selectedIds().size(), 1u);
    QVERIFY(dock->selectedIds().front() != ids.front());
    press(Qt::Key_Up);
    QCOMPARE(dock->selectedIds(), ids);
    // Ctrl+click adds the other card; Shift+A approves both.
    ApprovalCard* other = nullptr;
    for (ApprovalCard* c : dock->findChildren<ApprovalCard*>()) {
        if (c->approvalId() != ids.front() && c->isVisible())
            other = c;
    }
    QVERIFY(other);
    QTest::mouseClick(other, Qt::LeftButton, Qt::ControlModifier, QPoint(4, 4));
    QCOMPARE(dock->selectedIds().size(), 2u);
    press(Qt::Key_A, Qt::ShiftModifier);
    QCOMPARE(dock->count(), 0);
    for (QProcess* p : {first.get(), second.get()}) {
        const ClientRun r = finishSdkClient(*p);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(!r.output["call"].value("isError", false));
    }
    QTRY_COMPARE(pending->text(), QStringLiteral("nothing waiting"));
}

void TestApprovalsWindow::detailLinkSelectsTheRule() {
    const ClientRun r =
        runSdkClient(m_window->endpoint().toString(),
                     {QStringLiteral("--call"), QStringLiteral("ecs_troubleshooting_tool"),
                      QStringLiteral("--args"), QStringLiteral(R"({"app_name":"web"})")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    auto* calls = m_window->callsModel();
    QTRY_VERIFY([&] {
        calls->flush();
        return calls->rowCount() > 0 &&
               calls->rowAt(calls->rowCount() - 1).event.tool == "ecs_troubleshooting_tool";
    }());
    m_window->tabs()->setCurrentWidget(m_window->liveCalls());
    m_window->liveCalls()->selectCall(calls->rowAt(calls->rowCount() - 1).event.id);
    auto* details = m_window->liveCalls()->details();
    QVERIFY(details->resultText().contains(QStringLiteral("ecs_troubleshooting_tool")));
    auto* header = details->findChild<QLabel*>(QStringLiteral("callHeader"));
    Q_EMIT header->linkActivated(QStringLiteral("rule"));
    QCOMPARE(m_window->tabs()->currentIndex(), 0);
    const auto selected = m_window->catalog()->selectedTools();
    QCOMPARE(selected.size(), 1u);
    QCOMPARE(selected.front().second, std::string("ecs_troubleshooting_tool"));
}

void TestApprovalsWindow::demoTrafficShowsEveryState() {
    // The demo workspace's policy: the strict starter.
    auto window = openWindow(m_dir.filePath(QStringLiteral("demo")), demoServers(),
                             strictStarterPolicy(), 14);
    QVERIFY(window);
    QTRY_VERIFY(!window->endpoint().isEmpty());
    QSignalSpy sent(window.get(), &MainWindow::demoTrafficSent);
    auto* action = window->findChild<QAction*>(QStringLiteral("actionDemoTraffic"));
    QVERIFY(action);
    action->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(sent.count(), 1, 20'000);
    QTRY_COMPARE_WITH_TIMEOUT(window->approvals()->count(), 1, 10'000);

    std::map<CallDecision, int> seen;
    auto count = [&] {
        seen.clear();
        window->callsModel()->flush();
        for (int r = 0; r < window->callsModel()->rowCount(); ++r)
            ++seen[window->callsModel()->rowAt(r).event.decision];
        return seen[CallDecision::Allowed] == 3 && seen[CallDecision::RateLimited] == 1 &&
               seen[CallDecision::Denied] == 1 && seen[CallDecision::Hidden] == 1 &&
               seen[CallDecision::Pending] == 1;
    };
    QTRY_VERIFY_WITH_TIMEOUT(count(), 10'000);
    window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window.get()));
    QWidget* focus = QApplication::focusWidget();
    // Sending demo traffic shows the Live calls tab with the keyboard in its table.
    QVERIFY(!qobject_cast<QLineEdit*>(focus));
    QTest::keyClick(focus ? focus : window.get(), Qt::Key_A);
    QTRY_COMPARE(window->approvals()->count(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            (void)count();
            return seen[CallDecision::Approved] == 1 && seen[CallDecision::Pending] == 0;
        }(),
        10'000);
    window.reset();
}

QTEST_MAIN(TestApprovalsWindow)
#include "test_approvals_window.moc"
