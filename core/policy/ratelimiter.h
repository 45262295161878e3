#pragma once

#include "policy/clock.h"
#include "policy/counterstore.h"
#include "policy/policy.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace portcullis {

// Who is calling, for limit scopes: grant = one client credential, session = one MCP session.
struct CallerIdentity {
    std::string_view grant;
    std::string_view session;
};

// Turns policy limits into counter requests and takes or gives back units. Counters are keyed by
// name, scope, holder and window, never by policy version, so they survive a policy swap.
class RateLimiter final {
public:
    explicit RateLimiter(std::shared_ptr<CounterStore> store,
                         std::shared_ptr<const Clock> clock = std::make_shared<SteadyClock>());

    static std::string counterKey(const Limit& limit, const CallerIdentity& caller);

    ReserveOutcome reserve(const std::vector<const Limit*>& limits, const CallerIdentity& caller);
    void release(const Reservation& reservation);
    std::int64_t used(const Limit& limit, const CallerIdentity& caller);

    const Clock& clock() const { return *m_clock; }
    CounterStore& store() { return *m_store; }

private:
    std::shared_ptr<CounterStore> m_store;
    std::shared_ptr<const Clock> m_clock;
};

} // namespace portcullis
