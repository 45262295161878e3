#include "ui/catalog/riskbadgedelegate.h"

#include "ui/catalog/toolcatalogmodel.h"

#include <QApplication>
#include <QPainter>

namespace portcullis::ui {

QColor RiskBadgeDelegate::levelColor(int level) {
    switch (level) {
    case 0:
        return QColor(0x1b, 0x5e, 0x20); // low: green
    case 1:
        return QColor(0x8a, 0x4b, 0x00); // medium: amber, dark enough for white text
    case 2:
        return QColor(0xb7, 0x1c, 0x1c); // high: red
    default:
        return QColor(0x4a, 0x14, 0x8c); // critical: purple, apart from red for colour-blind eyes
    }
}

namespace {
QString badgeText(const QModelIndex& index) {
    return index.data(Qt::DisplayRole).toString().toUpper() + QStringLiteral(" · ") +
           index.data(ToolCatalogModel::CategoryNameRole).toString();
}
} // namespace

void RiskBadgeDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                              const QModelIndex& index) const {
    const int level = index.data(ToolCatalogModel::RiskLevelRole).toInt();
    // The cell itself (selection, focus) as the style draws it, without text.
    QStyleOptionViewItem cell = option;
    initStyleOption(&cell, index);
    cell.text.clear();
    const QWidget* widget = option.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &cell, painter, widget);
    if (level < 0)
        return;

    const QString text = badgeText(index);
    QFont font = option.font;
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 0.9);
    const QFontMetrics metrics(font);
    const int height = metrics.height() + 4;
    const int width = std::min(metrics.horizontalAdvance(text) + 12, option.rect.width() - 6);
    const QRect badge(option.rect.left() + 3, option.rect.center().y() - height / 2 + 1, width,
                      height);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(levelColor(level));
    painter->drawRoundedRect(badge, height / 2.0, height / 2.0);
    painter->setPen(Qt::white);
    painter->setFont(font);
    painter->drawText(badge, Qt::AlignCenter,
                      metrics.elidedText(text, Qt::ElideRight, badge.width() - 8));
    painter->restore();
}

QSize RiskBadgeDelegate::sizeHint(const QStyleOptionViewItem& option,
                                  const QModelIndex& index) const {
    QFont font = option.font;
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 0.9);
    const QFontMetrics metrics(font);
    return {metrics.horizontalAdvance(badgeText(index)) + 18, metrics.height() + 8};
}

} // namespace portcullis::ui
