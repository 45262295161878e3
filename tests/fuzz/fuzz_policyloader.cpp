#include "policy/memorycounterstore.h"
#include "policy/policyengine.h"
#include "policy/policyio.h"

#include <cstddef>
#include <cstdint>

using namespace portcullis;

// Any bytes: the loader must either load a policy or report problems, never crash or hang; a
// loaded policy must save and load back to the same policy, and decide a call without crashing.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const PolicyLoadResult r = PolicyIo::parse(text);
    if (!r.ok()) {
        if (r.problems.empty())
            __builtin_trap(); // a failed load must say why
        return 0;
    }
    const std::string saved = PolicyIo::serialize(*r.policy);
    const PolicyLoadResult again = PolicyIo::parse(saved);
    if (!again.ok() || !(*again.policy == *r.policy))
        __builtin_trap();

    static auto clock = std::make_shared<ManualClock>();
    static RateLimiter limiter(std::make_shared<MemoryCounterStore>(), clock);
    const PolicyEngine engine(limiter);
    const nlohmann::json args = {{"api_operation", "DeleteCluster"}, {"n", 5}, {"items", {1, "x"}}};
    for (const auto& [name, rule] : r.policy->top.tools) {
        ToolCall call;
        call.tool = name;
        call.arguments = &args;
        call.caller = {"g", "s"};
        const PolicyDecision d = engine.decide(*r.policy, call);
        limiter.release(d.reservation);
    }
    return 0;
}
