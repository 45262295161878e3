#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace portcullis {

// One counter a call must take a unit from. The key already names the counter, its scope and
// the scope's holder (grant, session or nobody), so limits that share a name and scope share a
// count and a store needs to know nothing about policies.
struct CounterRequest {
    std::string key;
    std::int64_t windowMs = 60'000;
    std::int64_t max = 1;
};

// A unit taken at a point in time: what release() gives back.
struct CounterHold {
    std::string key;
    std::int64_t windowMs = 0;
    std::int64_t atMs = 0;
};

struct Reservation {
    std::vector<CounterHold> holds;
    bool empty() const { return holds.empty(); }
};

struct ReserveOutcome {
    bool granted = false;
    Reservation reservation;       // when granted
    int fullIndex = -1;            // when refused: the first request whose counter is full
    std::int64_t retryAfterMs = 0; // when refused: until that counter has room again
};

// Where rate-limit counts live. In memory for one gateway; a shared store (Redis) for a fleet
// implements the same two operations atomically on its side.
class CounterStore {
public:
    virtual ~CounterStore();

    // Takes one unit from every counter, or from none if any is full. Requests with the same key
    // take a single unit and must all have room.
    virtual ReserveOutcome reserveAll(const std::vector<CounterRequest>& requests,
                                      std::int64_t nowMs) = 0;
    // Gives back units of a reservation that are still inside their window.
    virtual void release(const Reservation& reservation, std::int64_t nowMs) = 0;
    // Units in use for key within the window ending now (for display).
    virtual std::int64_t used(const std::string& key, std::int64_t windowMs,
                              std::int64_t nowMs) = 0;
};

} // namespace portcullis
