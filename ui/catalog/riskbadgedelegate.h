#pragma once

#include <QColor>
#include <QStyledItemDelegate>

namespace portcullis::ui {

// Paints the risk column as a badge: the level's colour with the level and category in white.
// The badge carries its own background, so it reads the same on light and dark palettes.
class RiskBadgeDelegate final : public QStyledItemDelegate {
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

    // Background per level (Low..Critical); white text on each has a contrast ratio >= 4.5.
    static QColor levelColor(int level);
};

} // namespace portcullis::ui
