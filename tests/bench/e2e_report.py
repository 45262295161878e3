"""Markdown for docs/performance.md from the end-to-end comparison's figures. Every verdict is
computed from the unrounded figures; the tables only round for display."""

PATHS = {
    "stdio": "stdio, direct (one server per session)",
    "own-http": "the server's own Streamable HTTP",
    "mcp-proxy": "mcp-proxy 6.7.19 → stdio",
    "gateway": "portcullis-gateway → stdio",
}
CLIENTS = {"raw": "minimal keep-alive client (`e2e_raw`)", "sdk": "SDK client (`e2e-compare.mjs`)"}
UPSTREAMS = {
    "everything": "server-everything 2026.8.31, tool `echo`",
    "demo": "portcullis-demo-server, tool `ecs_troubleshooting_tool`",
}


def _mb(kb):
    return "—" if not kb else f"{kb / 1024:.1f}"


def _n(x, digits=0):
    if x is None:
        return "—"
    return f"{x:,.{digits}f}".replace(",", " ")


def _sessions(r):
    return f"{r['sessions']} session" + ("" if r["sessions"] == 1 else "s")


def _verdict(ok):
    return "met" if ok else "**missed**"


def render(meta, rows, held, failed=()):
    by = {(r["upstream"], r["topology"], r["client"], r["sessions"]): r for r in rows}
    out = []
    w = out.append
    w(f"Measured {meta['date']} at commit `{meta['commit']}`: {meta['cpus']} CPUs ({meta['cpu']}), "
      f"Linux {meta['kernel']}, node {meta['node']}; load average {meta['load_start'][0]} at the "
      f"start, {meta['load_end'][0]} at the end; {meta['minutes']} min in all"
      + (f", medians of {meta['repeat']} runs" if meta["repeat"] > 1 else "") + ".")
    others = sorted(r["other_cores"] for r in rows if r.get("other_cores") is not None)
    if others:
        w(f"While the figures were taken, other processes on the machine used a median of "
          f"{others[len(others) // 2]:.2f} cores (most: {others[-1]:.2f}); the last column of each "
          f"table gives it per measurement (median over the repetitions).")
    if meta.get("retries"):
        w(f"A measurement during which they used more than {meta['max_other_cores']} cores was "
          f"taken again, up to {meta['retries']} more times, keeping the least disturbed attempt "
          f"(chosen by that figure alone): {meta['retaken']} of {meta['measurements']} were taken "
          f"again, and {meta['still_disturbed']} stayed above the bound.")
    w("")
    sessions = sorted({r["sessions"] for r in rows})
    for upstream in UPSTREAMS:
        for client in CLIENTS:
            if not any(k[0] == upstream and k[2] == client for k in by):
                continue
            w(f"### {UPSTREAMS[upstream]} — {CLIENTS[client]}")
            w("")
            w("| path | sessions | p50 µs | p99 µs | max µs | calls/s | client CPU % | "
              "front CPU µs/call | tree CPU µs/call | front RSS MB (peak) | tree RSS MB (peak) | "
              "others' CPU (cores) |")
            w("|---|---|---|---|---|---|---|---|---|---|---|---|")
            for topology in PATHS:
                for s in sessions:
                    r = by.get((upstream, topology, client, s))
                    if not r:
                        continue
                    errors = f" ({r['errors']} errors)" if r["errors"] else ""
                    w(f"| {PATHS[topology]} | {s} | {_n(r['p50_us'])} | {_n(r['p99_us'])} | "
                      f"{_n(r['max_us'])} | {_n(r['calls_per_s'])}{errors} | "
                      f"{_n(r['client_cpu_pct'])} | {_n(r['front_cpu_us_per_call'])} | "
                      f"{_n(r['tree_cpu_us_per_call'])} | {_mb(r['front_rss_peak_kb'])} | "
                      f"{_mb(r['tree_rss_peak_kb'])} | {_n(r.get('other_cores'), 2)} |")
            w("")
    if failed:
        w("Measurements that failed: " + "; ".join(
            f"{f['upstream']}/{f['topology']}/{f['client']}/{f['sessions']}: {f['failed']}"
            for f in failed) + ".")
        w("")
    if held:
        w(f"Held approvals: {held['held']} of {held['calls']} calls held in {held['fill_seconds']} s "
          f"({held['gateway_cpu_s_to_fill']} s of gateway CPU since it started); gateway RSS "
          f"{_mb(held['idle_rss_kb'])} MB idle, {_mb(held['held_rss_kb'])} MB with all held "
          f"(whole tree {_mb(held['held_tree_rss_kb'])} MB), {_mb(held['released_rss_kb'])} MB after "
          f"the clients left ({held['pending_after_release']} still pending).")
        w("")
    w(_targets(by, held))
    return "\n".join(out)


