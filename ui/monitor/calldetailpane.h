#pragma once

#include "calls/callevent.h"

#include <QWidget>

#include <optional>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace portcullis::ui {

// The selected call in full: what decided it (with a link to the rule), its timings and
// approver, and its arguments and result pretty-printed. Results over 64 KB show their start
// until "Show all" is pressed; the full text is formatted off the GUI thread.
class CallDetailPane final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CallDetailPane)

public:
    explicit CallDetailPane(QWidget* parent = nullptr);

    void showCall(const CallEvent& event);
    void showNothing();
    std::optional<std::uint64_t> shownCall() const;

    QString argumentsText() const;
    QString resultText() const;
    QString headerText() const;
    // The call as one JSON object (the event, and the response when the window kept it).
    QString callAsJson() const;

    static constexpr qsizetype kPreviewBytes = 64 * 1024;

Q_SIGNALS:
    // The person followed the link to the rule that decided the call.
    void ruleActivated(const std::string& server, const std::string& tool);

private:
    void showAllResult();

    std::optional<CallEvent> m_event;
    QLabel* m_header = nullptr;
    QPlainTextEdit* m_arguments = nullptr;
    QPlainTextEdit* m_result = nullptr;
    QPushButton* m_showAll = nullptr;
    QPushButton* m_copy = nullptr;
    int m_generation = 0; // a late "show all" for a call no longer shown is dropped
};

} // namespace portcullis::ui
