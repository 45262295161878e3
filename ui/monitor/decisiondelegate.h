#pragma once

#include <QStyledItemDelegate>

namespace portcullis::ui {

// Paints the decision column as a coloured pill (allowed green, denied red, pending blue, ...),
// carrying its own background so it reads the same on light and dark palettes.
class DecisionDelegate final : public QStyledItemDelegate {
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
};

} // namespace portcullis::ui
