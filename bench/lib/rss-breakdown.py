#!/usr/bin/env python3
"""Where a JVM's resident memory is: usage rss-breakdown.py SMAPS NMT_DETAIL.

Each mapping of /proc/<pid>/smaps is attributed to the NMT category whose reserved region
(`jcmd <pid> VM.native_memory detail`, "[a - b] reserved ... for <Category>") contains it, else
by its name: the AOT cache file (app.aot), other files (libjvm, jars), or "anonymous, not
tracked by NMT" (glibc malloc arenas and mmap of native code the JVM does not see). Prints
resident MB per category, split in anonymous (private, written) and file-backed pages.
"""
import collections
import re
import sys

regions = []
for line in open(sys.argv[2]):
    m = re.match(r"\[0x([0-9a-f]+) - 0x([0-9a-f]+)\] reserved(?: and committed)? \d+KB for (.+?) from", line)
    if m:
        regions.append((int(m.group(1), 16), int(m.group(2), 16), m.group(3)))
regions.sort()

def category(start, end, name):
    for a, b, c in regions:
        if a <= start < b:
            return c
    if name.endswith("app.aot"):
        return "AOT cache file (app.aot)"
    if name == "[heap]":
        return "malloc: main arena ([heap])"
    if name.startswith("["):
        return name
    if name:
        return "file: " + ("libjvm.so" if name.endswith("libjvm.so") else ".so" if ".so" in name else name.rsplit("/", 1)[-1] if name.endswith(".jar") or name.endswith(".aot") else "other")
    return "anonymous, not in NMT (malloc arenas, native mmap)"

rss = collections.defaultdict(lambda: [0, 0, 0])  # anon, file, count
cur = None
for line in open(sys.argv[1]):
    m = re.match(r"^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$", line)
    if m:
        cur = category(int(m.group(1), 16), int(m.group(2), 16), m.group(3).strip())
        rss[cur][2] += 1
        continue
    if line.startswith("Rss:"):
        r = int(line.split()[1])
        rss[cur][1] += r
    elif line.startswith("Anonymous:"):
        a = int(line.split()[1])
        rss[cur][0] += a
        rss[cur][1] -= a
tot_a = sum(v[0] for v in rss.values()); tot_f = sum(v[1] for v in rss.values())
print(f"| where | resident MB | of it anonymous | of it file-backed | mappings |\n|---|---|---|---|---|")
for k, (a, f, n) in sorted(rss.items(), key=lambda kv: -(kv[1][0] + kv[1][1])):
    if a + f >= 512:
        print(f"| {k} | {(a + f) / 1024:.1f} | {a / 1024:.1f} | {f / 1024:.1f} | {n} |")
print(f"| **total** | **{(tot_a + tot_f) / 1024:.1f}** | {tot_a / 1024:.1f} | {tot_f / 1024:.1f} | |")
