#include "risk/riskclassifier.h"

#include <QFile>

#include <benchmark/benchmark.h>

#include <stdexcept>

using namespace portcullis;

namespace {

// 1 000 tools made from the real fixture definitions, renamed so no two are identical.
std::vector<nlohmann::json> thousandTools() {
    std::vector<nlohmann::json> base;
    for (const char* name : {"ecs-mcp-server.tools.json", "aws-policy-tools.json"}) {
        QFile f(QStringLiteral(PORTCULLIS_SOURCE_DIR "/tests/data/fixtures/") +
                QString::fromUtf8(name));
        if (!f.open(QIODevice::ReadOnly))
            throw std::runtime_error("fixture missing");
        const QByteArray bytes = f.readAll();
        const auto doc = nlohmann::json::parse(bytes.begin(), bytes.end());
        for (const auto& t : doc["tools"])
            base.push_back(t);
    }
    std::vector<nlohmann::json> tools;
    tools.reserve(1000);
    for (int i = 0; tools.size() < 1000; ++i) {
        nlohmann::json t = base[static_cast<std::size_t>(i) % base.size()];
        t["name"] = t["name"].get<std::string>() + "_" + std::to_string(i);
        tools.push_back(std::move(t));
    }
    return tools;
}

void BM_Classify1000Tools(benchmark::State& state) {
    const auto tools = thousandTools();
    const RiskClassifier classifier;
    for (auto _ : state) {
        for (const auto& t : tools) {
            RiskAssessment a = classifier.classify(t);
            benchmark::DoNotOptimize(a);
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 1000);
}

} // namespace

BENCHMARK(BM_Classify1000Tools)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
