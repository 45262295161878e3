#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QTableView;
class QTimer;
class QToolButton;

namespace portcullis::ui {

class CallDetailPane;
class CallFilterProxy;
class CallMonitorModel;

// The "Live calls" tab: the filter bar, the calls table (following the newest call only while
// it is scrolled to the bottom), pause/resume, clear, export, and the selected call's details.
class LiveCallsView final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LiveCallsView)

public:
    explicit LiveCallsView(CallMonitorModel& model, QWidget* parent = nullptr);

    QTableView* table() const { return m_table; }
    QLineEdit* filterBox() const { return m_filter; }
    CallFilterProxy* proxy() const { return m_proxy; }
    CallDetailPane* details() const { return m_details; }
    QToolButton* pauseButton() const { return m_pause; }
    // Applies the filter bar's text now rather than after the typing pause.
    void applyFilter();
    // Writes the rows the filter shows: JSON Lines for *.jsonl / *.json, CSV otherwise.
    // Written off the GUI thread; exported() follows.
    void exportVisibleRows(const QString& fileName);
    void selectCall(std::uint64_t callId);

Q_SIGNALS:
    void exported(const QString& fileName, const QString& error);
    void ruleActivated(const std::string& server, const std::string& tool);

private:
    void onFlushed();
    void onCurrentChanged();
    void updateCounts();
    void chooseExportFile();

    CallMonitorModel& m_model;
    CallFilterProxy* m_proxy = nullptr;
    QLineEdit* m_filter = nullptr;
    QTimer* m_filterDelay = nullptr;
    QToolButton* m_pause = nullptr;
    QLabel* m_counts = nullptr;
    QTableView* m_table = nullptr;
    CallDetailPane* m_details = nullptr;
    bool m_follow = true; // the view was at the bottom before the newest rows came
};

} // namespace portcullis::ui
