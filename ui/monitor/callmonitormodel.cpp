#include "ui/monitor/callmonitormodel.h"

#include "risk/riskclassifier.h"
#include "ui/catalog/toolcatalogmodel.h"

#include <QDateTime>
#include <QLocale>
#include <QMetaObject>

#include <algorithm>

namespace portcullis::ui {

namespace {

QString millis(std::int64_t ms) {
    if (ms < 0)
        return {};
    if (ms < 10'000)
        return QStringLiteral("%1 ms").arg(ms);
    return QStringLiteral("%1 s").arg(static_cast<double>(ms) / 1000.0, 0, 'f', 1);
}

QString bytes(std::int64_t n) {
    if (n <= 0)
        return {};
    if (n < 1024)
        return QStringLiteral("%1 B").arg(n);
    if (n < 1024 * 1024)
        return QStringLiteral("%1 KB").arg(static_cast<double>(n) / 1024.0, 0, 'f', 1);
    return QStringLiteral("%1 MB").arg(static_cast<double>(n) / (1024.0 * 1024.0), 0, 'f', 1);
}

} // namespace

CallMonitorModel::CallMonitorModel(QObject* parent)
    : QAbstractTableModel(parent) {}

CallMonitorModel::~CallMonitorModel() = default;

void CallMonitorModel::setRowCap(std::size_t cap) {
    m_cap = std::max<std::size_t>(cap, 100);
    if (m_rows.size() > m_cap)
        dropOldest(m_rows.size() - m_cap);
}

void CallMonitorModel::addEvents(const std::vector<CallEvent>& batch) {
    m_queue.insert(m_queue.end(), batch.begin(), batch.end());
    if (m_paused && m_queue.size() > m_cap) {
        // While paused only the newest cap's worth can ever be shown.
        const std::size_t excess = m_queue.size() - m_cap;
        m_queue.erase(m_queue.begin(), m_queue.begin() + static_cast<std::ptrdiff_t>(excess));
        m_dropped += excess;
        m_seen += excess;
    }
    scheduleFlush();
}

void CallMonitorModel::scheduleFlush() {
    if (m_flushScheduled || m_paused)
        return;
    m_flushScheduled = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_flushScheduled = false;
            flush();
        },
        Qt::QueuedConnection);
}

void CallMonitorModel::setPaused(bool paused) {
    if (m_paused == paused)
        return;
    m_paused = paused;
    if (!paused && !m_queue.empty())
        scheduleFlush();
}

