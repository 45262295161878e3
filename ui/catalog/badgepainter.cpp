#include "ui/catalog/badgepainter.h"

#include <QApplication>
#include <QPainter>
#include <QStyleOptionViewItem>

#include <algorithm>

namespace portcullis::ui {

void paintBadgeCell(QPainter* painter, const QStyleOptionViewItem& option, const QString& text,
                    const QColor& color, int padding) {
    QStyleOptionViewItem cell = option;
    cell.text.clear();
    const QWidget* widget = option.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &cell, painter, widget);
    if (text.isEmpty())
        return;

    QFont font = option.font;
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 0.9);
    const QFontMetrics metrics(font);
    const int height = metrics.height() + padding;
    const int width = std::min(metrics.horizontalAdvance(text) + 12, option.rect.width() - 6);
    const QRect badge(option.rect.left() + 3, option.rect.center().y() - height / 2 + 1, width,
                      height);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(color);
    painter->drawRoundedRect(badge, height / 2.0, height / 2.0);
    painter->setPen(Qt::white);
    painter->setFont(font);
    painter->drawText(badge, Qt::AlignCenter,
                      metrics.elidedText(text, Qt::ElideRight, badge.width() - 8));
    painter->restore();
}

} // namespace portcullis::ui