def _targets(by, held):
    t = ["| target | measured | verdict |", "|---|---|---|"]
    add = t.append

    for upstream in UPSTREAMS:
        direct, gw = by.get((upstream, "stdio", "raw", 1)), by.get((upstream, "gateway", "raw", 1))
        if direct and gw:
            d50, d99 = gw["p50_us"] - direct["p50_us"], gw["p99_us"] - direct["p99_us"]
            add(f"| added latency at p50 ≤ 150 µs (raw client, 1 session, {upstream}) | "
                f"{_n(d50)} µs ({_n(gw['p50_us'])} vs {_n(direct['p50_us'])}) | {_verdict(d50 <= 150)} |")
            add(f"| added latency at p99 ≤ 1 ms (raw client, 1 session, {upstream}) | "
                f"{_n(d99)} µs ({_n(gw['p99_us'])} vs {_n(direct['p99_us'])}) | {_verdict(d99 <= 1000)} |")

    for upstream in UPSTREAMS:
        for client in CLIENTS:
            gw, px = by.get((upstream, "gateway", client, 8)), by.get((upstream, "mcp-proxy", client, 8))
            if gw and px and px["calls_per_s"]:
                ratio = gw["calls_per_s"] / px["calls_per_s"]
                add(f"| throughput, 8 sessions ≥ 2× mcp-proxy ({client} client, {upstream}) | "
                    f"{ratio:.2f}× ({_n(gw['calls_per_s'])} vs {_n(px['calls_per_s'])} calls/s) | "
                    f"{_verdict(ratio >= 2)} |")

    gws = [r for k, r in by.items() if k[1] == "gateway" and r.get("front_cpu_us_per_call")]
    pure = by.get(("demo", "gateway", "raw", 1))
    if pure:
        add(f"| gateway CPU per call ≤ 100 µs (raw client, 1 session, demo) | "
            f"{_n(pure['front_cpu_us_per_call'])} µs | {_verdict(pure['front_cpu_us_per_call'] <= 100)} |")
    if gws:
        worst = max(gws, key=lambda r: r["front_cpu_us_per_call"])
        add(f"| gateway CPU per call ≤ 100 µs (highest of all gateway runs: {worst['client']}, "
            f"{_sessions(worst)}, {worst['upstream']}) | {_n(worst['front_cpu_us_per_call'])} µs | "
            f"{_verdict(worst['front_cpu_us_per_call'] <= 100)} |")
        biggest = max(gws, key=lambda r: r["front_rss_peak_kb"] or 0)
        add(f"| gateway RSS ≤ 30 MB (peak of all gateway runs: {biggest['client']}, "
            f"{_sessions(biggest)}, {biggest['upstream']}) | {_mb(biggest['front_rss_peak_kb'])} MB | "
            f"{_verdict(biggest['front_rss_peak_kb'] <= 30 * 1024)} |")

    for upstream in UPSTREAMS:
        for client in CLIENTS:
            gw, px = by.get((upstream, "gateway", client, 20)), by.get((upstream, "mcp-proxy", client, 20))
            if gw and px:
                add(f"| gateway's process tree ≤ mcp-proxy's, 20 sessions ({client} client, {upstream}) | "
                    f"{_mb(gw['tree_rss_peak_kb'])} MB vs {_mb(px['tree_rss_peak_kb'])} MB | "
                    f"{_verdict(gw['tree_rss_peak_kb'] <= px['tree_rss_peak_kb'])} |")

    if held and held.get("held_rss_kb"):
        add(f"| {held['calls']:,} held approvals ≤ 50 MB (gateway RSS with all of them held) | "
            f"{_mb(held['held_rss_kb'])} MB ({held['held']} held; {_mb(held['idle_rss_kb'])} MB idle "
            f"before) | {_verdict(held['held_rss_kb'] <= 50 * 1024)} |".replace(",", " "))
    return "\n".join(t) + "\n"
