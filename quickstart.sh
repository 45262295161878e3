#!/usr/bin/env bash
# Portcullis quick start for Debian 12: installs what is missing, builds, then runs the app
# (`run`) or every test (`test`). Safe to run again: it installs nothing that is already there.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
jobs="$(nproc 2>/dev/null || echo 2)"

packages=(
  g++ clang libclang-rt-14-dev cmake ninja-build pkg-config git
  qt6-base-dev qt6-base-dev-tools libqt6svg6 libgl-dev
  nlohmann-json3-dev libspdlog-dev libfmt-dev libbenchmark-dev
  fonts-dejavu-core
)
# node + npm run the MCP peers the tests use; Debian's only when none are on PATH already.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi

say() { printf '\n== %s\n' "$*"; }

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    say "all build dependencies are installed"
    return
  fi
  say "installing: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

install_npm_peers() { # the pinned npm packages of tests/interop (the SDK client, server-everything)
  local dir=tests/interop
  if [ -d "$dir/node_modules" ] && [ "$dir/node_modules" -nt "$dir/package-lock.json" ]; then
    return
  fi
  say "installing the npm test peers (from $dir/package-lock.json)"
  npm ci --no-audit --no-fund --prefix "$dir"
  touch "$dir/node_modules" # npm ci may leave the folder's own time untouched
}

configure_and_build() { # DIR [cmake args...]
  local dir="$1"; shift
  cmake -S . -B "$dir" -G Ninja -Wno-dev "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
}

run_app() {
  say "building"
  configure_and_build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
  if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
    cat >&2 <<'MSG'

No display found (DISPLAY and WAYLAND_DISPLAY are unset), so the window cannot open here.
  - Headless use: build/app/portcullis-gateway --help
      e.g. build/app/portcullis-gateway serve --no-auth --policy policies/examples/ecs-starter.json \
             --servers <(echo '{"mcpServers":{"demo":{"command":"build/app/portcullis-demo-server"}}}')
           build/app/portcullis-gateway validate policies/examples/strict-starter.json
           build/app/portcullis-gateway scan --tools-file resources/demo/demo-tools.json
  - Render the window without a screen: QT_QPA_PLATFORM=offscreen build/app/portcullis --screenshot shot.png
  - Or start a virtual display: apt-get install xvfb && xvfb-run ./quickstart.sh run
MSG
    exit 2
  fi
  say "starting Portcullis"
  exec build/app/portcullis "$@"
}

run_tests() {
  # 1. Without Qt Widgets: proves core and the headless gateway need no GUI.
  say "GUI-off build and tests"
  configure_and_build build-nogui -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPORTCULLIS_GUI=OFF \
    -DPORTCULLIS_WERROR=ON -DPORTCULLIS_BENCH=OFF
  ctest --test-dir build-nogui --output-on-failure -j "$jobs"

  # 2. Everything, with clang, AddressSanitizer + UBSan, and the fuzzers. Its ctest summary is
  #    the last line this prints.
  say "full build (clang, ASan+UBSan, fuzzers) and tests"
  CC=clang CXX=clang++ configure_and_build build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DPORTCULLIS_WERROR=ON -DPORTCULLIS_SANITIZE=ON -DPORTCULLIS_FUZZ=ON
  ctest --test-dir build-test --output-on-failure -j "$jobs"
}

case "${1:-}" in
  run) shift; install_missing; install_npm_peers; run_app "$@" ;;
  test) install_missing; install_npm_peers; run_tests ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac
