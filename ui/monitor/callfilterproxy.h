#pragma once

#include "calls/callfilter.h"

#include <QSortFilterProxyModel>

#include <optional>

namespace portcullis::ui {

class CallMonitorModel;

// The live-calls rows that match the filter bar's query (CallFilter, from core). Chronological:
// the proxy never sorts, it only filters.
class CallFilterProxy final : public QSortFilterProxyModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CallFilterProxy)

public:
    explicit CallFilterProxy(CallMonitorModel& model, QObject* parent = nullptr);

    // std::nullopt or an empty filter shows every row.
    void setFilter(std::optional<CallFilter> filter);
    bool isFiltering() const { return m_filter.has_value(); }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    CallMonitorModel& m_model;
    std::optional<CallFilter> m_filter;
};

} // namespace portcullis::ui
