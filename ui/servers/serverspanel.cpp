#include "ui/servers/serverspanel.h"

#include <QGridLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace portcullis::ui {

QString ServersPanel::stateText(UpstreamClient::State state) {
    switch (state) {
    case UpstreamClient::State::Starting:
        return tr("starting");
    case UpstreamClient::State::Up:
        return tr("up");
    case UpstreamClient::State::Restarting:
        return tr("restarting");
    case UpstreamClient::State::Stopped:
        return tr("down");
    }
    return {};
}

ServersPanel::ServersPanel(QWidget* parent)
    : QWidget(parent) {
    m_tree = new QTreeWidget(this);
    m_tree->setObjectName(QStringLiteral("serversTree"));
    m_tree->setRootIsDecorated(false);
    m_tree->setHeaderLabels({tr("Server"), tr("State"), tr("Tools"), tr("Transport")});
    m_tree->header()->setStretchLastSection(true);
    m_tree->setColumnWidth(0, 80);
    m_tree->setColumnWidth(1, 60);
    m_tree->setColumnWidth(2, 45);

    auto* add = new QPushButton(tr("Add…"), this);
    auto* import = new QPushButton(tr("Import…"), this);
    import->setToolTip(tr("Import servers from Claude Desktop, Claude Code, Cursor or VS Code"));
    m_edit = new QPushButton(tr("Edit…"), this);
    m_remove = new QPushButton(tr("Remove"), this);
    m_restart = new QPushButton(tr("Restart"), this);
    m_restart->setObjectName(QStringLiteral("restartServer"));
    connect(add, &QPushButton::clicked, this, &ServersPanel::addRequested);
    connect(import, &QPushButton::clicked, this, &ServersPanel::importRequested);
    connect(m_edit, &QPushButton::clicked, this,
            [this] { Q_EMIT editRequested(selectedServer()); });
    connect(m_remove, &QPushButton::clicked, this,
            [this] { Q_EMIT removeRequested(selectedServer()); });
    connect(m_restart, &QPushButton::clicked, this,
            [this] { Q_EMIT restartRequested(selectedServer()); });
    auto updateButtons = [this] {
        const bool any = !selectedServer().empty();
        m_edit->setEnabled(any);
        m_remove->setEnabled(any);
        m_restart->setEnabled(any);
    };
    connect(m_tree, &QTreeWidget::itemSelectionChanged, this, updateButtons);
    updateButtons();

    auto* buttons = new QGridLayout;
    buttons->addWidget(add, 0, 0);
    buttons->addWidget(import, 0, 1);
    buttons->addWidget(m_edit, 1, 0);
    buttons->addWidget(m_remove, 1, 1);
    buttons->addWidget(m_restart, 2, 0, 1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tree, 1);
    layout->addLayout(buttons);
}

std::string ServersPanel::selectedServer() const {
    const QList<QTreeWidgetItem*> items = m_tree->selectedItems();
    return items.isEmpty() ? std::string() : items.front()->text(0).toStdString();
}

void ServersPanel::setUpstreams(const std::vector<UpstreamStatus>& upstreams) {
    const std::string selected = selectedServer();
    m_tree->clear();
    for (const UpstreamStatus& u : upstreams) {
        auto* item = new QTreeWidgetItem(m_tree);
        item->setText(0, QString::fromStdString(u.key));
        QString state = stateText(u.state);
        if (u.state != UpstreamClient::State::Up && !u.lastError.isEmpty())
            state += QStringLiteral(": ") + u.lastError;
        item->setText(1, state);
        item->setToolTip(1, u.lastError.isEmpty() ? stateText(u.state) : u.lastError);
        item->setText(2, QString::number(u.tools.size()));
        item->setText(3, u.transport);
        item->setToolTip(3, u.transport); // the full command line
        if (u.key == selected)
            item->setSelected(true);
    }
}

} // namespace portcullis::ui
