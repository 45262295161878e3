#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace portcullis {

// Milliseconds on a monotonic clock. Injectable so limiter and approval tests control time.
class Clock {
public:
    virtual ~Clock() = default;
    virtual std::int64_t nowMs() const = 0;
};

class SteadyClock final : public Clock {
public:
    std::int64_t nowMs() const override {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
    }
};

// A clock that moves only when told to.
class ManualClock final : public Clock {
public:
    explicit ManualClock(std::int64_t startMs = 1'000'000)
        : m_now(startMs) {}
    std::int64_t nowMs() const override { return m_now.load(); }
    void advance(std::int64_t ms) { m_now += ms; }
    void set(std::int64_t ms) { m_now = ms; }

private:
    std::atomic<std::int64_t> m_now;
};

} // namespace portcullis
