#pragma once

#include "calls/callevent.h"
#include "policy/policy.h"

#include <QObject>
#include <QTimer>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace portcullis {

// Calls held until a person approves or rejects them, or their deadline passes.
class ApprovalQueue final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApprovalQueue)

public:
    enum class Verdict { Approve, Reject, Timeout, Cancel, Shutdown };

    struct Outcome {
        Verdict verdict = Verdict::Reject;
        std::string reason;                      // a rejecting person's words, for the agent
        std::optional<nlohmann::json> arguments; // "edit and approve"
        std::string approver;                    // "gui", "admin-api", "timeout", ...
    };

    struct Held {
        std::uint64_t id = 0;
        CallEvent event; // the call as it arrived (decision Pending)
        std::int64_t heldAtMs = 0;
        std::int64_t deadlineMs = 0;
        ApprovalSettings settings;
    };

    // Gets the held event back: the queue keeps the only copy while a person decides.
    using Resume = std::function<void(const Outcome&, CallEvent&& event)>;
    using KeepAlive = std::function<void(std::int64_t waitedMs)>;

    explicit ApprovalQueue(QObject* parent = nullptr);
    ~ApprovalQueue() override;

    // Holds a call; `resume` runs exactly once with the verdict. `keepAlive` (optional) runs
    // every keepAliveMs while the call waits, so a client that resets its timeout on progress
    // keeps waiting.
    std::uint64_t hold(CallEvent event, const ApprovalSettings& settings, Resume resume,
                       KeepAlive keepAlive = {});
    // False when the id is unknown (already decided, timed out or cancelled).
    bool decide(std::uint64_t id, Outcome outcome);
    void cancel(std::uint64_t id, const std::string& why);
    void rejectAll(const std::string& why);

    // Visits the held calls in the order they were held, without copying them: a listing of
    // thousands must not double the memory they take.
    template <typename F> void forEachPending(F&& visit) const {
        for (const auto& entry : m_entries)
            visit(entry.second.held);
    }
    const Held* find(std::uint64_t id) const;
    std::size_t size() const { return m_entries.size(); }
    void setKeepAliveIntervalMs(int ms) { m_keepAliveMs = ms; }

Q_SIGNALS:
    void callHeld(const portcullis::CallEvent& event, std::uint64_t approvalId);
    void callResolved(std::uint64_t approvalId);

private:
    struct Entry {
        Held held;
        Resume resume;
        KeepAlive keepAlive;
        std::int64_t nextKeepAliveMs = 0;
    };

    void tick();
    void finish(std::map<std::uint64_t, Entry>::iterator it, const Outcome& outcome);
    static std::int64_t nowMs();

    std::map<std::uint64_t, Entry> m_entries;
    std::uint64_t m_nextId = 1;
    int m_keepAliveMs = 10'000;
    QTimer m_timer;
};

} // namespace portcullis
