#!/usr/bin/env bash
# Start-to-window time of portcullis on the demo workspace: each run is a first start in a fresh
# temporary HOME (so the demo workspace is created, as for a new user), offscreen, with
# --screenshot so the process ends by itself. Prints every run and the medians.
#
#   tests/bench/startup-time.sh [BUILD_DIR] [RUNS]      (defaults: build-bench-gui, 7)
#
# "ready" is the "window ready in N ms" line portcullis logs when the servers have settled and
# the catalog is filled. Two figures per run:
#   from launch  the line's wall-clock timestamp minus the moment this script started the
#                process: includes exec, loading the Qt libraries and everything before main()
#   from main()  the N of the line itself
# The whole run also includes what --screenshot adds after that (a fixed 300 ms wait, rendering
# and writing the PNG, stopping the gateway and the demo server), so it is shown apart.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
build=${1:-build-bench-gui}
runs=${2:-7}
exe=$build/app/portcullis
[[ -x $exe ]] || {
    echo "no $exe: build it first (cmake --build $build --target portcullis portcullis-demo-server)" >&2
    exit 1
}
python3 - "$exe" "$runs" <<'PY'
import datetime, os, re, statistics, subprocess, sys, tempfile, time

exe, runs = os.path.abspath(sys.argv[1]), int(sys.argv[2])
ready_line = re.compile(
    r"^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3})\].*window ready in (\d+) ms", re.M)
launch, in_main, whole = [], [], []
for i in range(runs):
    with tempfile.TemporaryDirectory(prefix="portcullis-start-") as home:
        env = dict(os.environ, HOME=home, QT_QPA_PLATFORM="offscreen")
        for k in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
                  "PORTCULLIS_TOKEN"):
            env.pop(k, None)
        t0 = time.time()
        p = subprocess.run([exe, "--screenshot", os.path.join(home, "window.png")], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
        t1 = time.time()
        m = ready_line.search(p.stderr)
        if p.returncode != 0 or not m or not os.path.exists(os.path.join(home, "window.png")):
            sys.exit(f"run {i + 1} failed (exit {p.returncode}):\n{p.stderr}")
        ready = datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f").timestamp()
        launch.append((ready - t0) * 1000)
        in_main.append(int(m.group(2)))
        whole.append((t1 - t0) * 1000)
        print(f"run {i + 1}: ready {launch[-1]:.0f} ms from launch, {in_main[-1]} ms from main(); "
              f"whole --screenshot run {whole[-1]:.0f} ms")
print(f"median of {runs}: ready {statistics.median(launch):.0f} ms from launch "
      f"(min {min(launch):.0f}, max {max(launch):.0f}), {statistics.median(in_main):.0f} ms "
      f"from main(); whole run {statistics.median(whole):.0f} ms")
PY
