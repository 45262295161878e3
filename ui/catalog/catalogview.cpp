#include "ui/catalog/catalogview.h"

#include "ui/catalog/riskbadgedelegate.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace portcullis::ui {

CatalogView::CatalogView(ToolCatalogModel& model, QWidget* parent)
    : QWidget(parent)
    , m_model(model) {
    m_proxy.setSourceModel(&m_model);
    m_proxy.setSortRole(ToolCatalogModel::SortRole);
    m_proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy.setFilterKeyColumn(-1); // any column: server, name, title, category, rule
    m_proxy.setSortCaseSensitivity(Qt::CaseInsensitive);

    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("catalogFilter"));
    m_filter->setPlaceholderText(tr("Filter tools (name, server, category, rule)"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, &m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);

    m_bulk = new QToolButton(this);
    m_bulk->setObjectName(QStringLiteral("bulkActions"));
    m_bulk->setText(tr("Selected tools"));
    m_bulk->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(m_bulk);
    auto addBulk = [this, menu](const QString& text, BulkAction action) {
        QAction* a = menu->addAction(text);
        connect(a, &QAction::triggered, this,
                [this, action] { Q_EMIT bulkAction(action, selectedTools()); });
    };
    addBulk(tr("Apply recommended rules"), BulkAction::Recommended);
    menu->addSeparator();
    addBulk(tr("Allow"), BulkAction::Allow);
    addBulk(tr("Require approval"), BulkAction::Approve);
    addBulk(tr("Deny"), BulkAction::Deny);
    addBulk(tr("Hide"), BulkAction::Hide);
    addBulk(tr("Set a rate limit…"), BulkAction::RateLimit);
    m_bulk->setMenu(menu);
    m_bulk->setEnabled(false);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("catalogTable"));
    m_table->setModel(&m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(ToolCatalogModel::Risk, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    // Uniform rows: thousands of tools scroll without measuring each one.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    m_table->setItemDelegateForColumn(ToolCatalogModel::Risk, new RiskBadgeDelegate(m_table));
    QHeaderView* header = m_table->horizontalHeader();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->resizeSection(ToolCatalogModel::Server, 60);
    header->resizeSection(ToolCatalogModel::Tool, 215);
    header->resizeSection(ToolCatalogModel::Risk, 170);
    header->resizeSection(ToolCatalogModel::Rule, 170);
    header->resizeSection(ToolCatalogModel::Category, 90);
    header->resizeSection(ToolCatalogModel::Confidence, 85);
    header->resizeSection(ToolCatalogModel::Changed, 70);
    header->resizeSection(ToolCatalogModel::Title, 200);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QWidget::customContextMenuRequested, this, &CatalogView::showContextMenu);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const auto tools = selectedTools();
        m_bulk->setEnabled(!tools.empty());
        Q_EMIT selectionChanged(tools);
    });

    auto* top = new QHBoxLayout;
    top->addWidget(m_filter, 1);
    top->addWidget(m_bulk);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);
}

std::vector<ToolRef> CatalogView::selectedTools() const {
    std::vector<ToolRef> out;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    for (const QModelIndex& proxyIndex : rows) {
        const QModelIndex source = m_proxy.mapToSource(proxyIndex);
        const CatalogRow& r = m_model.row(source.row());
        out.emplace_back(r.server, r.tool);
    }
    return out;
}

void CatalogView::selectTool(const std::string& server, const std::string& tool) {
    const int row = m_model.rowOf(server, tool);
    if (row < 0)
        return;
    const QModelIndex proxyIndex = m_proxy.mapFromSource(m_model.index(row, 0));
    if (!proxyIndex.isValid()) {
        m_filter->clear(); // filtered out: show everything rather than select nothing
        selectTool(server, tool);
        return;
    }
    m_table->selectionModel()->select(proxyIndex, QItemSelectionModel::ClearAndSelect |
                                                      QItemSelectionModel::Rows);
    m_table->setCurrentIndex(proxyIndex);
    m_table->scrollTo(proxyIndex);
}

void CatalogView::showContextMenu(const QPoint& pos) {
    const QModelIndex proxyIndex = m_table->indexAt(pos);
    if (!proxyIndex.isValid())
        return;
    const CatalogRow& r = m_model.row(m_proxy.mapToSource(proxyIndex).row());
    if (!r.offered)
        return;
    QMenu menu(this);
    QMenu* category = menu.addMenu(tr("Set category"));
    const ToolRef ref{r.server, r.tool};
    for (int c = 0; c <= static_cast<int>(RiskCategory::Other); ++c) {
        QAction* a =
            category->addAction(QString::fromLatin1(toString(static_cast<RiskCategory>(c))));
        connect(a, &QAction::triggered, this, [this, ref, c] { Q_EMIT categoryOverride(ref, c); });
    }
    if (r.userCategory) {
        category->addSeparator();
        QAction* clear = category->addAction(tr("Use the classifier's category"));
        connect(clear, &QAction::triggered, this,
                [this, ref] { Q_EMIT categoryOverride(ref, -1); });
    }
    const std::vector<ToolRef> selected = selectedTools();
    QAction* reviewed = menu.addAction(tr("Mark as reviewed"));
    reviewed->setToolTip(tr("Accept the current definitions; later changes are marked again"));
    connect(reviewed, &QAction::triggered, this,
            [this, selected] { Q_EMIT markReviewed(selected); });
    menu.exec(m_table->viewport()->mapToGlobal(pos));
}

} // namespace portcullis::ui
