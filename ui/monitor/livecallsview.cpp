#include "ui/monitor/livecallsview.h"

#include "calls/callexport.h"
#include "calls/callfilter.h"
#include "ui/catalog/riskbadgedelegate.h"
#include "ui/monitor/calldetailpane.h"
#include "ui/monitor/callfilterproxy.h"
#include "ui/monitor/callmonitormodel.h"
#include "ui/monitor/decisiondelegate.h"
#include "workspace/workspace.h"

#include <QFileDialog>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace portcullis::ui {

LiveCallsView::LiveCallsView(CallMonitorModel& model, QWidget* parent)
    : QWidget(parent)
    , m_model(model) {
    m_proxy = new CallFilterProxy(model, this);

    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("callFilter"));
    m_filter->setPlaceholderText(
        tr("Filter: tool:delete* server:ecs decision:denied risk:>=high client:cursor, "
           "free text, \"or\""));
    m_filter->setClearButtonEnabled(true);
    m_filterDelay = new QTimer(this);
    m_filterDelay->setSingleShot(true);
    m_filterDelay->setInterval(200);

    m_pause = new QToolButton(this);
    m_pause->setObjectName(QStringLiteral("pauseCalls"));
    m_pause->setText(tr("Pause"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Hold the list still; calls keep being recorded and appear on resume"));
    auto* clear = new QToolButton(this);
    clear->setObjectName(QStringLiteral("clearCalls"));
    clear->setText(tr("Clear"));
    auto* exportButton = new QToolButton(this);
    exportButton->setObjectName(QStringLiteral("exportCalls"));
    exportButton->setText(tr("Export…"));
    exportButton->setToolTip(tr("Save the rows the filter shows as JSON Lines or CSV"));
    m_counts = new QLabel(this);
    m_counts->setObjectName(QStringLiteral("callCounts"));

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_pause);
    bar->addWidget(clear);
    bar->addWidget(exportButton);
    bar->addWidget(m_counts);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("callTable"));
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setShowGrid(false);
    m_table->verticalHeader()->hide();
    // Uniform rows: the view never measures 100 000 rows to lay them out.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setItemDelegateForColumn(CallMonitorModel::Risk, new RiskBadgeDelegate(m_table));
    m_table->setItemDelegateForColumn(CallMonitorModel::Decision, new DecisionDelegate(m_table));
    const int widths[] = {100, 70, 120, 110, 240, 150, 110, 260, 80, 80};
    for (int c = 0; c < CallMonitorModel::ColumnCount; ++c)
        m_table->setColumnWidth(c, widths[c]);

    m_details = new CallDetailPane(this);
    m_details->setObjectName(QStringLiteral("callDetails"));
    auto* split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("callsSplit"));
    split->addWidget(m_table);
    split->addWidget(m_details);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    // Switching to this tab puts the keyboard in the table, never in the filter bar, so A and R
    // still decide held calls.
    setFocusProxy(m_table);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(split, 1);

    connect(m_filter, &QLineEdit::textChanged, m_filterDelay, qOverload<>(&QTimer::start));
    connect(m_filterDelay, &QTimer::timeout, this, &LiveCallsView::applyFilter);
    connect(m_filter, &QLineEdit::returnPressed, this, &LiveCallsView::applyFilter);
    // While paused no rows land, so the count of calls waiting to be shown ticks by itself.
    auto* pausedTicker = new QTimer(this);
    pausedTicker->setInterval(500);
    connect(pausedTicker, &QTimer::timeout, this, &LiveCallsView::updateCounts);
    connect(m_pause, &QToolButton::toggled, this, [this, pausedTicker](bool paused) {
        m_model.setPaused(paused);
        m_pause->setText(paused ? tr("Resume") : tr("Pause"));
        if (paused)
            pausedTicker->start();
        else
            pausedTicker->stop();
        updateCounts();
    });
    connect(clear, &QToolButton::clicked, this, [this] {
        m_details->showNothing();
        m_model.clear();
        updateCounts();
    });
    connect(exportButton, &QToolButton::clicked, this, &LiveCallsView::chooseExportFile);
    // Whether to follow is decided before the rows land, from where the person left the view.
    connect(&m_model, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        const QScrollBar* scroll = m_table->verticalScrollBar();
        m_follow = scroll->value() >= scroll->maximum() - 1;
    });
    connect(&m_model, &CallMonitorModel::flushed, this, &LiveCallsView::onFlushed);
    connect(&m_model, &QAbstractItemModel::modelReset, this, &LiveCallsView::updateCounts);
    connect(&m_model, &CallMonitorModel::callUpdated, this, [this](std::uint64_t id) {
        if (m_details->shownCall() == id) {
            const int row = m_model.rowOfCall(id);
            if (row >= 0)
                m_details->showCall(m_model.rowAt(row).event);
        }
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &LiveCallsView::onCurrentChanged);
    connect(m_details, &CallDetailPane::ruleActivated, this, &LiveCallsView::ruleActivated);
    updateCounts();
}

