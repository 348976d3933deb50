#!/usr/bin/env python3
"""Where a request's CPU goes: the CPU samples of the request threads (vert.x event loops and
executor threads) after BEGIN (HH:MM:SS, UTC: skip start-up), split into the cost centres of
one authenticated request. A sample counts for the first centre (in the order below) whose
frame is on its stack, so the shares add up to 100%.

usage: jfr-request.py FILE.jfr [BEGIN] [END]
"""
import collections, json, subprocess, sys

f = sys.argv[1]
begin = sys.argv[2] if len(sys.argv) > 2 else "00:00:00"
end = sys.argv[3] if len(sys.argv) > 3 else "99:99:99"
out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "256", "--events", "jdk.ExecutionSample", f],
                     capture_output=True, text=True, check=True).stdout
events = json.loads(out)["recording"]["events"]
CENTRES = [
    ("token: RSA signature check", ["sun.security.rsa", "java.math.BigInteger", "org.jose4j.jws"]),
    ("token: JWT parse (jose4j, JSON-P)", ["org.jose4j", "io.smallrye.jwt", "org.eclipse.parsson", "org.glassfish.json"]),
    ("account/session check (augmentor)", ["org.acme.healthcare.user.AccountStatusAugmentor", "org.acme.healthcare.user.LiveSessions"]),
    ("audit write", ["org.acme.healthcare.audit"]),
    ("Envers", ["org.hibernate.envers"]),
    ("Hibernate ORM + JDBC", ["org.hibernate", "org.postgresql", "io.agroal", "com.arjuna", "io.quarkus.narayana", "io.quarkus.hibernate"]),
    ("Bean Validation", ["org.hibernate.validator"]),
    ("JSON (Jackson)", ["com.fasterxml.jackson"]),
    ("application code", ["org.acme.healthcare"]),
    ("security (Quarkus)", ["io.quarkus.security", "io.quarkus.vertx.http.runtime.security", "io.quarkus.smallrye.jwt"]),
    ("REST layer (RESTEasy Reactive)", ["org.jboss.resteasy.reactive", "io.quarkus.resteasy.reactive"]),
    ("metrics, logging", ["io.micrometer", "io.quarkus.micrometer", "org.jboss.logmanager", "org.jboss.logging"]),
    ("CDI (ArC)", ["io.quarkus.arc"]),
    ("HTTP (Vert.x, Netty)", ["io.vertx", "io.netty"]),
]
by = collections.Counter()
total = 0
for e in events:
    v = e["values"]
    t = v["startTime"][11:19]
    if not (begin <= t <= end):
        continue
    thread = (v.get("sampledThread") or {}).get("javaName", "")
    if not (thread.startswith("vert.x-eventloop") or thread.startswith("executor-thread")):
        continue
    frames = v["stackTrace"]["frames"] if v.get("stackTrace") else []
    names = [fr["method"]["type"]["name"].replace("/", ".") for fr in frames]
    total += 1
    for label, prefixes in CENTRES:
        if any(n.startswith(p) for n in names for p in prefixes):
            by[label] += 1
            break
    else:
        by["other (JDK, ...)"] += 1
print(f"{total} samples on request threads between {begin} and {end}")
for k, n in by.most_common():
    print(f"{100 * n / max(total, 1):5.1f}%  {k}")
