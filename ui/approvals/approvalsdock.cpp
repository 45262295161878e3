#include "ui/approvals/approvalsdock.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QTimer>
#include <QVBoxLayout>

namespace portcullis::ui {

ApprovalsDock::ApprovalsDock(QWidget* parent)
    : QWidget(parent) {
    setFocusPolicy(Qt::StrongFocus);
    m_header = new QLabel(this);
    m_header->setObjectName(QStringLiteral("approvalsHeader"));
    m_approveSelected = new QPushButton(tr("Approve selected"), this);
    m_approveSelected->setObjectName(QStringLiteral("approveSelected"));
    m_approveSelected->setToolTip(tr("Shift+A"));
    m_approveSelected->setFocusPolicy(Qt::NoFocus);
    m_rejectSelected = new QPushButton(tr("Reject selected"), this);
    m_rejectSelected->setObjectName(QStringLiteral("rejectSelected"));
    m_rejectSelected->setToolTip(tr("Shift+R"));
    m_rejectSelected->setFocusPolicy(Qt::NoFocus);
    auto* top = new QHBoxLayout;
    top->addWidget(m_header, 1);
    top->addWidget(m_approveSelected);
    top->addWidget(m_rejectSelected);

    auto* content = new QWidget;
    m_list = new QVBoxLayout(content);
    m_list->setContentsMargins(2, 2, 2, 2);
    m_list->setSpacing(6);
    m_empty = new QLabel(tr("No call is waiting. Calls that a rule holds for a person appear "
                            "here; A approves, R rejects, E edits the arguments first."),
                         content);
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setMargin(16);
    m_list->addWidget(m_empty);
    m_list->addStretch(1);
    m_scroll = new QScrollArea(this);
    m_scroll->setObjectName(QStringLiteral("approvalsScroll"));
    m_scroll->setWidgetResizable(true);
    m_scroll->setWidget(content);
    m_scroll->setFocusPolicy(Qt::NoFocus);
    // Cards take the dock's width; they never scroll sideways.
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_scroll, 1);

    m_ticker = new QTimer(this);
    m_ticker->setInterval(250);
    connect(m_ticker, &QTimer::timeout, this, &ApprovalsDock::tick);
    connect(m_approveSelected, &QPushButton::clicked, this, &ApprovalsDock::approveSelected);
    connect(m_rejectSelected, &QPushButton::clicked, this, &ApprovalsDock::rejectSelected);
    updateHeader();
}

void ApprovalsDock::addHeld(const ApprovalQueue::Held& held) {
    if (m_cards.count(held.id))
        return;
    ApprovalCard::Tool tool;
    if (m_lookup)
        tool = m_lookup(held.event.server, held.event.tool);
    auto* card = new ApprovalCard(held, std::move(tool), m_scroll->widget());
    const std::uint64_t id = held.id;
    connect(card, &ApprovalCard::approveRequested, this, &ApprovalsDock::approve);
    connect(card, &ApprovalCard::rejectRequested, this, &ApprovalsDock::reject);
    connect(card, &ApprovalCard::editRequested, this, &ApprovalsDock::edit);
    connect(card, &ApprovalCard::clicked, this, [this](std::uint64_t cardId, bool extend) {
        select(cardId, extend);
        setFocus(); // arrows now move between cards
    });
    connect(card, &ApprovalCard::allowSessionRequested, this, [this](std::uint64_t cardId) {
        if (ApprovalCard* c = this->card(cardId))
            Q_EMIT allowForSessionRequested(c->held());
    });
    connect(card, &ApprovalCard::alwaysAllowRequested, this, [this](std::uint64_t cardId) {
        if (ApprovalCard* c = this->card(cardId))
            Q_EMIT alwaysAllowRequested(c->held());
    });
    card->updateCountdown(QDateTime::currentMSecsSinceEpoch());
    // Oldest first: a new card goes after the last one, before the stretch.
    m_list->insertWidget(m_list->count() - 1, card);
    card->show(); // now, not on the layout's next pass: a card is usable as soon as it exists
    m_cards.emplace(id, card);
    m_empty->hide();
    if (!m_ticker->isActive())
        m_ticker->start();
    updateHeader();
    Q_EMIT countChanged(count());
    connect(card, &ApprovalCard::firstPainted, this, &ApprovalsDock::cardShown);
}

void ApprovalsDock::removeHeld(std::uint64_t approvalId) {
    const auto it = m_cards.find(approvalId);
    if (it == m_cards.end())
        return;
    const bool wasFocused = it->second->isAncestorOf(focusWidget());
    it->second->hide();
    it->second->deleteLater();
    m_cards.erase(it);
    m_selected.erase(approvalId);
    if (m_cards.empty()) {
        m_ticker->stop();
        m_empty->show();
    }
    if (wasFocused && window())
        window()->setFocus(); // never leave the keyboard in a card that is gone
    updateHeader();
    Q_EMIT countChanged(count());
}

