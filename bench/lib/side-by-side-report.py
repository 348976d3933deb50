#!/usr/bin/env python3
"""The markdown table of bench/side-by-side.sh: usage side-by-side-report.py RESULTS.jsonl META.json.

One line per row and side in RESULTS (wrk's BENCH_JSON, sample.py's CPU of the process and of
PostgreSQL, and for the flood the readers' wrk). CPU per request is the process's CPU time over
the run divided by its answers (PostgreSQL's likewise); it is the figure a shared box distorts
least.
"""
import json
import sys

TARGETS = {"get": None, "doctor": 3.0, "create": 2.0, "list": None, "login": 1.0}
TITLES = {
    "get": "GET patient (audited), c64",
    "doctor": "GET doctor, c64",
    "create": "POST patient (history + audit), c64",
    "list": "list, c64",
    "login": "login, c16 (successful answers)",
    "flood": "login flood, c256 + 4 readers",
}


def rate(w, ok_only=False):
    n = w.get("requests", 0) - (w.get("status_errors", 0) if ok_only else 0)
    return n / max(w.get("duration_us", 1), 1) * 1e6


def cpu_ms(r, key, n):
    s = r.get("sample") or {}
    return s.get(key, 0) / 100 * r["secs"] * 1000 / max(n, 1)


def rss_max(rs):
    """The highest RSS (MB) sample.py saw during these rows, or "–"."""
    v = [(r.get("sample") or {}).get("rss_max_mb", 0) for r in rs if r]
    return f"{max(v):.0f}" if v and max(v) > 0 else "–"


def main():
    rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    meta = json.load(open(sys.argv[2]))
    by = {(r["row"], r["side"]): r for r in rows}
    order = [x for x in TITLES if any(r["row"] == x for r in rows)]
    print("# Issue 23: this service and the Node.js peer, side by side\n")
    print(f"`bash bench/side-by-side.sh`, finished {meta['finished_utc']}, commit {meta['commit']}"
          f" ({meta['dirty']} files changed), {meta['ncpu']} × {meta['cpu']}; wrk -t2, {meta['warmup']} s warm-up then"
          f" {meta['duration']} s per row and side, the two sides back to back against one PostgreSQL.")
    print(f"This service: {meta['java']}; process start → first 200 {meta['first_200_ms']} ms. "
          f"Peer: Node {meta['node']}, Rishidubey15/healthcare-backend {meta['peer_commit']}.\n")
    print("| row | this service | Node peer | ratio | target | CPU ms/request (svc / peer) | PG CPU ms/request (svc / peer) | non-2xx (svc / peer) | p50 / p99 ms (svc) | p50 / p99 ms (peer) | RSS max MB (svc / peer) | load |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for row in order:
        if row == "flood":
            continue
        a, b = by.get((row, "svc")), by.get((row, "peer"))
        ok = row == "login"

        def cell(r):
            if not r or not r["wrk"]:
                return "–", 0, "–", "–", "–", "–"
            w = r["wrk"]
            n_ok = w["requests"] - (w["status_errors"] if ok else 0)
            return (f"{rate(w, ok):,.1f}" if ok else f"{rate(w):,.0f}", rate(w, ok),
                    f"{cpu_ms(r, 'svc_cpu_pct', n_ok):.2f}", f"{cpu_ms(r, 'pg_cpu_pct', n_ok):.2f}",
                    f"{w['status_errors']} of {w['requests']}", f"{w['p50_us'] / 1000:.1f} / {w['p99_us'] / 1000:.1f}")
        ra, va, ca, pa, ea, la = cell(a)
        rb, vb, cb, pb, eb, lb = cell(b)
        ratio = f"{va / vb:.2f}×" if vb else "–"
        target = TARGETS.get(row)
        verdict = "–" if target is None else (f"≥ {target:.1f}×: " + ("met" if vb and va / vb >= target else "**missed**"))
        if row == "login" and a and a["wrk"]:
            shed = a["wrk"]["status_errors"] / max(a["wrk"]["requests"], 1)
            verdict += f"; shed {shed:.1%} (≤ 5%: {'met' if shed <= 0.05 else '**missed**'})"
        load = (a or {}).get("sample", {}).get("loadavg", "?") if a else "?"
        print(f"| {TITLES[row]} | {ra} | {rb} | {ratio} | {verdict} | {ca} / {cb} | {pa} / {pb} | {ea} / {eb} | {la} | {lb} |"
              f" {rss_max([a])} / {rss_max([b])} | {load} |")
    if any(r["row"] == "flood" for r in rows):
        print("\n**Login flood** (256 connections posting logins for 10 s; 4 connections reading GET patient"
              " from the 2nd to the 10th second):\n")
        print("| side | login answers/s | successful/s | non-2xx | login answer p50 / p99 ms | reads/s | reads p50 / p99 ms | CPU % (process / PG) | load |")
        print("|---|---|---|---|---|---|---|---|---|")
        for side, name in (("svc", "this service"), ("peer", "Node peer")):
            r = by.get(("flood", side))
            if not r or not r["wrk"]:
                continue
            w, rd, s = r["wrk"], r.get("reads") or {}, r.get("sample") or {}
            secs = r["secs"]
            print(f"| {name} | {w['requests'] / secs:,.0f} | {(w['requests'] - w['status_errors']) / secs:.1f} | {w['status_errors']} |"
                  f" {w['p50_us'] / 1000:.1f} / {w['p99_us'] / 1000:.1f} | {rd.get('requests', 0) / max(secs - 2, 1):.0f} |"
                  f" {rd.get('p50_us', 0) / 1000:.1f} / {rd.get('p99_us', 0) / 1000:.1f} |"
                  f" {s.get('svc_cpu_pct', '?')} / {s.get('pg_cpu_pct', '?')} | {s.get('loadavg', '?')} |")
        print("\nTargets (this service): a 503 answers in p99 ≤ 100 ms, reads p99 ≤ 250 ms. wrk gives one latency"
              " distribution for all login answers: its p50 is the 503s' when nearly all are 503, its p99 includes the"
              " admitted logins (seconds: they wait for a hash); `bench/login-flood.sh` and LoginFloodIT time lone refusals.")
    rss = meta.get("rss")
    if rss:
        def mb(d):
            return f"{d['VmRSS']:.0f} ({d['RssAnon']:.0f} + {d['RssFile']:.0f}), {d['Threads']} threads" if d else "–"
        svc_max, peer_max = rss_max([r for r in rows if r["side"] == "svc"]), rss_max([r for r in rows if r["side"] == "peer"])
        print("\n**RSS** (MB; VmRSS = anonymous + file-backed, from /proc/<pid>/status):\n")
        print("| side | at first 200 | idle, before the rows | max sampled during the rows (every 0.25 s) | after the rows | target |")
        print("|---|---|---|---|---|---|")
        verdict = "≤ 250 under load: " + ("met" if svc_max != "–" and float(svc_max) <= 250 else "**missed**")
        print(f"| this service | {rss.get('svc_first_200_mb', '–')} | {mb(rss.get('svc_idle'))} | **{svc_max}** | {mb(rss.get('svc_after'))} | {verdict} |")
        if rss.get("peer_idle"):
            print(f"| Node peer | – | {mb(rss.get('peer_idle'))} | **{peer_max}** | {mb(rss.get('peer_after'))} | – |")
    print("\nCPU per request is the process's CPU time (utime + stime from /proc) over the run divided by its answers"
          " (for login: by its successful answers); PG is every PostgreSQL process's. The load average is at the"
          " end of the service's run; a busy box lowers req/s far more than CPU per request.")


if __name__ == "__main__":
    main()
