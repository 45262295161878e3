#!/usr/bin/env python3
"""End-to-end comparison: the same tool call to the same server directly over stdio, over the
server's own Streamable HTTP mode, behind mcp-proxy and behind portcullis-gateway, with the SDK
client (e2e-compare.mjs) and a minimal one (e2e_raw), at 1, 8 and 20 sessions; then the gateway
with 10 000 calls held for approval. Run through run-e2e-compare.sh, which builds what it needs.

Every server is started fresh for each measurement, on 127.0.0.1 only, in a process group of its
own that is ended (SIGTERM, then SIGKILL) when the measurement is over, on any error, and on
SIGINT/SIGTERM/SIGHUP; each direct child also gets SIGTERM from the kernel if this script dies.
"""

import argparse
import ctypes
import datetime
import json
import os
import platform
import queue
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import procstat
import e2e_report

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "tests" / "bench"
PEERS = ROOT / "tests" / "interop" / "node_modules"
EVERYTHING_JS = PEERS / "@modelcontextprotocol" / "server-everything" / "dist" / "index.js"
MCP_PROXY_JS = PEERS / "mcp-proxy" / "dist" / "bin" / "mcp-proxy.mjs"

# server-everything calls listen(PORT) without a host, which binds every interface. Preloaded
# with `node -r`, this supplies 127.0.0.1 so nothing here opens a port beyond loopback.
LOOPBACK_PRELOAD = r"""
const net = require('node:net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const first = args[0];
  if (args.length === 0 || typeof first === 'function') args.unshift(0, '127.0.0.1');
  else if (first !== null && typeof first === 'object') {
    if (first.path === undefined && first.host === undefined) args[0] = { ...first, host: '127.0.0.1' };
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1');
  }
  return listen.apply(this, args);
};
"""

ALLOW_ALL = {"version": "1", "default": "allow"}

_libc = ctypes.CDLL("libc.so.6", use_errno=True)
_PR_SET_PDEATHSIG = 1


def _die_with_us():
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class Processes:
    """Everything this script starts, so that all of it can be ended by id."""

    def __init__(self):
        self.live = []

    def start(self, argv, **kwargs):
        p = subprocess.Popen(
            [str(a) for a in argv], start_new_session=True, preexec_fn=_die_with_us, **kwargs
        )
        self.live.append(p)
        return p

    def stop(self, p, grace=5.0):
        # SIGTERM to the process alone first: a gateway or proxy is meant to end its upstream
        # itself. Then the whole group (the process and whatever it started), TERM and KILL.
        steps = ((lambda sig: os.kill(p.pid, sig), signal.SIGTERM, grace),
                 (lambda sig: os.killpg(p.pid, sig), signal.SIGTERM, 2.0),
                 (lambda sig: os.killpg(p.pid, sig), signal.SIGKILL, 5.0))
        for i, (send, sig, wait) in enumerate(steps):
            if not self._group_alive(p):
                break
            if i == 1:
                print(f"e2e-compare: {p.args[0]} left processes behind; ending them",
                      file=sys.stderr, flush=True)
            try:
                send(sig)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + wait
            while self._group_alive(p) and time.monotonic() < deadline:
                time.sleep(0.05)
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        if p in self.live:
            self.live.remove(p)

    @staticmethod
    def _group_alive(p):
        p.poll()  # reaps our child, or its zombie would keep the group "alive"
        try:
            os.killpg(p.pid, 0)
            return True
        except ProcessLookupError:
            return False

    def stop_all(self):
        for p in list(self.live):
            self.stop(p, grace=2.0)


class Lines:
    """Reads a child's stdout on a thread, so waiting for a line can time out."""

    def __init__(self, stream):
        self.q = queue.Queue()
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream):
        for line in stream:
            self.q.put(line)
        self.q.put(None)

    def next(self, timeout):
        try:
            return self.q.get(timeout=timeout)
        except queue.Empty:
            return None


