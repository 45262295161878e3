#pragma once

#include "ui/catalog/toolcatalogmodel.h"

#include <QSortFilterProxyModel>
#include <QWidget>

#include <string>
#include <utility>
#include <vector>

class QLineEdit;
class QTableView;
class QToolButton;

namespace portcullis::ui {

using ToolRef = std::pair<std::string, std::string>; // (server, tool)

// The tool catalog: a filter box, the sortable table with risk badges, and bulk actions for
// the selected rows.
class CatalogView final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CatalogView)

public:
    enum class BulkAction { Recommended, Allow, Hide, Deny, Approve, RateLimit };

    explicit CatalogView(ToolCatalogModel& model, QWidget* parent = nullptr);

    std::vector<ToolRef> selectedTools() const;
    void selectTool(const std::string& server, const std::string& tool);
    QTableView* table() const { return m_table; }
    QLineEdit* filterBox() const { return m_filter; }
    QSortFilterProxyModel* proxy() { return &m_proxy; }

Q_SIGNALS:
    void selectionChanged(const std::vector<portcullis::ui::ToolRef>& tools);
    void bulkAction(portcullis::ui::CatalogView::BulkAction action,
                    const std::vector<portcullis::ui::ToolRef>& tools);
    void categoryOverride(const portcullis::ui::ToolRef& tool, int category); // -1 clears
    void markReviewed(const std::vector<portcullis::ui::ToolRef>& tools);

private:
    void showContextMenu(const QPoint& pos);

    ToolCatalogModel& m_model;
    QSortFilterProxyModel m_proxy;
    QLineEdit* m_filter = nullptr;
    QTableView* m_table = nullptr;
    QToolButton* m_bulk = nullptr;
};

} // namespace portcullis::ui
