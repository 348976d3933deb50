#!/usr/bin/env python3
"""Samples CPU and memory while one wrk run goes on; prints one JSON object.

usage: sample.py SECONDS JAVA_PID POSTMASTER_PID

CPU is from /proc/<pid>/stat (utime+stime) deltas: the service (java), PostgreSQL (the
postmaster and all its children), wrk/pgbench (by name), and the whole machine (/proc/stat),
so "other" = machine busy minus ours is the noise from everyone else on the box.
RSS of the service is sampled every 0.25 s (max and last).
"""
import json, os, sys, time

HZ = os.sysconf("SC_CLK_TCK")


def ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            parts = f.read().rsplit(")", 1)[1].split()
        return int(parts[11]) + int(parts[12])
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0


def children(ppid):
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == ppid:
                        out.append(int(d))
            except (FileNotFoundError, ProcessLookupError, IndexError):
                pass
    return out


def by_name(names):
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/comm") as f:
                    if f.read().strip() in names:
                        out.append(int(d))
            except (FileNotFoundError, ProcessLookupError):
                pass
    return out


def machine():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + v[4]
    return sum(v[:8]) - idle, sum(v[:8])


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


def snapshot(java, pm):
    pg = [pm] + children(pm)
    load = {p: ticks(p) for p in by_name({"wrk", "pgbench"})}
    return {"java": ticks(java), "pg": {p: ticks(p) for p in pg}, "load": load, "machine": machine()}


def main():
    secs, java, pm = float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    time.sleep(0.3)  # let wrk connect
    t0 = time.time()
    a = snapshot(java, pm)
    rss_max, rss_last = 0, 0
    end = t0 + max(secs - 0.8, 0.3)
    while time.time() < end:
        rss_last = rss_kb(java)
        rss_max = max(rss_max, rss_last)
        time.sleep(0.25)
    b = snapshot(java, pm)
    dt = time.time() - t0

    def pct(t):
        return round(100.0 * t / HZ / dt, 1)

    # Backends that started during the window count from zero; one that ended is lost (reads 0).
    pg = sum(b["pg"][p] - a["pg"].get(p, 0) for p in b["pg"] if b["pg"][p] > 0)
    ld = sum(b["load"][p] - a["load"].get(p, 0) for p in b["load"] if b["load"][p] > 0)
    busy = b["machine"][0] - a["machine"][0]
    total = b["machine"][1] - a["machine"][1]
    ncpu = os.cpu_count()
    with open("/proc/loadavg") as f:
        loadavg = f.read().split()[0:3]
    svc = pct(b["java"] - a["java"])
    print(json.dumps({
        "svc_cpu_pct": svc, "pg_cpu_pct": pct(pg), "loadgen_cpu_pct": pct(ld),
        "machine_busy_pct": round(100.0 * ncpu * busy / total, 1) if total else 0.0,
        "other_cpu_pct": round(max(100.0 * ncpu * busy / total - svc - pct(pg) - pct(ld), 0), 1) if total else 0.0,
        "rss_max_mb": round(rss_max / 1024, 1), "rss_last_mb": round(rss_last / 1024, 1),
        "loadavg": " ".join(loadavg),
    }))


if __name__ == "__main__":
    main()
