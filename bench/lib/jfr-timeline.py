#!/usr/bin/env python3
"""Start-up timeline from a JFR recording: CPU samples of the main thread bucketed by time,
each labelled with the outermost frame that names a component (the recorder step, the CDI
observer, Flyway, Hibernate, ...). Shows where the seconds before "started in" go.

usage: jfr-timeline.py FILE.jfr [BUCKET_MS]
"""
import collections, json, subprocess, sys

f = sys.argv[1]
bucket = int(sys.argv[2]) if len(sys.argv) > 2 else 250
out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "200", "--events", "jdk.ExecutionSample", f],
                     capture_output=True, text=True, check=True).stdout
events = json.loads(out)["recording"]["events"]
MARKERS = [("org.acme.healthcare.", None), ("ca.uhn.fhir", "HAPI FHIR"), ("org.flywaydb", "Flyway"),
           ("org.hibernate.envers", "Envers"), ("org.hibernate.validator", "Hibernate Validator"),
           ("io.quarkus.hibernate.orm", "Hibernate ORM boot"), ("org.hibernate", "Hibernate ORM"),
           ("io.agroal", "Agroal"), ("org.postgresql", "pgjdbc"), ("io.smallrye.jwt", "SmallRye JWT"),
           ("io.smallrye.openapi", "OpenAPI"), ("io.smallrye.config", "SmallRye Config"),
           ("io.quarkus.runtime.generated.Config", "config init"), ("io.vertx", "Vert.x"),
           ("io.netty", "Netty"), ("org.jboss.resteasy.reactive", "RESTEasy Reactive"),
           ("com.fasterxml.jackson", "Jackson"), ("io.quarkus.arc", "ArC"), ("io.quarkus.runner.recorded", "recorders")]


def label(frames):
    names = [fr["method"]["type"]["name"].replace("/", ".") + "." + fr["method"]["name"] for fr in frames]
    for prefix, name in MARKERS:  # most specific component wins, in MARKERS order
        for n in names:
            if n.startswith(prefix):
                if name is None:
                    parts = n.split(".")
                    return "app: " + parts[-2] + "." + parts[-1]
                return name
    return names[0] if names else "?"


rows = []
for e in events:
    v = e["values"]
    thread = (v.get("sampledThread") or {}).get("javaName", "?")
    frames = v["stackTrace"]["frames"] if v.get("stackTrace") else []
    rows.append((v["startTime"], thread, label(frames)))
rows.sort()
by_label = collections.Counter(r[2] for r in rows)
print(f"{len(rows)} samples (~{len(rows) * 20} ms of CPU at the 20 ms Java sampling period)")
print("\n-- by component (all threads)")
for k, n in by_label.most_common(25):
    print(f"{n:5d}  {k}")
print("\n-- main thread, in order (runs of one label)")
last, start, count = None, None, 0
for t, thread, lab in rows:
    if thread != "main":
        continue
    if lab != last:
        if last is not None:
            print(f"{start[11:23]}  {count:4d}  {last}")
        last, start, count = lab, t, 0
    count += 1
if last is not None:
    print(f"{start[11:23]}  {count:4d}  {last}")
