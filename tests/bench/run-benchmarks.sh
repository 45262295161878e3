#!/usr/bin/env bash
# Builds the benchmarks in Release and prints their figures as JSON files under build-bench/
# (core) and build-bench-gui/ (the window), plus a Markdown summary to paste into
# docs/performance.md. Anyone can run it.
#
#   tests/bench/run-benchmarks.sh [all|core|gui|load]      (default: all)
#
# The core benchmarks build without Qt Widgets (-DPORTCULLIS_GUI=OFF), so they run on any
# machine that builds the gateway. The window's figures (bench_catalog, the start-up time) need
# Widgets and so a build of their own, build-bench-gui/; when Widgets are not found it is skipped.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
what=${1:-all}
outputs=()

run() { # build dir, benchmark
    "$1/tests/bench/$2" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
        --benchmark_out="$1/$2.json" --benchmark_out_format=json
    outputs+=("$1/$2.json")
}

if [[ $what == all || $what == core ]]; then
    cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DPORTCULLIS_GUI=OFF \
        -DPORTCULLIS_BENCH=ON >/dev/null
    cmake --build build-bench --target bench_policy bench_risk
    for b in bench_policy bench_risk; do
        run build-bench $b
    done
fi

if [[ $what == all || $what == gui ]]; then
    if cmake -S . -B build-bench-gui -G Ninja -DCMAKE_BUILD_TYPE=Release -DPORTCULLIS_GUI=ON \
        -DPORTCULLIS_BENCH=ON >/dev/null; then
        cmake --build build-bench-gui --target bench_catalog portcullis portcullis-demo-server
        run build-bench-gui bench_catalog # offscreen unless QT_QPA_PLATFORM says otherwise
        tests/bench/startup-time.sh build-bench-gui 7
    else
        echo "Qt Widgets not found: no bench_catalog and no start-up time" >&2
    fi
fi

if [[ $what == load ]]; then
    # The window under a paced load for a minute, then as fast as it goes to a million calls
    # (about four minutes in all); one JSON line, also kept in build-bench-gui/window-load.json.
    cmake -S . -B build-bench-gui -G Ninja -DCMAKE_BUILD_TYPE=Release -DPORTCULLIS_GUI=ON \
        -DPORTCULLIS_BENCH=ON >/dev/null
    cmake --build build-bench-gui --target bench_window_load
    build-bench-gui/tests/bench/bench_window_load --rate 2000 --seconds 60 --total 1000000 \
        2>build-bench-gui/window-load.log | tee build-bench-gui/window-load.json
    exit 0
fi

python3 - "${outputs[@]}" <<'PY'
import json, sys
rows = []
for path in sys.argv[1:]:
    data = json.load(open(path))
    for b in data["benchmarks"]:
        if b.get("aggregate_name") == "median":
            rows.append((b["run_name"], b["real_time"], b["time_unit"]))
print("| benchmark | median | unit |")
print("|---|---|---|")
for name, t, unit in rows:
    print(f"| {name} | {t:.3f} | {unit} |")
PY
