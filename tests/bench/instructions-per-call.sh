#!/usr/bin/env bash
# Instructions the gateway executes per proxied tools/call, counted by valgrind's callgrind:
# one e2e_raw session calls ecs_troubleshooting_tool on portcullis-demo-server through
# portcullis-gateway (allow-all policy), and only the gateway's work on its sockets and on the
# upstream's pipe is counted (what runs under HttpConnection::onReadable and
# ChildPipes::readOnce; the session's initialize and the tool list are among it, a few calls'
# worth). Unlike CPU time on a shared virtual machine this figure repeats to within a fraction
# of a percent, so it shows what a change to the call path saves; the kernel's share of a call
# (system calls, waking the other processes) is not in it.
#
#   tests/bench/instructions-per-call.sh [BUILD_DIR] [CALLS]      (defaults: build-bench, 2000)
#
# Prints the total, instructions per call, and the functions that cost the most. Needs valgrind.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
build=${1:-build-bench}
calls=${2:-2000}
for exe in app/portcullis-gateway app/portcullis-demo-server tests/bench/e2e_raw; do
    [[ -x $build/$exe ]] || {
        echo "no $build/$exe: build it first (cmake --build $build --target" \
            "portcullis-gateway portcullis-demo-server e2e_raw)" >&2
        exit 1
    }
done
command -v valgrind >/dev/null || { echo "valgrind is needed: apt-get install valgrind" >&2; exit 1; }

work=$(mktemp -d)
gateway=
cleanup() {
    [[ -n $gateway ]] && kill "$gateway" 2>/dev/null && wait "$gateway" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

echo '{"version":"1","default":"allow"}' >"$work/policy.json"
printf '{"mcpServers":{"demo":{"command":"%s"}}}\n' "$(realpath "$build/app/portcullis-demo-server")" \
    >"$work/servers.json"
valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" --collect-atstart=no \
    '--toggle-collect=portcullis::transport::HttpConnection::onReadable*' \
    '--toggle-collect=portcullis::ChildPipes::readOnce*' \
    "$build/app/portcullis-gateway" serve --no-auth --servers "$work/servers.json" \
    --policy "$work/policy.json" --listen 127.0.0.1:0 >"$work/gateway.out" 2>"$work/gateway.err" &
gateway=$!
url=
for _ in $(seq 600); do # valgrind starts slowly: up to a minute
    url=$(grep -o 'http://[^ ]*' "$work/gateway.out" || true)
    [[ -n $url ]] && break
    sleep 0.1
done
[[ -n $url ]] || { echo "the gateway did not start:" >&2; cat "$work/gateway.err" >&2; exit 1; }

"$build/tests/bench/e2e_raw" --sessions 1 --calls "$calls" --seconds 600 --warmup 0 \
    --tool ecs_troubleshooting_tool --args '{"app_name":"bench"}' http "$url" >"$work/client.out"
kill "$gateway"
wait "$gateway" 2>/dev/null || true
gateway=

python3 - "$work/callgrind.out" "$calls" "$(tail -1 "$work/client.out")" <<'PY'
import json, re, subprocess, sys

path, calls, client = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
if client.get("errors") or client.get("calls") != calls:
    sys.exit(f"the client did not finish cleanly: {client}")
report = subprocess.run(["callgrind_annotate", path], capture_output=True, text=True,
                        check=True).stdout
total = int(re.search(r"^([\d,]+) .*PROGRAM TOTALS", report, re.M).group(1).replace(",", ""))
print(f"{calls} calls: {total:,} instructions in the gateway, {total / calls:,.0f} per call")
print("most costly functions (instructions per call, their own code only):")
rows = re.findall(r"^\s*([\d,]+) \([ \d.]+%\)\s+(\S.*)$", report.split("PROGRAM TOTALS", 1)[1], re.M)
for count, name in rows[:12]:
    name = re.sub(r"\s*\[[^\]]*\]$", "", name)  # the object file
    name = re.sub(r"^(\?\?\?|\S*\.(c|S)):", "", name)  # the source file, when known
    print(f"  {int(count.replace(',', '')) / calls:>8,.0f}  {name[:110]}")
PY