class Sampler:
    """Peak resident memory of the front process and of a tree, every 100 ms, on a thread."""

    def __init__(self, front_pid, tree_pid, tree_includes_root):
        self.front_pid, self.tree_pid, self.include = front_pid, tree_pid, tree_includes_root
        self.front_peak = self.tree_peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(0.1)

    def sample(self):
        if self.front_pid:
            self.front_peak = max(self.front_peak, procstat.rss_kb(self.front_pid))
        self.tree_peak = max(self.tree_peak, procstat.tree_rss_kb(self.tree_pid, self.include))

    def stop(self):
        self._stop.set()
        self._thread.join()
        self.sample()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, proc, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited ({proc.returncode}) before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listening on 127.0.0.1:{port} after {seconds} s")


class Bench:
    def __init__(self, args, work):
        self.a = args
        self.work = work
        self.procs = Processes()
        self.preload = work / "force-loopback.cjs"
        self.preload.write_text(LOOPBACK_PRELOAD)
        self.gateway = Path(args.bin_dir) / "portcullis-gateway"
        self.demo = Path(args.bin_dir) / "portcullis-demo-server"
        self.raw = Path(args.raw_client)
        self.upstreams = {
            "everything": {
                "cmd": ["node", EVERYTHING_JS, "stdio"],
                "tool": "echo",
                "args": {"message": "bench"},
            },
            "demo": {
                "cmd": [self.demo],
                "tool": "ecs_troubleshooting_tool",
                "args": {"app_name": "bench"},
            },
        }
        self.log = open(work / "servers.log", "ab")

    # --- servers -------------------------------------------------------------------------

    def start_gateway(self, upstream, policy):
        name = f"gw-{time.monotonic_ns()}"
        servers = self.work / f"{name}-servers.json"
        cmd = [str(c) for c in self.upstreams[upstream]["cmd"]]
        servers.write_text(
            json.dumps({"mcpServers": {upstream: {"command": cmd[0], "args": cmd[1:]}}})
        )
        policy_file = self.work / f"{name}-policy.json"
        policy_file.write_text(json.dumps(policy))
        p = self.procs.start(
            [self.gateway, "serve", "--servers", servers, "--policy", policy_file,
             "--listen", "127.0.0.1:0", "--no-auth"],
            stdout=subprocess.PIPE, stderr=self.log, text=True,
        )
        line = Lines(p.stdout).next(timeout=30) or ""
        if not line.startswith("listening on http://127.0.0.1:"):
            raise RuntimeError(f"gateway did not start: {line!r}")
        url = line.split("listening on ", 1)[1].strip()
        # The upstream starts in the background; measure once its tools are known.
        tools_url = url.rsplit("/", 1)[0] + "/admin/tools"
        tool = self.upstreams[upstream]["tool"]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with urllib.request.urlopen(tools_url, timeout=5) as r:
                if any(t.get("name") == tool for t in json.load(r)):
                    return p, url
            time.sleep(0.1)
        raise RuntimeError(f"the gateway never listed {tool}")

    def start_mcp_proxy(self, upstream):
        port = free_port()
        p = self.procs.start(
            ["node", MCP_PROXY_JS, "--host", "127.0.0.1", "--port", port, "--server", "stream",
             "--", *self.upstreams[upstream]["cmd"]],
            stdout=self.log, stderr=self.log,
        )
        wait_for_port(port, p)  # it listens only once its upstream has answered initialize
        return p, f"http://127.0.0.1:{port}/mcp"

    def start_own_http(self, upstream):
        assert upstream == "everything"
        port = free_port()
        p = self.procs.start(
            ["node", "-r", self.preload, EVERYTHING_JS, "streamableHttp"],
            stdout=self.log, stderr=self.log, env={**os.environ, "PORT": str(port)},
        )
        wait_for_port(port, p)
        return p, f"http://127.0.0.1:{port}/mcp"

    # --- one measurement -----------------------------------------------------------------

    def wait_for_quiet(self):
        """Waits (bounded) until the rest of the machine uses little CPU; returns what it saw.
        Between measurements nothing of ours runs, so what is busy then is someone else."""
        deadline = time.monotonic() + self.a.quiet_wait
        while True:
            b0, t0 = procstat.system_busy_us(), time.monotonic()
            time.sleep(1.0)
            cores = (procstat.system_busy_us() - b0) / 1e6 / (time.monotonic() - t0)
            if cores <= self.a.quiet_cores or time.monotonic() >= deadline:
                return round(cores, 2)

    def measure_undisturbed(self, *key):
        """measure(), again (up to --retries times) while other processes took more than
        --max-other-cores meanwhile; keeps the least disturbed attempt. The choice looks only at
        the disturbance, never at the figures themselves."""
        attempts = []
        for _ in range(1 + self.a.retries):
            attempts.append(self.measure(*key))
            if attempts[-1]["other_cores"] <= self.a.max_other_cores:
                break
        best = min(attempts, key=lambda r: r["other_cores"])
        best["attempts"] = len(attempts)
        return best

    def measure(self, upstream, topology, client, sessions, rep):
        u = self.upstreams[upstream]
        quiet = self.wait_for_quiet() if self.a.quiet_wait > 0 else None
        server = None
        if topology == "stdio":
            target = ["stdio", *u["cmd"]]
        elif topology == "own-http":
            server, url = self.start_own_http(upstream)
            target = ["http", url]
        elif topology == "mcp-proxy":
            server, url = self.start_mcp_proxy(upstream)
            target = ["http", url]
        else:
            server, url = self.start_gateway(upstream, ALLOW_ALL)
            target = ["http", url]
        try:
            time.sleep(self.a.settle)
            r = self._drive(upstream, topology, client, sessions, rep, server, target)
            r["other_cores_before"] = quiet
            return r
        finally:
            if server:
                self.procs.stop(server)

    def _drive(self, upstream, topology, client, sessions, rep, server, target):
        u = self.upstreams[upstream]
        calls = self.a.calls_one if sessions == 1 else self.a.calls_many
        options = ["--sessions", sessions, "--calls", calls, "--seconds", self.a.seconds,
                   "--warmup", self.a.warmup, "--tool", u["tool"], "--args", json.dumps(u["args"]),
                   "--label", f"{upstream}/{topology}", "--hold-open"]
        driver = ["node", BENCH / "e2e-compare.mjs"] if client == "sdk" else [self.raw]
        load_before = os.getloadavg()[0]
        d = self.procs.start([*driver, *options, *target], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=self.log, text=True)
        lines = Lines(d.stdout)
        try:
            front = server.pid if server else None
            # Direct stdio: the servers are the driver's children; the driver itself is not.
            root, include_root = (front, True) if server else (d.pid, False)
            line = lines.next(timeout=self.a.seconds + 120)
            if not line or json.loads(line).get("phase") != "measuring":
                raise RuntimeError(f"{client} driver did not start measuring: {line!r}")
            sampler = Sampler(front, root, include_root)
            front_cpu0 = procstat.cpu_us(front) if front else 0.0
            tree_cpu0 = procstat.tree_cpu_us(root, include_root)
            client_cpu0 = procstat.cpu_us(d.pid)
            self_cpu0, busy0, wall0 = procstat.cpu_us(os.getpid()), procstat.system_busy_us(), \
                time.monotonic()
            line = lines.next(timeout=self.a.seconds + 60)
            # Read at once, with every session still open (the driver waits for our line).
            front_cpu1 = procstat.cpu_us(front) if front else 0.0
            tree_cpu1 = procstat.tree_cpu_us(root, include_root)
            client_cpu1 = procstat.cpu_us(d.pid)
            self_cpu1, busy1, wall1 = procstat.cpu_us(os.getpid()), procstat.system_busy_us(), \
                time.monotonic()
            sampler.stop()
            front_rss = procstat.rss_kb(front) if front else 0
            tree_rss = procstat.tree_rss_kb(root, include_root)
            if not line:
                raise RuntimeError(f"{client} driver gave no result")
            result = json.loads(line)
            d.stdin.write("\n")
            d.stdin.close()
            d.wait(timeout=60)
        finally:
            self.procs.stop(d)
        n = max(1, result["calls"])
        result.update(
            upstream=upstream, topology=topology, rep=rep, exit=d.returncode,
            front_cpu_us_per_call=round((front_cpu1 - front_cpu0) / n, 1) if front else None,
            tree_cpu_us_per_call=round((tree_cpu1 - tree_cpu0) / n, 1),
            client_cpu_pct=round((client_cpu1 - client_cpu0) / 1e4 / result["seconds"], 1),
            front_rss_kb=front_rss or None, front_rss_peak_kb=sampler.front_peak or None,
            tree_rss_kb=tree_rss, tree_rss_peak_kb=sampler.tree_peak,
            load_before=round(load_before, 2),
            # CPU the rest of the machine used meanwhile (in cores): what disturbed this figure.
            # The server tree includes the front process; the client is counted apart.
            other_cores=round(max(0.0, (busy1 - busy0) - (tree_cpu1 - tree_cpu0)
                                  - (client_cpu1 - client_cpu0) - (self_cpu1 - self_cpu0))
                              / 1e6 / (wall1 - wall0), 2),
        )
        return result

    # --- held approvals ------------------------------------------------------------------

    def held(self):
        u = self.upstreams["demo"]
        policy = {
            "version": "1",
            "default": "allow",
            "tools": {u["tool"]: {"action": "approve",
                                  "approval": {"timeout_s": 3600, "on_timeout": "deny"}}},
        }
        quiet = self.wait_for_quiet() if self.a.quiet_wait > 0 else None
        gw, url = self.start_gateway("demo", policy)
        h = None
        try:
            time.sleep(self.a.settle)
            idle_rss = procstat.rss_kb(gw.pid)
            h = self.procs.start(
                ["node", BENCH / "hold-approvals.mjs", "--calls", self.a.held,
                 "--sessions", 10, "--tool", u["tool"], "--args", json.dumps(u["args"]), url],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, text=True,
            )
            lines = Lines(h.stdout)
            line = lines.next(timeout=240)
            held = json.loads(line) if line else {}
            rss_held = procstat.rss_kb(gw.pid)
            tree_held = procstat.tree_rss_kb(gw.pid)
            cpu_held = procstat.cpu_us(gw.pid)
            h.stdin.write("\n")
            h.stdin.close()
            line = lines.next(timeout=90)
            released = json.loads(line) if line else {}
            time.sleep(1)
            return {
                "calls": self.a.held,
                "held": held.get("held"),
                "fill_seconds": held.get("seconds"),
                "gateway_cpu_s_to_fill": round(cpu_held / 1e6, 2),
                "idle_rss_kb": idle_rss,
                "held_rss_kb": rss_held,
                "held_tree_rss_kb": tree_held,
                "pending_after_release": released.get("pending"),
                "released_rss_kb": procstat.rss_kb(gw.pid),
                "other_cores_before": quiet,
            }
        finally:
            if h:
                self.procs.stop(h)
            self.procs.stop(gw)