void CallMonitorModel::flush() {
    if (m_paused || m_queue.empty())
        return;
    std::vector<CallEvent> queue;
    queue.swap(m_queue);

    std::vector<MonitorRow> added;
    std::unordered_map<std::uint64_t, std::size_t> addedIndex; // call id -> index in added
    int firstChanged = -1;
    int lastChanged = -1;
    std::vector<std::uint64_t> updatedIds;
    for (CallEvent& e : queue) {
        if (const auto known = m_index.find(e.id); known != m_index.end()) {
            const int row = static_cast<int>(known->second - m_firstAbs);
            CallEvent& old = m_rows[static_cast<std::size_t>(row)].event;
            m_responseBytes -= responseSize(old);
            m_responseBytes += responseSize(e);
            old = std::move(e);
            firstChanged = firstChanged < 0 ? row : std::min(firstChanged, row);
            lastChanged = std::max(lastChanged, row);
            updatedIds.push_back(known->first);
            continue;
        }
        if (const auto fresh = addedIndex.find(e.id); fresh != addedIndex.end()) {
            m_responseBytes -= responseSize(added[fresh->second].event);
            m_responseBytes += responseSize(e);
            added[fresh->second].event = std::move(e);
            continue;
        }
        m_responseBytes += responseSize(e);
        MonitorRow row;
        row.deltaMs =
            m_lastArrivalMs > 0 ? std::max<std::int64_t>(0, e.timeMs - m_lastArrivalMs) : 0;
        m_lastArrivalMs = e.timeMs;
        if (m_riskLookup) {
            const RiskInfo risk = m_riskLookup(e.server, e.tool);
            row.riskLevel = risk.level;
            row.riskCategory = risk.category;
        }
        m_recent.push_back(e.timeMs);
        row.event = std::move(e);
        addedIndex.emplace(row.event.id, added.size());
        added.push_back(std::move(row));
    }

    if (firstChanged >= 0) {
        Q_EMIT dataChanged(index(firstChanged, 0), index(lastChanged, ColumnCount - 1));
        for (std::uint64_t id : updatedIds)
            Q_EMIT callUpdated(id);
    }
    if (!added.empty()) {
        const int first = static_cast<int>(m_rows.size());
        beginInsertRows({}, first, first + static_cast<int>(added.size()) - 1);
        for (MonitorRow& row : added) {
            m_index.emplace(row.event.id, m_firstAbs + m_rows.size());
            m_rows.push_back(std::move(row));
        }
        endInsertRows();
        m_seen += added.size();
    }
    // Past the cap the oldest go, with some slack so removals come in batches rather than a
    // row at a time.
    if (m_rows.size() > m_cap)
        dropOldest(m_rows.size() - m_cap + m_cap / 50);
    keepWithinResponseBudget();
    const std::int64_t minuteAgo = QDateTime::currentMSecsSinceEpoch() - 60'000;
    while (!m_recent.empty() && m_recent.front() < minuteAgo)
        m_recent.pop_front();
    Q_EMIT flushed(static_cast<int>(added.size()));
}

void CallMonitorModel::dropOldest(std::size_t n) {
    n = std::min(n, m_rows.size());
    if (n == 0)
        return;
    beginRemoveRows({}, 0, static_cast<int>(n) - 1);
    for (std::size_t i = 0; i < n; ++i) {
        m_index.erase(m_rows[i].event.id);
        m_responseBytes -= responseSize(m_rows[i].event);
    }
    m_trimmedUpTo = m_trimmedUpTo > n ? m_trimmedUpTo - n : 0;
    m_rows.erase(m_rows.begin(), m_rows.begin() + static_cast<std::ptrdiff_t>(n));
    m_firstAbs += n;
    endRemoveRows();
    m_dropped += n;
}

void CallMonitorModel::setResponseBudget(std::size_t bytes) {
    m_responseBudget = bytes;
    keepWithinResponseBudget();
}

void CallMonitorModel::keepWithinResponseBudget() {
    // Oldest first; a row keeps its response size for the Size column.
    while (m_responseBytes > m_responseBudget && m_trimmedUpTo < m_rows.size()) {
        CallEvent& e = m_rows[m_trimmedUpTo++].event;
        m_responseBytes -= responseSize(e);
        e.response.reset();
    }
}

void CallMonitorModel::clear() {
    beginResetModel();
    m_responseBytes = 0;
    m_trimmedUpTo = 0;
    m_rows.clear();
    m_index.clear();
    m_queue.clear();
    m_firstAbs = 0;
    m_seen = 0;
    m_dropped = 0;
    m_lastArrivalMs = 0;
    endResetModel();
}

int CallMonitorModel::rowOfCall(std::uint64_t callId) const {
    const auto it = m_index.find(callId);
    return it == m_index.end() ? -1 : static_cast<int>(it->second - m_firstAbs);
}

int CallMonitorModel::callsLastMinute(std::int64_t nowMs) const {
    const auto first = std::lower_bound(m_recent.begin(), m_recent.end(), nowMs - 60'000);
    return static_cast<int>(m_recent.end() - first);
}

QString CallMonitorModel::decisionText(CallDecision d) {
    switch (d) {
    case CallDecision::Allowed:
        return tr("allowed");
    case CallDecision::Denied:
        return tr("denied");
    case CallDecision::RateLimited:
        return tr("rate-limited");
    case CallDecision::Pending:
        return tr("pending");
    case CallDecision::Approved:
        return tr("approved");
    case CallDecision::Rejected:
        return tr("rejected");
    case CallDecision::Timeout:
        return tr("timeout");
    case CallDecision::Cancelled:
        return tr("cancelled");
    case CallDecision::Hidden:
        return tr("hidden");
    case CallDecision::Error:
        return tr("error");
    }
    return {};
}

QColor CallMonitorModel::decisionColor(CallDecision d) {
    // Dark enough that white text on each reads at >= 4.5:1.
    switch (d) {
    case CallDecision::Allowed:
        return QColor(0x1b, 0x5e, 0x20);
    case CallDecision::Approved:
        return QColor(0x00, 0x5f, 0x56);
    case CallDecision::Denied:
        return QColor(0xb7, 0x1c, 0x1c);
    case CallDecision::Rejected:
        return QColor(0x88, 0x0e, 0x4f);
    case CallDecision::RateLimited:
        return QColor(0x8a, 0x4b, 0x00);
    case CallDecision::Pending:
        return QColor(0x0d, 0x47, 0xa1);
    case CallDecision::Timeout:
        return QColor(0x5d, 0x40, 0x37);
    case CallDecision::Cancelled:
    case CallDecision::Hidden:
        return QColor(0x45, 0x5a, 0x64);
    case CallDecision::Error:
        return QColor(0x4a, 0x14, 0x8c);
    }
    return Qt::darkGray;
}

int CallMonitorModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int CallMonitorModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CallMonitorModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MonitorRow& row = m_rows[static_cast<std::size_t>(index.row())];
    const CallEvent& e = row.event;
    switch (role) {
    case CallIdRole:
        return QVariant::fromValue<qulonglong>(e.id);
    case DecisionRole:
        return static_cast<int>(e.decision);
    case ToolCatalogModel::RiskLevelRole:
        return row.riskLevel;
    case ToolCatalogModel::CategoryNameRole:
        return row.riskCategory < 0
                   ? QString()
                   : QString::fromLatin1(toString(static_cast<RiskCategory>(row.riskCategory)));
    case Qt::TextAlignmentRole:
        if (index.column() == Delta || index.column() == Duration || index.column() == Size)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Tool && e.exposedName != e.tool)
            return tr("The agent called it %1").arg(QString::fromStdString(e.exposedName));
        if ((index.column() == Decision || index.column() == Rule) && !e.reason.empty())
            return QString::fromStdString(e.reason);
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case Time:
        return QDateTime::fromMSecsSinceEpoch(e.timeMs).toString(QStringLiteral("HH:mm:ss.zzz"));
    case Delta:
        return row.deltaMs > 0 ? QStringLiteral("+") + millis(row.deltaMs) : QString();
    case Client:
        return QString::fromStdString(e.client);
    case Server:
        return QString::fromStdString(e.server);
    case Tool:
        return QString::fromStdString(e.tool);
    case Risk:
        return row.riskLevel < 0
                   ? QString()
                   : QString::fromLatin1(toString(static_cast<RiskLevel>(row.riskLevel)));
    case Decision:
        return decisionText(e.decision);
    case Rule:
        return QString::fromStdString(e.rule);
    case Duration:
        return millis(e.upstreamMs);
    case Size:
        return bytes(e.responseBytes);
    default:
        return {};
    }
}

QVariant CallMonitorModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return tr("Time");
    case Delta:
        return tr("Δ");
    case Client:
        return tr("Client");
    case Server:
        return tr("Server");
    case Tool:
        return tr("Tool");
    case Risk:
        return tr("Risk");
    case Decision:
        return tr("Decision");
    case Rule:
        return tr("Rule");
    case Duration:
        return tr("Duration");
    case Size:
        return tr("Size");
    default:
        return {};
    }
}

} // namespace portcullis::ui
