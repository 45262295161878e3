#include "ui/mainwindow.h"

#include "demo/demotraffic.h"
#include "policy/policyedit.h"
#include "policy/policyio.h"
#include "ui/approvals/approvalsdock.h"
#include "ui/approvals/attention.h"
#include "ui/catalog/catalogview.h"
#include "ui/catalog/toolcatalogmodel.h"
#include "ui/dialogs/connectdialog.h"
#include "ui/editor/ruleeditor.h"
#include "ui/monitor/callmonitormodel.h"
#include "ui/monitor/livecallsview.h"
#include "ui/policydocument.h"
#include "ui/preview/policypreview.h"
#include "ui/servers/serverscontroller.h"
#include "ui/servers/serverspanel.h"
#include "workspace/accesstoken.h"
#include "workspace/clientsnippets.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QIcon>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QUndoStack>
#include <QtConcurrent/QtConcurrentRun>

#include <set>

// Resources compiled into a static library are only registered when asked for by name.
static void initPortcullisResources() {
    Q_INIT_RESOURCE(portcullis);
}

namespace portcullis::ui {

namespace {

QString demoWorkspaceDir() {
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("demo"));
}

QByteArray demoPolicy() {
    QFile f(QStringLiteral(":/demo/strict-starter.json"));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

MainWindow::MainWindow(Options options, QWidget* parent)
    : QMainWindow(parent)
    , m_options(std::move(options)) {
    ::initPortcullisResources();
    setWindowIcon(QIcon(QStringLiteral(":/icons/portcullis.svg")));
    resize(1600, 960);

    m_doc = new PolicyDocument(this);
    m_catalogModel = new ToolCatalogModel(this);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("mainTabs"));
    auto* split = new QSplitter(Qt::Horizontal, m_tabs);
    split->setObjectName(QStringLiteral("catalogSplit"));
    m_catalog = new CatalogView(*m_catalogModel, split);
    m_editor = new RuleEditor(*m_doc, split);
    m_editor->setObjectName(QStringLiteral("ruleEditor"));
    split->addWidget(m_catalog);
    split->addWidget(m_editor);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({620, 460});
    // A tab switch leaves the keyboard in a table, so A and R keep deciding held calls.
    split->setFocusProxy(m_catalog->table());
    m_tabs->addTab(split, tr("Tools && rules"));
    m_calls = new CallMonitorModel(this);
    m_calls->setRiskLookup([this](const std::string& server, const std::string& tool) {
        CallMonitorModel::RiskInfo risk;
        const int row = m_catalogModel->rowOf(server, tool);
        if (row >= 0 && m_catalogModel->row(row).offered) {
            risk.level = static_cast<int>(m_catalogModel->row(row).assessment.risk);
            risk.category = static_cast<int>(m_catalogModel->row(row).assessment.category);
        }
        return risk;
    });
    m_liveCalls = new LiveCallsView(*m_calls, m_tabs);
    m_liveCalls->setObjectName(QStringLiteral("liveCalls"));
    m_tabs->addTab(m_liveCalls, tr("Live calls"));
    setCentralWidget(m_tabs);

    buildDocks();
    buildApprovals();
    buildMenus();
    buildStatusBar();

    connect(m_doc, &PolicyDocument::changed, this, [this](const PolicySnapshot& policy) {
        m_catalogModel->setPolicy(policy);
        m_editor->scheduleRefresh();
        updatePreview();
        if (m_gateway)
            m_gateway->setPolicy(policy);
    });
    connect(m_doc, &PolicyDocument::modifiedChanged, this, &MainWindow::updateTitle);
    connect(m_catalog, &CatalogView::selectionChanged, this, &MainWindow::onSelection);
    connect(m_catalog, &CatalogView::bulkAction, this,
            [this](CatalogView::BulkAction a, const std::vector<ToolRef>& tools) {
                bulk(static_cast<int>(a), tools);
            });
    connect(m_catalog, &CatalogView::categoryOverride, this,
            [this](const ToolRef& t, int c) { setCategory(t.first, t.second, c); });
    connect(m_catalog, &CatalogView::markReviewed, this, [this](const std::vector<ToolRef>& tools) {
        for (const auto& [server, tool] : tools) {
            const int row = m_catalogModel->rowOf(server, tool);
            if (row >= 0 && m_catalogModel->row(row).offered)
                m_workspace.state.reviewed[Workspace::toolKey(server, tool)] =
                    m_catalogModel->row(row).assessment.fingerprint;
        }
        m_catalogModel->setWorkspaceState(m_workspace.state);
        saveWorkspaceState();
    });
    connect(m_editor, &RuleEditor::problem, this,
            [this](const QString& text) { statusBar()->showMessage(text, 8000); });
    connect(m_liveCalls, &LiveCallsView::ruleActivated, this,
            [this](const std::string& server, const std::string& tool) {
                m_tabs->setCurrentIndex(0);
                m_catalog->selectTool(server, tool);
            });
    connect(m_preview, &PolicyPreview::toolActivated, this,
            [this](const std::string& server, const std::string& tool) {
                m_tabs->setCurrentIndex(0);
                m_catalog->selectTool(server, tool);
            });

    if (m_options.restoreWindowState)
        restoreWindowState();
    updateTitle();

    WorkspaceRequest request;
    request.dir = m_options.workspaceDir;
    request.serversFile = m_options.serversFile;
    request.policyFile = m_options.policyFile;
    if (!request.policyFile.isEmpty() && request.dir.isEmpty())
        request.dir = QFileInfo(request.policyFile).absolutePath();
    if (request.dir.isEmpty())
        request.dir = QSettings().value(QStringLiteral("workspace/last")).toString();
    if (request.dir.isEmpty()) {
        // First start: the demo workspace, so badges and rules are there at once.
        request.dir = demoWorkspaceDir();
        request.create = WorkspaceRequest::Create::Demo;
        request.demoServerProgram = m_options.demoServerProgram;
        request.demoPolicy = demoPolicy();
    }
    openWorkspace(std::move(request));
    // A first key press is a command (A, R, E), never text typed into a field.
    m_catalog->table()->setFocus();
}

MainWindow::~MainWindow() {
    // Children report as they are destroyed (the undo stack turns clean); this half-destroyed
    // window must not hear it.
    m_doc->disconnect(this);
    m_catalog->disconnect(this);
    // Closing the window ends the gateway with it: held calls are rejected, the log flushed.
    delete m_gateway.data();
}

void MainWindow::buildDocks() {
    m_servers = new ServersPanel(this);
    auto* serversDock = new QDockWidget(tr("Servers"), this);
    serversDock->setObjectName(QStringLiteral("serversDock"));
    serversDock->setWidget(m_servers);
    addDockWidget(Qt::LeftDockWidgetArea, serversDock);
    connect(m_servers, &ServersPanel::restartRequested, this, [this](const std::string& key) {
        if (m_gateway && !key.empty())
            m_gateway->restartUpstream(key);
    });
    m_serversController = new ServersController(m_servers, this);
    connect(m_serversController, &ServersController::serversChanged, this,
            &MainWindow::applyServers);

    m_preview = new PolicyPreview(this);
    auto* previewDock = new QDockWidget(tr("Policy preview"), this);
    previewDock->setObjectName(QStringLiteral("previewDock"));
    previewDock->setWidget(m_preview);
    addDockWidget(Qt::RightDockWidgetArea, previewDock);
    // The catalog gets the room: the docks start narrow (a restored layout overrides this).
    resizeDocks({serversDock, previewDock}, {200, 380}, Qt::Horizontal);
}

void MainWindow::buildApprovals() {
    m_approvals = new ApprovalsDock(this);
    m_approvals->setObjectName(QStringLiteral("approvals"));
    m_approvals->setToolLookup([this](const std::string& server, const std::string& tool) {
        ApprovalCard::Tool info;
        const int row = m_catalogModel->rowOf(server, tool);
        if (row >= 0 && m_catalogModel->row(row).offered) {
            const CatalogRow& r = m_catalogModel->row(row);
            info.riskLevel = static_cast<int>(r.assessment.risk);
            info.riskText = QStringLiteral("%1 · %2").arg(
                QString::fromLatin1(toString(r.assessment.risk)).toUpper(),
                QString::fromLatin1(toString(r.assessment.category)));
            info.inputSchema = r.definition.value("inputSchema", nlohmann::json::object());
        }
        return info;
    });
    m_approvalsDock = new QDockWidget(tr("Approvals"), this);
    m_approvalsDock->setObjectName(QStringLiteral("approvalsDock"));
    m_approvalsDock->setWidget(m_approvals);
    addDockWidget(Qt::RightDockWidgetArea, m_approvalsDock);
    // Beside the policy preview, in front when a call waits.
    if (auto* preview = findChild<QDockWidget*>(QStringLiteral("previewDock"))) {
        tabifyDockWidget(preview, m_approvalsDock);
        preview->raise();
    }
    m_attention = new Attention(this);

    connect(m_approvals, &ApprovalsDock::decided, this,
            [this](std::uint64_t id, const ApprovalQueue::Outcome& outcome) {
                if (m_gateway)
                    m_gateway->decide(id, outcome);
            });
    connect(m_approvals, &ApprovalsDock::allowForSessionRequested, this,
            [this](const ApprovalQueue::Held& held) {
                if (!m_gateway)
                    return;
                // Posted to the gateway before the approval, so they arrive in this order.
                m_gateway->allowForSession(held.event.session, held.event.server, held.event.tool);
                m_approvals->approve(held.id);
            });
    connect(m_approvals, &ApprovalsDock::alwaysAllowRequested, this, &MainWindow::alwaysAllow);
    connect(m_approvals, &ApprovalsDock::countChanged, this, [this](int n) {
        m_attention->setPending(n);
        updateStatus();
    });
    connect(m_attention, &Attention::showRequested, this, &MainWindow::showApproval);

    // The keys act whenever this window is active; a focused text field keeps its letters
    // (line and text edits claim printable keys before shortcuts see them).
    const struct {
        QKeySequence key;
        void (ApprovalsDock::*act)();
    } keys[] = {
        {QKeySequence(Qt::Key_A), &ApprovalsDock::approveCurrent},
        {QKeySequence(Qt::Key_R), &ApprovalsDock::rejectCurrent},
        {QKeySequence(Qt::Key_E), &ApprovalsDock::editCurrent},
        {QKeySequence(Qt::SHIFT | Qt::Key_A), &ApprovalsDock::approveSelected},
        {QKeySequence(Qt::SHIFT | Qt::Key_R), &ApprovalsDock::rejectSelected},
    };
    std::vector<QShortcut*> shortcuts;
    for (const auto& k : keys) {
        auto* shortcut = new QShortcut(k.key, this);
        shortcut->setContext(Qt::WindowShortcut);
        shortcut->setEnabled(false);
        connect(shortcut, &QShortcut::activated, m_approvals, k.act);
        shortcuts.push_back(shortcut);
    }
    // Without a card the letters go where they would anyway (type-ahead in the tables).
    connect(m_approvals, &ApprovalsDock::countChanged, this, [shortcuts](int n) {
        for (QShortcut* s : shortcuts)
            s->setEnabled(n > 0);
    });
}

void MainWindow::buildStatusBar() {
    m_gatewayStatus = new QLabel(tr("Gateway not started"), this);
    m_gatewayStatus->setObjectName(QStringLiteral("gatewayStatus"));
    m_sessionsStatus = new QLabel(this);
    m_sessionsStatus->setObjectName(QStringLiteral("sessionsStatus"));
    m_rateStatus = new QLabel(this);
    m_rateStatus->setObjectName(QStringLiteral("rateStatus"));
    m_pendingStatus = new QLabel(this);
    m_pendingStatus->setObjectName(QStringLiteral("pendingStatus"));
    statusBar()->addWidget(m_gatewayStatus, 1);
    statusBar()->addPermanentWidget(m_sessionsStatus);
    statusBar()->addPermanentWidget(m_rateStatus);
    statusBar()->addPermanentWidget(m_pendingStatus);
    auto* timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, &MainWindow::updateStatus);
    timer->start(1000);
    updateStatus();
}

