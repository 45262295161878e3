#!/usr/bin/env bash
# Builds the benchmarks in Release and prints their figures as JSON files under build-bench/,
# plus a Markdown summary to paste into docs/performance.md. Anyone can run it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DPORTCULLIS_GUI=OFF \
  -DPORTCULLIS_BENCH=ON >/dev/null
cmake --build build-bench --target bench_policy bench_risk
for b in bench_policy bench_risk; do
  build-bench/tests/bench/$b --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
    --benchmark_out=build-bench/$b.json --benchmark_out_format=json
done
python3 - <<'PY'
import json
rows = []
for name in ("bench_policy", "bench_risk"):
    data = json.load(open(f"build-bench/{name}.json"))
    for b in data["benchmarks"]:
        if b.get("aggregate_name") == "median":
            rows.append((b["run_name"], b["real_time"], b["time_unit"]))
print("| benchmark | median | unit |")
print("|---|---|---|")
for name, t, unit in rows:
    print(f"| {name} | {t:.3f} | {unit} |")
PY
