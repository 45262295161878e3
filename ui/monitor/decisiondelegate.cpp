#include "ui/monitor/decisiondelegate.h"

#include "calls/callevent.h"
#include "ui/monitor/callmonitormodel.h"

#include <QApplication>
#include <QPainter>

namespace portcullis::ui {

void DecisionDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                             const QModelIndex& index) const {
    QStyleOptionViewItem cell = option;
    initStyleOption(&cell, index);
    const QString text = cell.text;
    cell.text.clear();
    const QWidget* widget = option.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &cell, painter, widget);
    const QVariant decision = index.data(CallMonitorModel::DecisionRole);
    if (!decision.isValid() || text.isEmpty())
        return;

    QFont font = option.font;
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 0.9);
    const QFontMetrics metrics(font);
    const int height = metrics.height() + 2;
    const int width = std::min(metrics.horizontalAdvance(text) + 12, option.rect.width() - 6);
    const QRect pill(option.rect.left() + 3, option.rect.center().y() - height / 2 + 1, width,
                     height);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(CallMonitorModel::decisionColor(static_cast<CallDecision>(decision.toInt())));
    painter->drawRoundedRect(pill, height / 2.0, height / 2.0);
    painter->setPen(Qt::white);
    painter->setFont(font);
    painter->drawText(pill, Qt::AlignCenter,
                      metrics.elidedText(text, Qt::ElideRight, pill.width() - 8));
    painter->restore();
}

} // namespace portcullis::ui