void LiveCallsView::applyFilter() {
    m_filterDelay->stop();
    std::string error;
    const QByteArray text = m_filter->text().toUtf8();
    std::optional<CallFilter> filter = CallFilter::parse(
        std::string_view(text.constData(), static_cast<size_t>(text.size())), &error);
    if (!filter) {
        // The rows stay as they were; the bar says why.
        m_filter->setStyleSheet(
            QStringLiteral("QLineEdit { background: #ffd7d7; color: #5c0000; }"));
        m_filter->setToolTip(QString::fromStdString(error));
        m_filter->setProperty("invalid", true);
        return;
    }
    m_filter->setStyleSheet({});
    m_filter->setToolTip({});
    m_filter->setProperty("invalid", false);
    m_proxy->setFilter(std::move(filter));
    updateCounts();
    if (m_follow)
        m_table->scrollToBottom();
}

void LiveCallsView::onFlushed() {
    if (m_follow && !m_model.isPaused())
        m_table->scrollToBottom();
    updateCounts();
}

void LiveCallsView::updateCounts() {
    const QLocale locale;
    QString text =
        tr("%1 calls").arg(locale.toString(static_cast<qulonglong>(m_model.callsSeen())));
    if (m_proxy->isFiltering())
        text += tr(" · %1 shown").arg(locale.toString(m_proxy->rowCount()));
    if (m_model.rowsDropped() > 0)
        text += tr(" · %1 oldest dropped")
                    .arg(locale.toString(static_cast<qulonglong>(m_model.rowsDropped())));
    if (m_model.isPaused() && m_model.queuedEvents() > 0)
        text += tr(" · %1 waiting")
                    .arg(locale.toString(static_cast<qulonglong>(m_model.queuedEvents())));
    m_counts->setText(text);
}

void LiveCallsView::onCurrentChanged() {
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (!current.isValid()) {
        m_details->showNothing();
        return;
    }
    const QModelIndex source = m_proxy->mapToSource(current);
    m_details->showCall(m_model.rowAt(source.row()).event);
}

void LiveCallsView::selectCall(std::uint64_t callId) {
    const int row = m_model.rowOfCall(callId);
    if (row < 0)
        return;
    const QModelIndex index = m_proxy->mapFromSource(m_model.index(row, 0));
    if (!index.isValid())
        return;
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                          QItemSelectionModel::Rows);
    m_table->scrollTo(index);
}

void LiveCallsView::chooseExportFile() {
    const QString name =
        QFileDialog::getSaveFileName(this, tr("Export calls"), QStringLiteral("calls.jsonl"),
                                     tr("JSON Lines (*.jsonl);;CSV (*.csv)"));
    if (!name.isEmpty())
        exportVisibleRows(name);
}

void LiveCallsView::exportVisibleRows(const QString& fileName) {
    std::vector<CallEvent> events;
    events.reserve(static_cast<std::size_t>(m_proxy->rowCount()));
    for (int r = 0; r < m_proxy->rowCount(); ++r)
        events.push_back(m_model.rowAt(m_proxy->mapToSource(m_proxy->index(r, 0)).row()).event);
    const bool csv = !fileName.endsWith(QLatin1String(".jsonl"), Qt::CaseInsensitive) &&
                     !fileName.endsWith(QLatin1String(".json"), Qt::CaseInsensitive);
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, fileName] {
        watcher->deleteLater();
        Q_EMIT exported(fileName, watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([events = std::move(events), fileName, csv] {
        const std::string text = csv ? callsAsCsv(events) : callsAsJsonLines(events);
        const auto error = Workspace::writeFileAtomically(
            fileName, QByteArray(text.data(), static_cast<qsizetype>(text.size())));
        return error.value_or(QString());
    }));
}

} // namespace portcullis::ui
