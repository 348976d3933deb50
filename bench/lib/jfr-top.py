#!/usr/bin/env python3
"""Summarises a JFR recording's CPU samples: the hottest leaf frames and the hottest frames
anywhere on the stack (inclusive), from `jfr print --json --events jdk.ExecutionSample`.

usage: jfr-top.py FILE.jfr [N]
"""
import collections, json, subprocess, sys

f, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 25
out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", "jdk.ExecutionSample", f],
                     capture_output=True, text=True, check=True).stdout
events = json.loads(out)["recording"]["events"]
leaf, incl = collections.Counter(), collections.Counter()
for e in events:
    frames = e["values"]["stackTrace"]["frames"] if e["values"].get("stackTrace") else []
    names = [fr["method"]["type"]["name"] + "." + fr["method"]["name"] for fr in frames]
    if names:
        leaf[names[0]] += 1
    for nm in set(names):
        incl[nm] += 1
total = len(events)
print(f"{total} samples")
print("\n-- top leaf frames (self time)")
for k, v in leaf.most_common(n):
    print(f"{100 * v / total:5.1f}%  {k}")
print("\n-- top frames anywhere on the stack (inclusive)")
for k, v in incl.most_common(n * 2):
    print(f"{100 * v / total:5.1f}%  {k}")
