#pragma once

#include "policy/counterstore.h"

#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace portcullis {

// Sliding-window counters in memory: at most `max` units in any interval of length `window`.
//
// Each counter keeps the times of its units in buckets no wider than window/4096 (and at least
// 1 ms), so memory per counter is bounded whatever `max` is. A bucket's units expire when its
// newest unit leaves the window: a unit may be held up to window/4096 longer than exact, never
// shorter, so the limit is never exceeded (fail closed).
class MemoryCounterStore final : public CounterStore {
public:
    ReserveOutcome reserveAll(const std::vector<CounterRequest>& requests,
                              std::int64_t nowMs) override;
    void release(const Reservation& reservation, std::int64_t nowMs) override;
    std::int64_t used(const std::string& key, std::int64_t windowMs, std::int64_t nowMs) override;

    std::size_t counterCount() const;

private:
    struct Bucket {
        std::int64_t firstMs;
        std::int64_t lastMs;
        std::int64_t units;
    };
    struct Counter {
        std::deque<Bucket> buckets;
        std::int64_t units = 0;
        void expire(std::int64_t windowMs, std::int64_t nowMs);
        std::int64_t retryAfter(std::int64_t windowMs, std::int64_t max, std::int64_t nowMs) const;
    };

    void sweepLocked(std::int64_t nowMs);

    mutable std::mutex m_mutex;
    std::unordered_map<std::string, Counter> m_counters;
    std::unordered_map<std::string, std::int64_t> m_windows; // key -> window, for sweeping
    std::uint64_t m_operations = 0;
};

} // namespace portcullis
