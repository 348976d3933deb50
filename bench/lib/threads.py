#!/usr/bin/env python3
"""CPU by JVM thread group over a window: which threads of the service burn the CPU
(event loops, executor workers, GC, JIT compilers). usage: threads.py PID SECONDS"""
import collections, os, re, sys, time

pid, secs = int(sys.argv[1]), float(sys.argv[2])


def snap():
    out = {}
    for t in os.listdir(f"/proc/{pid}/task"):
        try:
            name = open(f"/proc/{pid}/task/{t}/comm").read().strip()
            st = open(f"/proc/{pid}/task/{t}/stat").read().rsplit(")", 1)[1].split()
            out[t] = (name, int(st[11]) + int(st[12]))
        except (FileNotFoundError, ProcessLookupError):
            pass
    return out


a = snap()
time.sleep(secs)
b = snap()
groups = collections.Counter()
for t, (name, ticks) in b.items():
    g = re.sub(r"[-#\s]*\d+$", "", name)
    groups[g] += ticks - a.get(t, (name, 0))[1]
hz = os.sysconf("SC_CLK_TCK")
total = sum(groups.values())
for g, v in groups.most_common(12):
    print(f"{100.0 * v / hz / secs:6.1f}% of a core  {100.0 * v / max(total, 1):5.1f}%  {g}")
