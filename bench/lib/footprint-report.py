#!/usr/bin/env python3
"""The markdown table of bench/footprint.sh: usage footprint-report.py RESULTS.jsonl [--last].

One line per run (variant and round): start-up (process start -> first 200, CPU until then),
idle RSS (VmRSS = anon + file, threads) FP_IDLE s after, the highest RSS sampled during the rows
(every 0.25 s, bench/lib/sample.py), RSS after the rows, and per row req/s and CPU ms/request
(the process's CPU time over the run / its answers; for login, its successful answers).
"""
import json
import sys


def row_cells(r):
    out = []
    for name, x in r["rows"].items():
        w, s = x.get("wrk") or {}, x.get("sample") or {}
        n = w.get("requests", 0) - (w.get("status_errors", 0) if name == "login" else 0)
        rps = n / max(w.get("duration_us", 1), 1) * 1e6
        cpu = s.get("svc_cpu_pct", 0) / 100 * x["secs"] * 1000 / max(n, 1)
        err = w.get("status_errors", 0)
        out.append(f"{name} {rps:,.0f}/s {cpu:.2f} ms" + (f" ({err} non-2xx)" if err else ""))
    return "; ".join(out)


def gc_cell(r):
    a, b = r.get("gc_idle"), r.get("gc_after")
    if not a or not b:
        return "–"
    return (f"start {a['ygc']} young + {a['fgc']} full; rows {b['ygc'] - a['ygc']} young + {b['fgc'] - a['fgc']} full,"
            f" {(b['gct_s'] - a['gct_s']) * 1000:.0f} ms")


def line(r):
    i, a = r["idle"], r["after"]
    mx = max([(x.get("sample") or {}).get("rss_max_mb", 0) for x in r["rows"].values()] + [a.get("VmRSS", 0)])
    loads = [(x.get("sample") or {}).get("loadavg", "?").split()[0] for x in r["rows"].values()]
    return (f"| {r['name']} | {r['round']} | {r['first_200_ms']:,} / {r['cpu_to_first_200_ms']:,} |"
            f" {i.get('VmRSS')} ({i.get('RssAnon')} + {i.get('RssFile')}), {i.get('Threads')} thr |"
            f" **{mx:.0f}** | {a.get('VmRSS')} ({a.get('RssAnon')} + {a.get('RssFile')}), {a.get('Threads')} thr |"
            f" {row_cells(r)} | {gc_cell(r)} | {r['load_at_start']} / {'–'.join(loads)} |")


HEAD = ("| variant | round | first 200 / CPU to it (ms) | idle RSS MB (anon + file), threads | max RSS under load MB |"
        " RSS after rows MB (anon + file), threads | rows: req/s, CPU ms/request | GCs | load (start / rows) |\n"
        "|---|---|---|---|---|---|---|---|---|")


def main():
    runs = [json.loads(x) for x in open(sys.argv[1]) if x.strip()]
    if "--last" in sys.argv:
        print(line(runs[-1]))
        return
    print(HEAD)
    for r in sorted(runs, key=lambda r: (r["name"], r["round"])):
        print(line(r))
    nm = [r for r in runs if r.get("nmt")]
    if nm:
        keys = []
        for r in nm:
            keys += [k for k in r["nmt"] if k not in keys]
        print("\nNMT after the rows (committed MB):\n")
        print("| variant | round | " + " | ".join(keys) + " |")
        print("|---|---|" + "---|" * len(keys))
        for r in nm:
            print(f"| {r['name']} | {r['round']} | " + " | ".join(str(r["nmt"].get(k, "")) for k in keys) + " |")
    print("\nFlags per variant:\n")
    seen = set()
    for r in runs:
        if r["name"] not in seen:
            seen.add(r["name"])
            print(f"- {r['name']}: `{r['flags']}`" + (f" with `{r['env']}`" if r["env"] else ""))


if __name__ == "__main__":
    main()