void ApprovalsDock::clear() {
    while (!m_cards.empty())
        removeHeld(m_cards.begin()->first);
}

ApprovalCard* ApprovalsDock::card(std::uint64_t approvalId) const {
    const auto it = m_cards.find(approvalId);
    return it == m_cards.end() ? nullptr : it->second;
}

ApprovalCard* ApprovalsDock::currentCard() const {
    if (m_cards.empty())
        return nullptr;
    if (!m_selected.empty())
        return card(*m_selected.begin());
    return m_cards.begin()->second; // the oldest
}

std::vector<std::uint64_t> ApprovalsDock::selectedIds() const {
    return {m_selected.begin(), m_selected.end()};
}

void ApprovalsDock::select(std::uint64_t approvalId, bool extend) {
    if (!m_cards.count(approvalId))
        return;
    if (!extend)
        m_selected.clear();
    if (extend && m_selected.count(approvalId))
        m_selected.erase(approvalId);
    else
        m_selected.insert(approvalId);
    for (const auto& [id, c] : m_cards)
        c->setSelected(m_selected.count(id) > 0);
    if (ApprovalCard* c = card(approvalId))
        m_scroll->ensureWidgetVisible(c);
    updateHeader();
}

void ApprovalsDock::moveSelection(int step) {
    if (m_cards.empty())
        return;
    ApprovalCard* current = currentCard();
    auto it = m_cards.find(current->approvalId());
    if (m_selected.empty()) {
        select(it->first);
        return;
    }
    if (step > 0 && std::next(it) != m_cards.end())
        ++it;
    else if (step < 0 && it != m_cards.begin())
        --it;
    select(it->first);
}

void ApprovalsDock::approveCurrent() {
    if (ApprovalCard* c = currentCard())
        approve(c->approvalId());
}

void ApprovalsDock::rejectCurrent() {
    if (ApprovalCard* c = currentCard())
        reject(c->approvalId());
}

void ApprovalsDock::editCurrent() {
    if (ApprovalCard* c = currentCard())
        edit(c->approvalId());
}

void ApprovalsDock::approveSelected() {
    for (std::uint64_t id : selectedIds())
        approve(id);
}

void ApprovalsDock::rejectSelected() {
    for (std::uint64_t id : selectedIds())
        reject(id);
}

void ApprovalsDock::approve(std::uint64_t id) {
    ApprovalCard* c = card(id);
    if (!c)
        return;
    ApprovalQueue::Outcome outcome;
    outcome.verdict = ApprovalQueue::Verdict::Approve;
    outcome.approver = "gui";
    if (c->isEditing()) {
        const auto arguments = c->editedArguments();
        if (!arguments)
            return; // the card shows why; nothing is sent
        outcome.arguments = *arguments;
    }
    // The card goes now; the gateway's confirmation removes nothing more.
    removeHeld(id);
    Q_EMIT decided(id, outcome);
}

void ApprovalsDock::reject(std::uint64_t id) {
    ApprovalCard* c = card(id);
    if (!c)
        return;
    ApprovalQueue::Outcome outcome;
    outcome.verdict = ApprovalQueue::Verdict::Reject;
    outcome.approver = "gui";
    outcome.reason = c->rejectReason().toStdString();
    removeHeld(id);
    Q_EMIT decided(id, outcome);
}

void ApprovalsDock::edit(std::uint64_t id) {
    ApprovalCard* c = card(id);
    if (!c)
        return;
    if (c->isEditing()) {
        approve(id); // "Approve edited"
        return;
    }
    select(id);
    c->startEditing();
}

void ApprovalsDock::updateHeader() {
    const ApprovalCard* target = m_selected.empty() ? currentCard() : nullptr;
    for (const auto& [id, c] : m_cards)
        c->setTarget(c == target);
    const int n = count();
    QString text = n == 0   ? tr("Nothing waiting")
                   : n == 1 ? tr("1 call waiting")
                            : tr("%1 calls waiting").arg(n);
    if (!m_selected.empty() && m_selected.size() > 1)
        text += tr(" · %1 selected").arg(m_selected.size());
    m_header->setText(text);
    m_approveSelected->setEnabled(!m_selected.empty());
    m_rejectSelected->setEnabled(!m_selected.empty());
}

void ApprovalsDock::tick() {
    const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
    for (const auto& [id, c] : m_cards)
        c->updateCountdown(now);
}

void ApprovalsDock::keyPressEvent(QKeyEvent* event) {
    switch (event->key()) {
    case Qt::Key_Down:
        moveSelection(1);
        return;
    case Qt::Key_Up:
        moveSelection(-1);
        return;
    default:
        QWidget::keyPressEvent(event);
    }
}

} // namespace portcullis::ui
