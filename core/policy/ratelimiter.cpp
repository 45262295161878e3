#include "policy/ratelimiter.h"

namespace portcullis {

RateLimiter::RateLimiter(std::shared_ptr<CounterStore> store, std::shared_ptr<const Clock> clock)
    : m_store(std::move(store))
    , m_clock(std::move(clock)) {}

std::string RateLimiter::counterKey(const Limit& limit, const CallerIdentity& caller) {
    std::string_view holder;
    switch (limit.scope) {
    case LimitScope::Grant:
        holder = caller.grant;
        break;
    case LimitScope::Session:
        holder = caller.session;
        break;
    case LimitScope::Global:
        break;
    }
    // Separator bytes that cannot appear in JSON-free names keep keys unambiguous.
    std::string key;
    key.reserve(limit.counter.size() + holder.size() + 16);
    key += toString(limit.scope);
    key += '\x1f';
    key += holder;
    key += '\x1f';
    key += toString(limit.window);
    key += '\x1f';
    key += limit.counter;
    return key;
}

ReserveOutcome RateLimiter::reserve(const std::vector<const Limit*>& limits,
                                    const CallerIdentity& caller) {
    if (limits.empty()) {
        ReserveOutcome granted;
        granted.granted = true;
        return granted;
    }
    std::vector<CounterRequest> requests;
    requests.reserve(limits.size());
    for (const Limit* l : limits)
        requests.push_back({counterKey(*l, caller), windowMillis(l->window), l->max});
    return m_store->reserveAll(requests, m_clock->nowMs());
}

void RateLimiter::release(const Reservation& reservation) {
    if (!reservation.empty())
        m_store->release(reservation, m_clock->nowMs());
}

std::int64_t RateLimiter::used(const Limit& limit, const CallerIdentity& caller) {
    return m_store->used(counterKey(limit, caller), windowMillis(limit.window), m_clock->nowMs());
}

} // namespace portcullis
