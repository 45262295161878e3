#pragma once

#include "workspace/clientsnippets.h"

#include <QDialog>

#include <vector>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;

namespace portcullis::ui {

// "Connect a client": the endpoint, the token and ready-to-paste configuration for each
// client app. The token stays masked on screen (a screen share or a shoulder is enough to
// leak it) until "Show" is ticked; every Copy button copies the real token either way.
class ConnectDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectDialog)

public:
    explicit ConnectDialog(GatewayConnection connection, QWidget* parent = nullptr);

    // A restarted gateway may listen elsewhere: the open dialog follows it.
    void setConnection(GatewayConnection connection);
    const GatewayConnection& connection() const { return m_connection; }

    bool tokenShown() const;
    void setTokenShown(bool shown);

    // The names in widget objectNames: "snippetText_" + appId + "_" + transportId.
    static QString appId(ClientApp app);
    static QString transportId(ClientSnippet::Transport transport);

private:
    struct SnippetView {
        ClientApp app;
        ClientSnippet::Transport transport;
        QLabel* title = nullptr;
        QPlainTextEdit* text = nullptr;
        QLabel* where = nullptr;
    };

    QWidget* buildAppPage(ClientApp app);
    void refresh();
    QString realSnippet(ClientApp app, ClientSnippet::Transport transport) const;
    void copy(QPushButton* button, const QString& text);

    GatewayConnection m_connection;
    QLabel* m_notRunning = nullptr;
    QLineEdit* m_endpoint = nullptr;
    QLineEdit* m_token = nullptr;
    QCheckBox* m_show = nullptr;
    QTabWidget* m_tabs = nullptr;
    std::vector<SnippetView> m_snippets;
};

} // namespace portcullis::ui