void MainWindow::updateStatus() {
    // Plurals spelt out: without a translation loaded, %n forms would read "session(s)".
    m_sessionsStatus->setText(m_stats.sessions == 1 ? tr("1 session")
                                                    : tr("%1 sessions").arg(m_stats.sessions));
    m_rateStatus->setText(
        tr("%1 calls/min").arg(m_calls->callsLastMinute(QDateTime::currentMSecsSinceEpoch())));
    const int pending = m_approvals->count();
    m_pendingStatus->setText(pending == 0 ? tr("nothing waiting")
                                          : tr("%n waiting for you", nullptr, pending));
    m_pendingStatus->setStyleSheet(pending == 0 ? QString()
                                                : QStringLiteral("QLabel { color: white; "
                                                                 "background: #0d47a1; padding: "
                                                                 "0 6px; border-radius: 4px; }"));
}

void MainWindow::onCallHeld(const ApprovalQueue::Held& held) {
    m_approvals->addHeld(held);
    m_approvalsDock->show();
    m_approvalsDock->raise();
    m_attention->callHeld(held);
}

void MainWindow::showApproval(std::uint64_t approvalId) {
    show();
    raise();
    activateWindow();
    m_approvalsDock->show();
    m_approvalsDock->raise();
    if (approvalId)
        m_approvals->select(approvalId);
}

