#pragma once

#include "gateway/gatewayhost.h"
#include "policy/policyedit.h"
#include "ui/workspaceloader.h"

#include <QHostAddress>
#include <QMainWindow>
#include <QPointer>
#include <QUrl>

#include <functional>
#include <memory>

class QDockWidget;
class QLabel;
class QTabWidget;

namespace portcullis::ui {

class ApprovalsDock;
class Attention;
class CallMonitorModel;
class CatalogView;
class LiveCallsView;
class PolicyDocument;
class PolicyPreview;
class RuleEditor;
class ServersController;
class ServersPanel;
class ToolCatalogModel;

// The desktop window: servers on the left, the tool catalog and rule editor in the middle,
// the policy preview on the right, and the gateway running on a thread of its own, always
// enforcing the policy the editor shows.
class MainWindow final : public QMainWindow {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    struct Options {
        QString workspaceDir; // empty: the last one, or the demo workspace on first start
        QString serversFile;  // with policyFile: these files instead of a workspace's
        QString policyFile;
        QHostAddress listenAddress = QHostAddress::LocalHost;
        quint16 port = 0;
        QString demoServerProgram; // portcullis-demo-server, for the demo workspace
        bool restoreWindowState = true;
    };

    explicit MainWindow(Options options, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens a workspace folder (or a servers/policy pair) without blocking; workspaceOpened()
    // or workspaceFailed() follows.
    void openWorkspace(WorkspaceRequest request);

    // Import: the file is validated first (off the GUI thread); on any error nothing changes.
    // One undoable step when it succeeds.
    void importPolicyFile(const QString& fileName);
    // Export: the policy.json of the document, written off the GUI thread.
    void exportPolicyFile(const QString& fileName);

    QTabWidget* tabs() const { return m_tabs; }
    CatalogView* catalog() const { return m_catalog; }
    ToolCatalogModel* catalogModel() const { return m_catalogModel; }
    RuleEditor* ruleEditor() const { return m_editor; }
    PolicyPreview* preview() const { return m_preview; }
    PolicyDocument* document() const { return m_doc; }
    CallMonitorModel* callsModel() const { return m_calls; }
    LiveCallsView* liveCalls() const { return m_liveCalls; }
    ApprovalsDock* approvals() const { return m_approvals; }
    QDockWidget* approvalsDockWidget() const { return m_approvalsDock; }
    Attention* attention() const { return m_attention; }
    // Help > Send demo traffic: a few calls of every kind through the gateway.
    void sendDemoTraffic();
    QUrl endpoint() const { return m_endpoint; }
    QString token() const { return m_workspace.token; }
    const LoadedWorkspace& workspace() const { return m_workspace; }

Q_SIGNALS:
    void gatewayListening(const QUrl& endpoint);
    void workspaceOpened();
    void workspaceFailed(const QStringList& errors);
    // Every upstream has reported its tools (or failed).
    void upstreamsSettled();
    void policyImported(const QString& fileName);
    void importFailed(const QString& fileName, const QStringList& problems);
    void policyExported(const QString& fileName, const QString& error);
    void serversSaved(const QString& fileName, const QString& error);
    // Help > Send demo traffic: the calls were sent (the held one waits for a person), or not.
    void demoTrafficSent(int calls);
    void demoTrafficFailed(const QString& error);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void buildDocks();
    void buildApprovals();
    void buildStatusBar();
    void updateStatus();
    void onCallHeld(const ApprovalQueue::Held& held);
    void alwaysAllow(const ApprovalQueue::Held& held);
    void showApproval(std::uint64_t approvalId);
    void restoreWindowState();
    void saveWindowState();
    void onWorkspaceLoaded(LoadedWorkspace loaded);
    void startGateway();
    void onUpstreams(const std::vector<UpstreamStatus>& upstreams);
    void onSelection();
    void updateTitle();
    void updatePreview();
    void saveWorkspace(const QString& policyFile);
    void importPolicy();
    void exportPolicy();
    void newWorkspace();
    void chooseWorkspace();
    void showConnectDialog();
    // servers.json changed in the window: written off the GUI thread, and the gateway restarts
    // on the same port with the new servers (the policy in force stays the editor's).
    void applyServers(const std::string& text, const QString& description);
    void setCategory(const std::string& server, const std::string& tool, int category);
    void saveWorkspaceState(); // workspace.json, off the GUI thread
    void bulk(int action, const std::vector<std::pair<std::string, std::string>>& tools);
    // One undoable policy edit; a refusal is shown in the status bar and false returned.
    bool applyEdit(const QString& description,
                   const std::function<PolicyEdit::EditResult(const Policy&)>& change);
    // True when unsaved edits may be dropped now. "Save" saves without waiting and runs
    // `thenAfterSaving` once the file is written; false is returned then, as for "Cancel".
    void showMessage(const QString& title, const QString& text);
    bool confirmDiscard(const std::function<void()>& thenAfterSaving);

    Options m_options;
    LoadedWorkspace m_workspace;
    std::vector<UpstreamStatus> m_upstreams;
    QPointer<GatewayHost> m_gateway;
    QUrl m_endpoint;
    quint16 m_boundPort = 0; // kept across gateway restarts so clients need not reconnect elsewhere
    bool m_closing = false;
    bool m_retiring = false; // a gateway is stopping; the next one starts when it has

    PolicyDocument* m_doc = nullptr;
    ToolCatalogModel* m_catalogModel = nullptr;
    QTabWidget* m_tabs = nullptr;
    CatalogView* m_catalog = nullptr;
    RuleEditor* m_editor = nullptr;
    PolicyPreview* m_preview = nullptr;
    ServersPanel* m_servers = nullptr;
    ServersController* m_serversController = nullptr;
    QLabel* m_gatewayStatus = nullptr;
    QLabel* m_sessionsStatus = nullptr;
    QLabel* m_rateStatus = nullptr;
    QLabel* m_pendingStatus = nullptr;
    GatewayStats m_stats;
    CallMonitorModel* m_calls = nullptr;
    LiveCallsView* m_liveCalls = nullptr;
    ApprovalsDock* m_approvals = nullptr;
    QDockWidget* m_approvalsDock = nullptr;
    Attention* m_attention = nullptr;
};

} // namespace portcullis::ui
