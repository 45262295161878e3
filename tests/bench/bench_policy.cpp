#include "policy/memorycounterstore.h"
#include "policy/policyengine.h"
#include "policy/policyio.h"

#include <benchmark/benchmark.h>

#include <string>

using namespace portcullis;

namespace {

constexpr int kTools = 1000;

// A 1 000-tool policy. "Plain" rules are {}; "full" rules carry 3 conditions and 2 limits.
std::string generatedPolicy(bool full, bool distinctPatterns = false) {
    std::string text = R"({"version":"1","default":"deny","tools":{)";
    for (int i = 0; i < kTools; ++i) {
        if (i > 0)
            text += ',';
        text += "\"tool_" + std::to_string(i) + "\":";
        if (!full) {
            text += "{}";
            continue;
        }
        text += R"({"require":[{"path":"args.api_operation","op":"exists","value":true}],)"
                R"("deny_if":[{"path":"args.api_operation","op":"regex","value":"^Delete)" +
                (distinctPatterns ? std::to_string(i) : std::string()) +
                R"("}],)"
                R"("approve_if":[{"path":"args.api_params.count","op":"gt","value":100}],)"
                R"("limits":[{"counter":"rate_)" +
                std::to_string(i) +
                R"(","window":"minute","max":1000000000,"scope":"grant"},)"
                R"({"counter":"all","window":"hour","max":1000000000,"scope":"global"}]})";
    }
    text += "}}";
    return text;
}

Policy load(const std::string& text) {
    auto r = PolicyIo::parse(text);
    if (!r.ok())
        throw std::runtime_error("generated policy does not load");
    return std::move(*r.policy);
}

void decide(benchmark::State& state, bool full) {
    const Policy policy = load(generatedPolicy(full));
    RateLimiter limiter(std::make_shared<MemoryCounterStore>());
    const PolicyEngine engine(limiter);
    const nlohmann::json args = {{"api_operation", "DescribeClusters"},
                                 {"api_params", {{"count", 3}, {"cluster", "prod"}}}};
    int i = 0;
    for (auto _ : state) {
        const std::string tool = "tool_" + std::to_string(i++ % kTools);
        ToolCall call;
        call.server = "ecs";
        call.tool = tool;
        call.arguments = &args;
        call.caller = {"grant-1", "session-1"};
        PolicyDecision d = engine.decide(policy, call);
        benchmark::DoNotOptimize(d);
        if (d.kind != DecisionKind::Allow)
            state.SkipWithError("expected allow");
    }
}

void BM_DecidePlainAllow(benchmark::State& state) {
    decide(state, false);
}
void BM_DecideConditionsAndLimits(benchmark::State& state) {
    decide(state, true);
}

void BM_LoadAndValidate1000Tools(benchmark::State& state) {
    const std::string text = generatedPolicy(true);
    for (auto _ : state) {
        auto r = PolicyIo::parse(text);
        benchmark::DoNotOptimize(r);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(text.size()));
}

// The same with a different pattern in every rule: each one is compiled, none shared.
void BM_LoadAndValidate1000ToolsDistinctRegex(benchmark::State& state) {
    const std::string text = generatedPolicy(true, true);
    for (auto _ : state) {
        auto r = PolicyIo::parse(text);
        benchmark::DoNotOptimize(r);
    }
}

void BM_Serialize1000Tools(benchmark::State& state) {
    const Policy policy = load(generatedPolicy(true));
    for (auto _ : state) {
        std::string s = PolicyIo::serialize(policy);
        benchmark::DoNotOptimize(s);
    }
}

} // namespace

BENCHMARK(BM_DecidePlainAllow);
BENCHMARK(BM_DecideConditionsAndLimits);
BENCHMARK(BM_LoadAndValidate1000Tools)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LoadAndValidate1000ToolsDistinctRegex)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Serialize1000Tools)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
