#!/usr/bin/env bash
# The end-to-end comparison: the same tool call to the same server directly over stdio, over its
# own Streamable HTTP mode, behind mcp-proxy and behind portcullis-gateway, with the SDK client
# and a minimal client, at 1, 8 and 20 sessions, plus 10 000 calls held for approval. Prints
# Markdown for docs/performance.md; figures also land in build-bench/e2e-compare/.
#
#   tests/bench/run-e2e-compare.sh [--no-build] [--quick] [--repeat N] [other options of
#                                   e2e_compare.py: --help]
#
# Needs the pinned peers (npm ci in tests/interop), node and python3. Loopback only; every
# process it starts is ended when it finishes or is interrupted.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

build=1
args=()
for a in "$@"; do
  if [[ $a == --no-build ]]; then build=0; else args+=("$a"); fi
done

if [[ ! -d tests/interop/node_modules/mcp-proxy ]]; then
  echo "run-e2e-compare: the peers are missing; run: (cd tests/interop && npm ci)" >&2
  exit 2
fi
if ((build)); then
  cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DPORTCULLIS_GUI=OFF \
    -DPORTCULLIS_BENCH=ON >/dev/null
  cmake --build build-bench --target portcullis-gateway portcullis-demo-server e2e_raw
fi
# Twenty stdio servers and 10 000 held connections need more descriptors than the usual 1 024.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec python3 -B tests/bench/e2e_compare.py "${args[@]}"
