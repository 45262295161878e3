#include "ui/monitor/decisiondelegate.h"

#include "calls/callevent.h"
#include "ui/catalog/badgepainter.h"
#include "ui/monitor/callmonitormodel.h"

namespace portcullis::ui {

void DecisionDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                             const QModelIndex& index) const {
    QStyleOptionViewItem cell = option;
    initStyleOption(&cell, index);
    const QVariant decision = index.data(CallMonitorModel::DecisionRole);
    const QString text = decision.isValid() ? cell.text : QString();
    paintBadgeCell(painter, cell, text,
                   CallMonitorModel::decisionColor(static_cast<CallDecision>(decision.toInt())), 2);
}

} // namespace portcullis::ui
