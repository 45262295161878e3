#pragma once

#include "gateway/approvalqueue.h"

#include <QFrame>

#include <nlohmann/json.hpp>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace portcullis::ui {

// One held call: the tool with its risk badge, server and client, the arguments it would run
// with (editable for "edit and approve", checked against the tool's inputSchema), a countdown
// to the deadline, and the person's choices.
class ApprovalCard final : public QFrame {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApprovalCard)

public:
    struct Tool {
        int riskLevel = -1; // RiskLevel, -1 when unknown
        QString riskText;   // "HIGH · Execute"
        nlohmann::json inputSchema;
    };

    ApprovalCard(ApprovalQueue::Held held, Tool tool, QWidget* parent = nullptr);

    std::uint64_t approvalId() const { return m_held.id; }
    const ApprovalQueue::Held& held() const { return m_held; }

    void setSelected(bool selected);
    bool isSelected() const { return m_selected; }
    // The card A / R / E act on when nothing is selected.
    void setTarget(bool target);
    bool isEditing() const { return m_editing; }
    // Countdown from the wall clock (the gateway's deadline is wall-clock too).
    void updateCountdown(std::int64_t nowMs);

    QString rejectReason() const;
    // Edit mode: the arguments become editable and take the focus.
    void startEditing();
    void cancelEditing();
    // The edited arguments when they parse and fit the schema; otherwise the problems are shown
    // on the card and std::nullopt is returned.
    std::optional<nlohmann::json> editedArguments();
    QPlainTextEdit* argumentsEditor() const { return m_arguments; }
    QString problemsText() const;

Q_SIGNALS:
    void approveRequested(std::uint64_t approvalId);
    void rejectRequested(std::uint64_t approvalId);
    void editRequested(std::uint64_t approvalId);
    void allowSessionRequested(std::uint64_t approvalId);
    void alwaysAllowRequested(std::uint64_t approvalId);
    // The card was painted for the first time: a person can see it.
    void firstPainted(std::uint64_t approvalId);
    // Clicked: `extend` with Ctrl held (adds to the selection).
    void clicked(std::uint64_t approvalId, bool extend);

protected:
    void mousePressEvent(QMouseEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    // In the arguments editor: Ctrl+Return approves the edit, Escape abandons it.
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void showArguments(const nlohmann::json& arguments);
    int compactHeight() const;
    void restyle();

    ApprovalQueue::Held m_held;
    Tool m_tool;
    bool m_selected = false;
    bool m_target = false;
    bool m_painted = false;
    bool m_editing = false;
    QPlainTextEdit* m_arguments = nullptr;
    QLabel* m_problems = nullptr;
    QProgressBar* m_countdown = nullptr;
    QLineEdit* m_reason = nullptr;
    QPushButton* m_approve = nullptr;
    QPushButton* m_edit = nullptr;
};

} // namespace portcullis::ui
