#include "ui/catalog/riskbadgedelegate.h"

#include "ui/catalog/badgepainter.h"
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
    QStyleOptionViewItem cell = option;
    initStyleOption(&cell, index);
    paintBadgeCell(painter, cell, level < 0 ? QString() : badgeText(index), levelColor(level), 4);
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