void MainWindow::alwaysAllow(const ApprovalQueue::Held& held) {
    const PolicyEdit::ToolRef ref{held.event.server, held.event.tool};
    // A rule that cannot change (e.g. "*" hides everything) leaves the call waiting.
    if (applyEdit(tr("Always allow %1").arg(QString::fromStdString(held.event.tool)),
                  [&](const Policy& p) {
                      return PolicyEdit::setKind(p, ref, PolicyEdit::RuleKind::Allow);
                  }))
        m_approvals->approve(held.id);
}

void MainWindow::sendDemoTraffic() {
    if (!m_gateway || m_endpoint.isEmpty()) {
        Q_EMIT demoTrafficFailed(tr("The gateway is not running yet."));
        return;
    }
    auto* traffic = new DemoTraffic(m_endpoint, m_workspace.token, this);
    connect(traffic, &DemoTraffic::sent, this, [this](int calls) {
        m_tabs->setCurrentWidget(m_liveCalls);
        m_liveCalls->table()->setFocus();
        statusBar()->showMessage(
            tr("Sent %1 demo calls; one waits for you in Approvals (press A to approve it).")
                .arg(calls),
            10'000);
        Q_EMIT demoTrafficSent(calls);
    });
    connect(traffic, &DemoTraffic::failed, this, [this, traffic](const QString& error) {
        traffic->deleteLater();
        statusBar()->showMessage(error, 10'000);
        Q_EMIT demoTrafficFailed(error);
    });
    connect(traffic, &DemoTraffic::finished, traffic, &QObject::deleteLater);
    traffic->start();
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* newWs = file->addAction(tr("&New Workspace…"), this, &MainWindow::newWorkspace);
    newWs->setShortcut(QKeySequence::New);
    QAction* open = file->addAction(tr("&Open Workspace…"), this, &MainWindow::chooseWorkspace);
    open->setShortcut(QKeySequence::Open);
    QAction* save =
        file->addAction(tr("&Save"), this, [this] { saveWorkspace(m_workspace.policyFile); });
    save->setObjectName(QStringLiteral("actionSave"));
    save->setShortcut(QKeySequence::Save);
    QAction* saveAs = file->addAction(tr("Save Policy &As…"), this, [this] {
        const QString name = QFileDialog::getSaveFileName(
            this, tr("Save policy as"), m_workspace.policyFile, tr("Policy (*.json)"));
        if (!name.isEmpty())
            saveWorkspace(name);
    });
    saveAs->setShortcut(QKeySequence::SaveAs);
    file->addSeparator();
    file->addAction(tr("&Import Policy…"), this, &MainWindow::importPolicy);
    file->addAction(tr("&Export policy.json…"), this, &MainWindow::exportPolicy);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = m_doc->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    undo->setObjectName(QStringLiteral("actionUndo"));
    QAction* redo = m_doc->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    redo->setObjectName(QStringLiteral("actionRedo"));
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    QAction* find = edit->addAction(tr("&Find Tool"), this, [this] {
        m_tabs->setCurrentIndex(0);
        m_catalog->filterBox()->setFocus();
        m_catalog->filterBox()->selectAll();
    });
    find->setShortcut(QKeySequence::Find);

    QMenu* gateway = menuBar()->addMenu(tr("&Gateway"));
    QAction* connectClient =
        gateway->addAction(tr("&Connect a Client…"), this, &MainWindow::showConnectDialog);
    connectClient->setObjectName(QStringLiteral("actionConnect"));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* demo = help->addAction(tr("Send &Demo Traffic"), this, &MainWindow::sendDemoTraffic);
    demo->setObjectName(QStringLiteral("actionDemoTraffic"));
    demo->setToolTip(tr("A few calls through the gateway: allowed, rate-limited, denied, hidden, "
                        "and one held for you"));
    help->addAction(tr("&About Portcullis"), this, [this] {
        QMessageBox::about(this, tr("About Portcullis"),
                           tr("Portcullis %1\nA desktop gateway between AI agents and their MCP "
                              "servers.")
                               .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::restoreWindowState() {
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_catalog->table()->horizontalHeader()->restoreState(
        settings.value(QStringLiteral("window/catalogColumns")).toByteArray());
    m_tabs->setCurrentIndex(settings.value(QStringLiteral("window/tab"), 0).toInt());
}

void MainWindow::saveWindowState() {
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/catalogColumns"),
                      m_catalog->table()->horizontalHeader()->saveState());
    settings.setValue(QStringLiteral("window/tab"), m_tabs->currentIndex());
    if (!m_workspace.dir.isEmpty() && m_options.serversFile.isEmpty())
        settings.setValue(QStringLiteral("workspace/last"), m_workspace.dir);
}

void MainWindow::openWorkspace(WorkspaceRequest request) {
    request.dir = QDir(request.dir).absolutePath();
    m_gatewayStatus->setText(tr("Opening %1…").arg(request.dir));
    auto* watcher = new QFutureWatcher<LoadedWorkspace>(this);
    connect(watcher, &QFutureWatcher<LoadedWorkspace>::finished, this, [this, watcher] {
        LoadedWorkspace loaded = watcher->result();
        watcher->deleteLater();
        onWorkspaceLoaded(std::move(loaded));
    });
    watcher->setFuture(QtConcurrent::run([request] { return loadWorkspace(request); }));
}

void MainWindow::onWorkspaceLoaded(LoadedWorkspace loaded) {
    if (!loaded.errors.isEmpty() || !loaded.servers || !loaded.policy) {
        m_gatewayStatus->setText(tr("Could not open the workspace"));
        Q_EMIT workspaceFailed(loaded.errors);
        if (isVisible())
            showMessage(tr("Cannot open the workspace"), loaded.errors.join(QLatin1Char('\n')));
        return;
    }
    m_workspace = std::move(loaded);
    m_doc->reset(std::move(*m_workspace.policy), m_workspace.policyFile);
    m_workspace.policy.reset();
    m_catalogModel->setWorkspaceState(m_workspace.state);
    m_serversController->setServersText(m_workspace.serversText);
    m_upstreams.clear();
    m_catalogModel->setUpstreams(m_upstreams);
    m_servers->setUpstreams(m_upstreams);
    updateTitle();
    startGateway();
    Q_EMIT workspaceOpened();
}

void MainWindow::startGateway() {
    if (m_retiring)
        return; // the retiring gateway's end starts the new one, with what is current then
    if (m_gateway) {
        // The new gateway takes the same port, so the old one must have let go of it first;
        // nothing waits meanwhile.
        GatewayHost* old = m_gateway.data();
        m_gateway.clear();
        m_retiring = true;
        m_gatewayStatus->setText(tr("Restarting the gateway…"));
        old->retire();
        connect(old, &QObject::destroyed, this, [this] {
            m_retiring = false;
            startGateway();
        });
        return;
    }
    GatewayService::Options o;
    o.servers = *m_workspace.servers;
    o.listenAddress = m_options.listenAddress;
    o.port = m_boundPort ? m_boundPort : m_options.port;
    o.token = m_workspace.token;
    o.auditPath = QDir(m_workspace.dir).filePath(QStringLiteral("audit.jsonl"));
    o.keepResponses = true; // the detail pane shows what the agent got
    m_approvals->clear();   // a previous gateway's held calls ended with it
    m_gateway = new GatewayHost(o, this);
    connect(m_gateway, &GatewayHost::callEvents, m_calls, &CallMonitorModel::addEvents);
    connect(m_gateway, &GatewayHost::callHeld, this, &MainWindow::onCallHeld);
    connect(m_gateway, &GatewayHost::callResolved, m_approvals, &ApprovalsDock::removeHeld);
    connect(m_gateway, &GatewayHost::statsChanged, this, [this](const GatewayStats& stats) {
        m_stats = stats;
        updateStatus();
    });
    connect(m_gateway, &GatewayHost::started, this, [this](const QUrl& endpoint) {
        m_endpoint = endpoint;
        m_boundPort = static_cast<quint16>(endpoint.port());
        m_gatewayStatus->setText(tr("Gateway listening on %1").arg(endpoint.toString()));
        Q_EMIT gatewayListening(endpoint);
    });
    connect(m_gateway, &GatewayHost::startFailed, this, [this](const QString& error) {
        m_gatewayStatus->setText(tr("Gateway failed: %1").arg(error));
    });
    connect(m_gateway, &GatewayHost::upstreamsChanged, this, &MainWindow::onUpstreams);
    m_gatewayStatus->setText(tr("Starting the gateway…"));
    m_gateway->start(m_doc->snapshot());
}

void MainWindow::onUpstreams(const std::vector<UpstreamStatus>& upstreams) {
    m_upstreams = upstreams;
    // A tool seen for the first time is the baseline its later definitions are compared with:
    // a server that changes a tool behind the user's back gets it marked.
    bool baseline = false;
    for (const UpstreamStatus& u : upstreams) {
        for (const ClassifiedTool& t : u.tools) {
            const std::string key = Workspace::toolKey(u.key, t.definition.value("name", ""));
            if (m_workspace.state.reviewed.emplace(key, t.assessment.fingerprint).second)
                baseline = true;
        }
    }
    if (baseline) {
        m_catalogModel->setWorkspaceState(m_workspace.state);
        saveWorkspaceState();
    }
    const std::vector<ToolRef> selected = m_catalog->selectedTools();
    m_catalogModel->setUpstreams(upstreams);
    m_servers->setUpstreams(upstreams);
    if (selected.size() == 1)
        m_catalog->selectTool(selected.front().first, selected.front().second);
    updatePreview();
    bool settled = true;
    for (const UpstreamStatus& u : upstreams)
        settled = settled && u.state != UpstreamClient::State::Starting;
    if (settled)
        Q_EMIT upstreamsSettled();
}

void MainWindow::onSelection() {
    std::vector<RuleEditor::Selected> selection;
    for (const ToolRef& t : m_catalog->selectedTools()) {
        const int row = m_catalogModel->rowOf(t.first, t.second);
        RuleEditor::Selected s;
        s.ref = {t.first, t.second};
        if (row >= 0)
            s.definition = m_catalogModel->row(row).definition;
        selection.push_back(std::move(s));
    }
    m_editor->setSelection(std::move(selection));
}

void MainWindow::updateTitle() {
    const QString name =
        m_workspace.dir.isEmpty() ? tr("Portcullis") : QDir(m_workspace.dir).dirName();
    setWindowTitle(QStringLiteral("%1[*] — Portcullis").arg(name));
    setWindowModified(m_doc->isModified());
}

void MainWindow::updatePreview() {
    std::set<std::string> offered;
    for (const UpstreamStatus& u : m_upstreams) {
        for (const ClassifiedTool& t : u.tools)
            offered.insert(t.definition.value("name", ""));
    }
    m_preview->setPolicy(m_doc->policy(), offered);
}

void MainWindow::saveWorkspace(const QString& policyFile) {
    if (policyFile.isEmpty())
        return;
    m_doc->save(policyFile);
    connect(
        m_doc, &PolicyDocument::saved, this,
        [this](const QString& fileName, const QString& error) {
            if (!error.isEmpty()) {
                showMessage(tr("Cannot save"), error);
                return;
            }
            m_workspace.policyFile = fileName;
            statusBar()->showMessage(tr("Saved %1").arg(fileName), 4000);
        },
        Qt::SingleShotConnection);
}

void MainWindow::importPolicy() {
    const QString name =
        QFileDialog::getOpenFileName(this, tr("Import policy"), QString(), tr("Policy (*.json)"));
    if (!name.isEmpty())
        importPolicyFile(name);
}

void MainWindow::importPolicyFile(const QString& fileName) {
    auto* watcher = new QFutureWatcher<PolicyLoadResult>(this);
    connect(watcher, &QFutureWatcher<PolicyLoadResult>::finished, this, [this, watcher, fileName] {
        PolicyLoadResult result = watcher->result();
        watcher->deleteLater();
        if (!result.ok()) {
            QStringList lines;
            for (const PolicyProblem& p : result.problems)
                lines << QString::fromStdString(p.format(fileName.toStdString()));
            showMessage(tr("The policy was not imported"),
                        tr("Nothing was changed. %1 has these problems:\n\n%2")
                            .arg(fileName, lines.join(QLatin1Char('\n'))));
            Q_EMIT importFailed(fileName, lines);
            return;
        }
        m_doc->apply(tr("Import %1").arg(QFileInfo(fileName).fileName()),
                     [&](Policy& policy) -> std::optional<QString> {
                         policy = std::move(*result.policy);
                         return std::nullopt;
                     });
        Q_EMIT policyImported(fileName);
    });
    watcher->setFuture(QtConcurrent::run([fileName] { return PolicyIo::loadFile(fileName); }));
}

void MainWindow::exportPolicy() {
    const std::vector<std::string> extensions = m_doc->policy().extensionsUsed();
    if (!extensions.empty()) {
        QStringList names;
        for (const std::string& e : extensions)
            names << QString::fromStdString(e);
        const auto answer = QMessageBox::warning(
            this, tr("Export policy.json"),
            tr("This policy uses keys that the PolicyLayer format does not have: %1.\n\nThe "
               "file keeps them, but a PolicyLayer reader will not enforce them. Export anyway?")
                .arg(names.join(QStringLiteral(", "))),
            QMessageBox::Yes | QMessageBox::Cancel);
        if (answer != QMessageBox::Yes)
            return;
    }
    const QString name = QFileDialog::getSaveFileName(
        this, tr("Export policy.json"), QStringLiteral("policy.json"), tr("Policy (*.json)"));
    if (!name.isEmpty())
        exportPolicyFile(name);
}

void MainWindow::exportPolicyFile(const QString& fileName) {
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, fileName] {
        const QString error = watcher->result();
        watcher->deleteLater();
        if (!error.isEmpty())
            showMessage(tr("Cannot export"), error);
        else
            statusBar()->showMessage(tr("Exported %1").arg(fileName), 4000);
        Q_EMIT policyExported(fileName, error);
    });
    watcher->setFuture(QtConcurrent::run([policy = m_doc->snapshot(), fileName] {
        return PolicyIo::saveFile(*policy, fileName).value_or(QString());
    }));
}

void MainWindow::showMessage(const QString& title, const QString& text) {
    // Not exec(): nothing waits for the person to read it.
    auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::newWorkspace() {
    if (!confirmDiscard([this] { newWorkspace(); }))
        return;
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder for the new workspace"));
    if (dir.isEmpty())
        return;
    WorkspaceRequest request;
    request.dir = dir;
    request.create = WorkspaceRequest::Create::Empty;
    openWorkspace(std::move(request));
}

void MainWindow::chooseWorkspace() {
    if (!confirmDiscard([this] { chooseWorkspace(); }))
        return;
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Open a workspace folder"), m_workspace.dir);
    if (!dir.isEmpty()) {
        WorkspaceRequest request;
        request.dir = dir;
        openWorkspace(std::move(request));
    }
}

void MainWindow::showConnectDialog() {
    GatewayConnection c;
    c.endpoint = m_endpoint.toString();
    c.token = m_workspace.token;
    c.bridgePath =
        QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("portcullis-bridge"));
    // The bridge reads the same file the window does, unless the token came from the
    // environment (then the snippets carry it in PORTCULLIS_TOKEN).
    if (qEnvironmentVariableIsEmpty("PORTCULLIS_TOKEN"))
        c.tokenFile = defaultTokenFile(m_workspace.dir);
    auto* dialog = new ConnectDialog(c, this);
    dialog->setObjectName(QStringLiteral("connectDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::applyServers(const std::string& text, const QString& description) {
    ServersConfigResult parsed = ServersConfigIo::parse(text);
    if (!parsed.config) {
        QStringList problems;
        for (const std::string& p : parsed.problems)
            problems << QString::fromStdString(p);
        showMessage(tr("Servers not changed"), problems.join(QLatin1Char('\n')));
        return;
    }
    m_workspace.servers = std::move(parsed.config);
    m_workspace.serversText = text;
    const QString file = m_workspace.serversFile;
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, file, description] {
        const QString error = watcher->result();
        watcher->deleteLater();
        if (!error.isEmpty())
            showMessage(tr("Cannot save servers.json"), error);
        else
            statusBar()->showMessage(tr("%1: saved %2").arg(description, file), 4000);
        Q_EMIT serversSaved(file, error);
    });
    watcher->setFuture(QtConcurrent::run([file, bytes = QByteArray::fromStdString(text)] {
        return Workspace::writeFileAtomically(file, bytes).value_or(QString());
    }));
    startGateway();
}

void MainWindow::setCategory(const std::string& server, const std::string& tool, int category) {
    const std::string key = Workspace::toolKey(server, tool);
    if (category < 0)
        m_workspace.state.categoryOverrides.erase(key);
    else
        m_workspace.state.categoryOverrides[key] = static_cast<RiskCategory>(category);
    m_catalogModel->setWorkspaceState(m_workspace.state);
    saveWorkspaceState();
}

void MainWindow::saveWorkspaceState() {
    const WorkspaceState state = m_workspace.state;
    const QString dir = m_workspace.dir;
    // workspace.json is small; written off the GUI thread all the same.
    (void)QtConcurrent::run([dir, state] { return Workspace::saveState(dir, state); });
}

void MainWindow::bulk(int action, const std::vector<std::pair<std::string, std::string>>& tools) {
    using Kind = PolicyEdit::RuleKind;
    std::vector<PolicyEdit::ToolRef> refs;
    for (const auto& [server, tool] : tools)
        refs.push_back({server, tool});
    if (refs.empty())
        return;
    const QString count = tr("%n tools", nullptr, static_cast<int>(refs.size()));
    std::function<PolicyEdit::EditResult(const Policy&)> change;
    QString text;
    switch (static_cast<CatalogView::BulkAction>(action)) {
    case CatalogView::BulkAction::Recommended:
        text = tr("Recommended rules for %1").arg(count);
        change = [&](const Policy& p) {
            PolicyEdit::EditResult r{p, {}};
            for (const UpstreamStatus& u : m_upstreams) {
                std::vector<ClassifiedTool> chosen;
                for (const ClassifiedTool& t : u.tools) {
                    const std::string name = t.definition.value("name", "");
                    for (const auto& ref : refs) {
                        if (ref.server == u.key && ref.tool == name) {
                            ClassifiedTool c = t;
                            const int row = m_catalogModel->rowOf(u.key, name);
                            if (row >= 0)
                                c.assessment = m_catalogModel->row(row).assessment;
                            chosen.push_back(std::move(c));
                        }
                    }
                }
                if (!chosen.empty() && r.ok())
                    r = PolicyEdit::applyRecommendedRules(*r.policy, u.key, chosen);
            }
            return r;
        };
        break;
    case CatalogView::BulkAction::Allow:
        text = tr("Allow %1").arg(count);
        change = [&](const Policy& p) { return PolicyEdit::setKind(p, refs, Kind::Allow); };
        break;
    case CatalogView::BulkAction::Deny:
        text = tr("Deny %1").arg(count);
        change = [&](const Policy& p) { return PolicyEdit::setKind(p, refs, Kind::Deny); };
        break;
    case CatalogView::BulkAction::Hide:
        text = tr("Hide %1").arg(count);
        change = [&](const Policy& p) { return PolicyEdit::setKind(p, refs, Kind::Hide); };
        break;
    case CatalogView::BulkAction::Approve:
        text = tr("Require approval for %1").arg(count);
        change = [&](const Policy& p) { return PolicyEdit::setKind(p, refs, Kind::NeedsApproval); };
        break;
    case CatalogView::BulkAction::RateLimit: {
        bool ok = false;
        const int max = QInputDialog::getInt(this, tr("Rate limit"),
                                             tr("Calls per minute for each of %1:").arg(count), 30,
                                             1, 1'000'000, 1, &ok);
        if (!ok)
            return;
        Limit limit;
        limit.max = max;
        limit.window = LimitWindow::Minute;
        text = tr("%1/min for %2").arg(max).arg(count);
        change = [&, limit](const Policy& p) { return PolicyEdit::applyLimit(p, refs, limit); };
        break;
    }
    }
    applyEdit(text, change);
}

bool MainWindow::applyEdit(const QString& description,
                           const std::function<PolicyEdit::EditResult(const Policy&)>& change) {
    QString refused;
    m_doc->apply(description, [&](Policy& policy) -> std::optional<QString> {
        PolicyEdit::EditResult r = change(policy);
        if (!r.ok())
            return refused = QString::fromStdString(r.problem);
        policy = std::move(*r.policy);
        return std::nullopt;
    });
    if (refused.isEmpty())
        return true;
    statusBar()->showMessage(refused, 8000);
    return false;
}

bool MainWindow::confirmDiscard(const std::function<void()>& thenAfterSaving) {
    if (!m_doc->isModified())
        return true;
    const auto answer =
        QMessageBox::question(this, tr("Unsaved changes"),
                              tr("The policy has changes that are not saved. Save them first?"),
                              QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    if (answer == QMessageBox::Discard)
        return true;
    if (answer == QMessageBox::Save) {
        // The file is written off the GUI thread; what was asked for happens once it is.
        connect(
            m_doc, &PolicyDocument::saved, this,
            [this, thenAfterSaving](const QString&, const QString& error) {
                if (!error.isEmpty())
                    QMessageBox::warning(this, tr("Cannot save"), error);
                else
                    thenAfterSaving();
            },
            Qt::SingleShotConnection);
        m_doc->save(m_workspace.policyFile);
    }
    return false;
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!m_closing && !confirmDiscard([this] {
            m_closing = true;
            close();
        })) {
        event->ignore();
        return;
    }
    m_closing = true;
    saveWindowState();
    event->accept();
}

} // namespace portcullis::ui
