#include "ui/monitor/callfilterproxy.h"

#include "risk/riskclassifier.h"
#include "ui/monitor/callmonitormodel.h"

namespace portcullis::ui {

CallFilterProxy::CallFilterProxy(CallMonitorModel& model, QObject* parent)
    : QSortFilterProxyModel(parent)
    , m_model(model) {
    setSourceModel(&model);
    // A held call that is approved may stop or start matching (decision:pending).
    setDynamicSortFilter(true);
}

void CallFilterProxy::setFilter(std::optional<CallFilter> filter) {
    if (filter && filter->isEmpty())
        filter.reset();
    m_filter = std::move(filter);
    invalidateFilter();
}

bool CallFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    if (!m_filter || sourceParent.isValid())
        return true;
    const MonitorRow& row = m_model.rowAt(sourceRow);
    const std::optional<RiskLevel> risk =
        row.riskLevel < 0 ? std::nullopt : std::optional(static_cast<RiskLevel>(row.riskLevel));
    return m_filter->matches(row.event, risk);
}

} // namespace portcullis::ui