def machine():
    model = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    return {"cpus": os.cpu_count(), "cpu": model, "kernel": platform.release(), "node": node,
            "commit": commit, "date": datetime.date.today().isoformat()}


def median_of(runs):
    """One row per (upstream, topology, client, sessions): the median of each figure."""
    groups = {}
    for r in runs:
        if "failed" in r:
            continue
        groups.setdefault((r["upstream"], r["topology"], r["client"], r["sessions"]), []).append(r)
    out = []
    for rows in groups.values():
        m = dict(rows[0])
        for k, v in rows[0].items():
            if isinstance(v, (int, float)) and k not in ("sessions", "rep", "exit"):
                values = [r[k] for r in rows if r.get(k) is not None]
                m[k] = statistics.median(values) if values else None
        m["reps"] = len(rows)
        m["errors"] = sum(r["errors"] for r in rows)
        out.append(m)
    return out


def main():
    # --quick changes the defaults only, so it can be combined with any explicit option.
    quick = "--quick" in sys.argv[1:]
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin-dir", default=str(ROOT / "build-bench" / "app"))
    ap.add_argument("--raw-client", default=str(ROOT / "build-bench" / "tests" / "bench" / "e2e_raw"))
    ap.add_argument("--out", default=str(ROOT / "build-bench" / "e2e-compare"))
    ap.add_argument("--bin-commit", default=None,
                    help="the commit the binaries were built from, for the report "
                         "(default: the checkout's HEAD)")
    ap.add_argument("--repeat", type=int, default=1, help="whole matrix N times; medians shown")
    ap.add_argument("--sessions", default="1,8" if quick else "1,8,20")
    ap.add_argument("--clients", default="raw,sdk")
    ap.add_argument("--upstreams", default="everything,demo")
    ap.add_argument("--calls-one", type=int, default=200 if quick else 5000,
                    help="measured calls, 1 session")
    ap.add_argument("--calls-many", type=int, default=400 if quick else 10000,
                    help="measured calls, 8+ sessions")
    ap.add_argument("--seconds", type=float, default=3 if quick else 10,
                    help="time bound per measurement")
    ap.add_argument("--warmup", type=int, default=10 if quick else 50,
                    help="unmeasured calls per session")
    ap.add_argument("--settle", type=float, default=0.2 if quick else 1.0,
                    help="seconds after a server is up")
    ap.add_argument("--held", type=int, default=300 if quick else 10000,
                    help="calls held for approval; 0 skips")
    ap.add_argument("--quiet-wait", type=float, default=0 if quick else 30,
                    help="before each measurement, wait up to this many seconds for the rest of "
                         "the machine to use at most --quiet-cores")
    ap.add_argument("--quiet-cores", type=float, default=0.2)
    ap.add_argument("--max-other-cores", type=float, default=0.3,
                    help="a measurement during which other processes used more CPU than this "
                         "is taken again")
    ap.add_argument("--retries", type=int, default=0 if quick else 2)
    ap.add_argument("--quick", action="store_true", help="a small smoke run of everything")
    ap.add_argument("--render", metavar="RESULTS_JSON",
                    help="measure nothing; print the Markdown for an earlier results.json")
    a = ap.parse_args()
    if a.render:
        saved = json.loads(Path(a.render).read_text())
        failed = [r for r in saved["runs"] if "failed" in r]
        print(e2e_report.render(saved["meta"], median_of(saved["runs"]), saved["held"], failed))
        return

    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    topologies = {"everything": ["stdio", "own-http", "mcp-proxy", "gateway"],
                  "demo": ["stdio", "mcp-proxy", "gateway"]}

    def leave(signum, _frame):
        raise SystemExit(128 + signum)

    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, leave)

    with tempfile.TemporaryDirectory(prefix="portcullis-e2e-") as tmp:
        bench = Bench(a, Path(tmp))
        runs, held = [], None
        try:
            started = time.time()
            load_start = os.getloadavg()
            for rep in range(a.repeat):
                for upstream in a.upstreams.split(","):
                    for client in a.clients.split(","):
                        for sessions in [int(s) for s in a.sessions.split(",")]:
                            # Paths side by side in time, so drift in the machine's load hits all.
                            for topology in topologies[upstream]:
                                try:
                                    r = bench.measure_undisturbed(upstream, topology, client,
                                                                  sessions, rep)
                                except (RuntimeError, ValueError, OSError,
                                        subprocess.TimeoutExpired) as e:
                                    # Reported as such in the tables; the rest still runs.
                                    r = {"upstream": upstream, "topology": topology,
                                         "client": client, "sessions": sessions, "rep": rep,
                                         "failed": str(e)}
                                runs.append(r)
                                print(json.dumps(r), file=sys.stderr, flush=True)
            if a.held:
                held = bench.held()
                print(json.dumps(held), file=sys.stderr, flush=True)
            meta = machine()
            if a.bin_commit:
                meta["commit"] = a.bin_commit
            meta.update(load_start=[round(x, 2) for x in load_start],
                        load_end=[round(x, 2) for x in os.getloadavg()],
                        minutes=round((time.time() - started) / 60, 1),
                        command=" ".join(sys.argv[1:]), repeat=a.repeat,
                        max_other_cores=a.max_other_cores, retries=a.retries,
                        retaken=sum(1 for r in runs if r.get("attempts", 1) > 1),
                        still_disturbed=sum(1 for r in runs
                                            if r.get("other_cores", 0) > a.max_other_cores),
                        measurements=len(runs))
        finally:
            bench.procs.stop_all()
            bench.log.close()
            (out / "servers.log").write_bytes((Path(tmp) / "servers.log").read_bytes())

    (out / "results.json").write_text(json.dumps({"meta": meta, "runs": runs, "held": held},
                                                 indent=1))
    failed = [r for r in runs if "failed" in r]
    markdown = e2e_report.render(meta, median_of(runs), held, failed)
    (out / "results.md").write_text(markdown)
    print(markdown)


if __name__ == "__main__":
    main()
