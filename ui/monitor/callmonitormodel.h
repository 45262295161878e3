#pragma once

#include "calls/callevent.h"

#include <QAbstractTableModel>
#include <QColor>

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <unordered_map>
#include <vector>

namespace portcullis::ui {

// One row of the live-calls view: a call as last reported, with the tool's risk as the catalog
// knew it when the call arrived.
struct MonitorRow {
    CallEvent event;
    std::int64_t deltaMs = 0; // since the row before it arrived
    int riskLevel = -1;       // RiskLevel, -1 when the catalog did not know the tool
    int riskCategory = -1;    // RiskCategory
};

// The live calls, fed by the gateway's batched call events. Appends are queued and flushed once
// per event-loop pass with one beginInsertRows; a later event of the same call (held, then
// approved) updates its row through an id index; past the row cap the oldest rows go in batches.
// Display text is built only when a view asks for it.
class CallMonitorModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CallMonitorModel)

public:
    enum Column {
        Time,
        Delta,
        Client,
        Server,
        Tool,
        Risk,
        Decision,
        Rule,
        Duration,
        Size,
        ColumnCount
    };
    enum Role {
        DecisionRole = Qt::UserRole + 40, // int(CallDecision)
        CallIdRole,                       // qulonglong
    };
    struct RiskInfo {
        int level = -1;
        int category = -1;
    };
    using RiskLookup = std::function<RiskInfo(const std::string& server, const std::string& tool)>;

    explicit CallMonitorModel(QObject* parent = nullptr);
    ~CallMonitorModel() override;

    void setRiskLookup(RiskLookup lookup) { m_riskLookup = std::move(lookup); }
    // Rows kept; the oldest go when there are more. At least 100.
    void setRowCap(std::size_t cap);
    std::size_t rowCap() const { return m_cap; }
    // The responses kept for the detail pane, in bytes altogether: past it the oldest rows let
    // theirs go (their size stays), so a few huge results cannot outgrow the row cap's bound.
    void setResponseBudget(std::size_t bytes);
    std::size_t responseBytesKept() const { return m_responseBytes; }

    // Queues events; they become rows on the next pass of the event loop (or at flush()).
    void addEvents(const std::vector<CallEvent>& batch);
    void flush();
    // Paused: events wait in the queue (the view holds still for reading); resumed: they flow.
    // A queue longer than the cap drops its oldest, counted as dropped.
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    std::size_t queuedEvents() const { return m_queue.size(); }
    void clear();

    const MonitorRow& rowAt(int row) const { return m_rows[static_cast<std::size_t>(row)]; }
    int rowOfCall(std::uint64_t callId) const;
    // Calls seen since the start (or clear), rows dropped by the cap, and calls in the last
    // minute.
    std::uint64_t callsSeen() const { return m_seen; }
    std::uint64_t rowsDropped() const { return m_dropped; }
    int callsLastMinute(std::int64_t nowMs) const;

    static QString decisionText(CallDecision d);
    static QColor decisionColor(CallDecision d);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    // After each flush: rows were added or changed (views decide whether to follow the bottom).
    void flushed(int added);
    // A row's call changed (the detail pane refreshes when it shows it).
    void callUpdated(std::uint64_t callId);

private:
    void scheduleFlush();
    void dropOldest(std::size_t n);
    void keepWithinResponseBudget();
    static std::size_t responseSize(const CallEvent& e) {
        return e.response ? e.response->size() : 0;
    }

    std::deque<MonitorRow> m_rows;
    // call id -> absolute index (row + m_firstAbs): stays valid when old rows go.
    std::unordered_map<std::uint64_t, std::uint64_t> m_index;
    std::uint64_t m_firstAbs = 0;
    std::vector<CallEvent> m_queue;
    std::deque<std::int64_t> m_recent; // arrival times in the last minute
    RiskLookup m_riskLookup;
    std::size_t m_cap = 100'000;
    std::size_t m_responseBudget = 256u << 20;
    std::size_t m_responseBytes = 0;
    std::size_t m_trimmedUpTo = 0; // rows before this one have let their response go
    std::uint64_t m_seen = 0;
    std::uint64_t m_dropped = 0;
    std::int64_t m_lastArrivalMs = 0;
    bool m_flushScheduled = false;
    bool m_paused = false;
};

} // namespace portcullis::ui
