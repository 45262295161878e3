#include "gateway/approvalqueue.h"

#include <QDateTime>

namespace portcullis {

namespace {
// Deadlines are whole seconds; a quarter second of slack keeps one timer for every hold.
constexpr int kTickMs = 250;
} // namespace

ApprovalQueue::ApprovalQueue(QObject* parent)
    : QObject(parent) {
    connect(&m_timer, &QTimer::timeout, this, &ApprovalQueue::tick);
}

ApprovalQueue::~ApprovalQueue() {
    rejectAll("the gateway is shutting down");
}

std::int64_t ApprovalQueue::nowMs() {
    return QDateTime::currentMSecsSinceEpoch();
}

std::uint64_t ApprovalQueue::hold(CallEvent event, const ApprovalSettings& settings, Resume resume,
                                  KeepAlive keepAlive) {
    Entry e;
    e.held.id = m_nextId++;
    e.held.event = std::move(event);
    e.held.heldAtMs = nowMs();
    e.held.deadlineMs = e.held.heldAtMs + std::int64_t(settings.timeoutS) * 1000;
    e.held.settings = settings;
    e.resume = std::move(resume);
    e.keepAlive = std::move(keepAlive);
    e.nextKeepAliveMs = e.held.heldAtMs + m_keepAliveMs;
    const std::uint64_t id = e.held.id;
    const CallEvent copy = e.held.event;
    m_entries.emplace(id, std::move(e));
    if (!m_timer.isActive())
        m_timer.start(kTickMs);
    Q_EMIT callHeld(copy, id);
    return id;
}

void ApprovalQueue::finish(std::map<std::uint64_t, Entry>::iterator it, const Outcome& outcome) {
    Entry e = std::move(it->second);
    m_entries.erase(it);
    if (m_entries.empty())
        m_timer.stop();
    Q_EMIT callResolved(e.held.id);
    e.resume(outcome, std::move(e.held.event));
}

bool ApprovalQueue::decide(std::uint64_t id, Outcome outcome) {
    auto it = m_entries.find(id);
    if (it == m_entries.end())
        return false;
    finish(it, outcome);
    return true;
}

void ApprovalQueue::cancel(std::uint64_t id, const std::string& why) {
    auto it = m_entries.find(id);
    if (it == m_entries.end())
        return;
    finish(it, Outcome{Verdict::Cancel, why, std::nullopt, "client"});
}

void ApprovalQueue::rejectAll(const std::string& why) {
    while (!m_entries.empty())
        finish(m_entries.begin(), Outcome{Verdict::Shutdown, why, std::nullopt, "gateway"});
}

const ApprovalQueue::Held* ApprovalQueue::find(std::uint64_t id) const {
    const auto it = m_entries.find(id);
    return it == m_entries.end() ? nullptr : &it->second.held;
}

void ApprovalQueue::tick() {
    const std::int64_t now = nowMs();
    std::vector<std::uint64_t> expired;
    for (auto& [id, e] : m_entries) {
        if (e.held.deadlineMs <= now) {
            expired.push_back(id);
        } else if (e.keepAlive && e.nextKeepAliveMs <= now) {
            e.nextKeepAliveMs = now + m_keepAliveMs;
            e.keepAlive(now - e.held.heldAtMs);
        }
    }
    for (std::uint64_t id : expired) {
        auto it = m_entries.find(id);
        if (it == m_entries.end())
            continue;
        const bool allow = it->second.held.settings.onTimeout == TimeoutAction::Allow;
        finish(it, Outcome{allow ? Verdict::Approve : Verdict::Timeout,
                           allow ? "approval timed out; the policy allows on timeout"
                                 : "no decision before the deadline",
                           std::nullopt, "timeout"});
    }
}

} // namespace portcullis
