#include "policy/memorycounterstore.h"

#include <algorithm>

namespace portcullis {

namespace {

std::int64_t bucketWidth(std::int64_t windowMs) {
    return std::max<std::int64_t>(1, windowMs / 4096);
}

// Idle counters are dropped every so many operations so that per-session keys of sessions that
// ended do not accumulate.
constexpr std::uint64_t kSweepEvery = 4096;

} // namespace

void MemoryCounterStore::Counter::expire(std::int64_t windowMs, std::int64_t nowMs) {
    while (!buckets.empty() && buckets.front().lastMs + windowMs <= nowMs) {
        units -= buckets.front().units;
        buckets.pop_front();
    }
}

std::int64_t MemoryCounterStore::Counter::retryAfter(std::int64_t windowMs, std::int64_t max,
                                                     std::int64_t nowMs) const {
    // Room opens when enough of the oldest units have left the window.
    std::int64_t remaining = units;
    for (const Bucket& b : buckets) {
        remaining -= b.units;
        if (remaining < max)
            return std::max<std::int64_t>(1, b.lastMs + windowMs - nowMs);
    }
    return 1;
}

ReserveOutcome MemoryCounterStore::reserveAll(const std::vector<CounterRequest>& requests,
                                              std::int64_t nowMs) {
    ReserveOutcome out;
    std::lock_guard lock(m_mutex);
    if (++m_operations % kSweepEvery == 0)
        sweepLocked(nowMs);

    // First pass: every counter must have room. Requests sharing a key take one unit between them.
    for (std::size_t i = 0; i < requests.size(); ++i) {
        const CounterRequest& r = requests[i];
        Counter& c = m_counters[r.key];
        auto& window = m_windows[r.key];
        window = std::max(window, r.windowMs);
        c.expire(r.windowMs, nowMs);
        if (c.units >= r.max) {
            out.fullIndex = static_cast<int>(i);
            out.retryAfterMs = c.retryAfter(r.windowMs, r.max, nowMs);
            return out;
        }
    }
    // Second pass: take the units.
    out.granted = true;
    for (const CounterRequest& r : requests) {
        const bool seen = std::any_of(out.reservation.holds.begin(), out.reservation.holds.end(),
                                      [&](const CounterHold& h) { return h.key == r.key; });
        if (seen)
            continue;
        Counter& c = m_counters[r.key];
        if (!c.buckets.empty() && nowMs - c.buckets.back().firstMs < bucketWidth(r.windowMs) &&
            nowMs >= c.buckets.back().lastMs) {
            c.buckets.back().lastMs = nowMs;
            ++c.buckets.back().units;
        } else {
            c.buckets.push_back({nowMs, nowMs, 1});
        }
        ++c.units;
        out.reservation.holds.push_back({r.key, r.windowMs, nowMs});
    }
    return out;
}

void MemoryCounterStore::release(const Reservation& reservation, std::int64_t nowMs) {
    std::lock_guard lock(m_mutex);
    for (const CounterHold& h : reservation.holds) {
        auto it = m_counters.find(h.key);
        if (it == m_counters.end())
            continue;
        Counter& c = it->second;
        c.expire(h.windowMs, nowMs);
        // Newest first: a release usually follows its reservation closely.
        for (auto b = c.buckets.rbegin(); b != c.buckets.rend(); ++b) {
            if (b->firstMs <= h.atMs && h.atMs <= b->lastMs) {
                --b->units;
                --c.units;
                if (b->units == 0)
                    c.buckets.erase(std::next(b).base());
                break;
            }
        }
    }
}

std::int64_t MemoryCounterStore::used(const std::string& key, std::int64_t windowMs,
                                      std::int64_t nowMs) {
    std::lock_guard lock(m_mutex);
    auto it = m_counters.find(key);
    if (it == m_counters.end())
        return 0;
    it->second.expire(windowMs, nowMs);
    return it->second.units;
}

std::size_t MemoryCounterStore::counterCount() const {
    std::lock_guard lock(m_mutex);
    return m_counters.size();
}

void MemoryCounterStore::sweepLocked(std::int64_t nowMs) {
    for (auto it = m_counters.begin(); it != m_counters.end();) {
        const std::int64_t window = m_windows[it->first];
        it->second.expire(window, nowMs);
        if (it->second.units == 0) {
            m_windows.erase(it->first);
            it = m_counters.erase(it);
        } else {
            ++it;
        }
    }
}

} // namespace portcullis
