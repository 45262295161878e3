#pragma once

#include "gateway/approvalqueue.h"
#include "ui/approvals/approvalcard.h"

#include <QWidget>

#include <functional>
#include <map>
#include <set>

class QLabel;
class QPushButton;
class QScrollArea;
class QTimer;
class QVBoxLayout;

namespace portcullis::ui {

// The approvals dock's content: a card per held call, oldest first. The window's shortcuts
// act on the current card (the selected one, or the oldest when none is); arrows move between
// cards while the dock has the focus.
class ApprovalsDock final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApprovalsDock)

public:
    // What the dock knows of a tool: its badge and schema, from the catalog.
    using ToolLookup =
        std::function<ApprovalCard::Tool(const std::string& server, const std::string& tool)>;

    explicit ApprovalsDock(QWidget* parent = nullptr);

    void setToolLookup(ToolLookup lookup) { m_lookup = std::move(lookup); }
    void addHeld(const ApprovalQueue::Held& held);
    // Decided, timed out or cancelled: the card goes.
    void removeHeld(std::uint64_t approvalId);
    void clear();

    int count() const { return static_cast<int>(m_cards.size()); }
    ApprovalCard* card(std::uint64_t approvalId) const;
    ApprovalCard* currentCard() const;
    std::vector<std::uint64_t> selectedIds() const;
    void select(std::uint64_t approvalId, bool extend = false);
    // Moves the selection to the next (+1) or previous (-1) card.
    void moveSelection(int step);

    void approveCurrent();
    void rejectCurrent();
    void editCurrent();
    void approveSelected();
    void rejectSelected();
    // Approves one card as shown (with its edited arguments while editing): the card goes and
    // decided() follows.
    void approve(std::uint64_t id);

Q_SIGNALS:
    void decided(std::uint64_t approvalId, const portcullis::ApprovalQueue::Outcome& outcome);
    void allowForSessionRequested(const portcullis::ApprovalQueue::Held& held);
    void alwaysAllowRequested(const portcullis::ApprovalQueue::Held& held);
    void countChanged(int count);
    // A card was painted for the first time (for the arrival-to-card latency figure).
    void cardShown(std::uint64_t approvalId);

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    void reject(std::uint64_t id);
    void edit(std::uint64_t id);
    void updateHeader();
    void tick();

    ToolLookup m_lookup;
    std::map<std::uint64_t, ApprovalCard*> m_cards; // ids increase: oldest first
    std::set<std::uint64_t> m_selected;
    QLabel* m_header = nullptr;
    QPushButton* m_approveSelected = nullptr;
    QPushButton* m_rejectSelected = nullptr;
    QScrollArea* m_scroll = nullptr;
    QVBoxLayout* m_list = nullptr;
    QLabel* m_empty = nullptr;
    QTimer* m_ticker = nullptr;
};

} // namespace portcullis::ui
