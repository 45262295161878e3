#pragma once

#include "gateway/gatewayhost.h"

#include <QWidget>

#include <string>
#include <vector>

class QPushButton;
class QTreeWidget;

namespace portcullis::ui {

// Each upstream with its live state (starting / up / down with the last error / restarting),
// its transport and tool count, and the actions on it.
class ServersPanel final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServersPanel)

public:
    explicit ServersPanel(QWidget* parent = nullptr);

    void setUpstreams(const std::vector<UpstreamStatus>& upstreams);
    std::string selectedServer() const;
    QTreeWidget* tree() const { return m_tree; }

    static QString stateText(UpstreamClient::State state);

Q_SIGNALS:
    void restartRequested(const std::string& server);
    void addRequested();
    void editRequested(const std::string& server);
    void removeRequested(const std::string& server);
    void importRequested();

private:
    QTreeWidget* m_tree = nullptr;
    QPushButton* m_restart = nullptr;
    QPushButton* m_edit = nullptr;
    QPushButton* m_remove = nullptr;
};

} // namespace portcullis::ui
