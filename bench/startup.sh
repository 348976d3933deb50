#!/usr/bin/env bash
# Start-up only: process start -> first 200 on /q/health/ready, Quarkus' "started in", the
# idle RSS right after and the CPU time the process used until then (user + system: on a busy
# machine the wall-clock figure mostly measures the neighbours, the CPU one much less), REPS times
# per configuration, against one throwaway PostgreSQL. Prints one line per start and a median per
# configuration, with the CPU time of the main thread (the start-up's critical path) beside the
# process's.
#
# What is measured is a Kubernetes replica's start: the schema is migrated once per configuration
# by an init run (QUARKUS_INIT_AND_EXIT=true, Flyway on: the generated Job
# healthcare-api-flyway-init), and every measured start runs with QUARKUS_FLYWAY_ACTIVE=false, as
# the Deployment's pods do (they check the schema version instead, ops/SchemaCheck).
# STARTUP_FLYWAY=1 measures starts that migrate (Flyway validates the schema), as a standalone
# `docker run` or `java -jar` with the defaults does.
#
#   bench/startup.sh NAME=JAVA_HOME|APP_DIR|JVM_FLAGS [NAME=...]...
#
# e.g. bench/startup.sh "jdk17=/usr/lib/jvm/java-17-openjdk-amd64|bench/.work/app-fast17|$(bash src/main/docker/jvm-flags.sh)"
# JVM_FLAGS may contain @APP@, replaced by the absolute APP_DIR (for -XX:AOTCache=@APP@/app.aot).
# Environment: STARTUP_REPS (5), STARTUP_PG_PORT (19010), STARTUP_HTTP_PORT (19011), STARTUP_FLYWAY (0).
# Loopback only; every process it starts is stopped at exit.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
REPS=${STARTUP_REPS:-5}
FLYWAY_ACTIVE=$([ "${STARTUP_FLYWAY:-0}" = 1 ] && echo true || echo false)
PG_PORT=${STARTUP_PG_PORT:-19010}
HTTP_PORT=${STARTUP_HTTP_PORT:-19011}
WORK=$ROOT/bench/.work/startup
source bench/lib/service-setup.sh startup

migrate() { # java app flags log: the init Job's run (migrate, then exit)
  QUARKUS_INIT_AND_EXIT=true QUARKUS_FLYWAY_ACTIVE=true \
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/startup" \
  QUARKUS_DATASOURCE_USERNAME=healthcare QUARKUS_DATASOURCE_PASSWORD=unused \
  SMALLRYE_JWT_SIGN_KEY_LOCATION="$KEYS/private.pem" MP_JWT_VERIFY_PUBLICKEY_LOCATION="$KEYS/public.pem" \
  HEALTHCARE_AUDIT_KEY=bench-only-audit-key-not-secret-0123456789 \
  QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$HTTP_PORT" \
    timeout 120 "$1" $3 -jar "$2/quarkus-run.jar" >"$4" 2>&1 \
    || { tail -n 20 "$4" >&2; echo "the migration run failed" >&2; exit 1; }
}

one() { # java app flags log -> "first200_ms started_in rss_mb cpu_ms main_thread_cpu_ms"
  local t0 t1 deadline
  t0=$(date +%s%N)
  QUARKUS_FLYWAY_ACTIVE=$FLYWAY_ACTIVE \
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/startup" \
  QUARKUS_DATASOURCE_USERNAME=healthcare QUARKUS_DATASOURCE_PASSWORD=unused \
  SMALLRYE_JWT_SIGN_KEY_LOCATION="$KEYS/private.pem" MP_JWT_VERIFY_PUBLICKEY_LOCATION="$KEYS/public.pem" \
  HEALTHCARE_AUDIT_KEY=bench-only-audit-key-not-secret-0123456789 \
  QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$HTTP_PORT" \
    "$1" $3 -jar "$2/quarkus-run.jar" >"$4" 2>&1 &
  SVC_PID=$!
  deadline=$(( $(date +%s) + 90 ))
  until curl -fs -o /dev/null "http://127.0.0.1:$HTTP_PORT/q/health/ready"; do
    kill -0 "$SVC_PID" 2>/dev/null || { tail -n 20 "$4" >&2; echo "exited" >&2; exit 1; }
    [ "$(date +%s)" -lt "$deadline" ] || { echo "no answer in 90 s" >&2; exit 1; }
    sleep 0.005
  done
  t1=$(date +%s%N)
  local rss started cpu main t c
  rss=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$SVC_PID/status)
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.0f", ($14 + $15) * 1000 / hz}' /proc/$SVC_PID/stat)
  # The main thread: the launcher's thread named "java" that used the most CPU (the primordial
  # one only waits for it).
  main=0
  for t in /proc/$SVC_PID/task/*; do
    [ "$(cat "$t/comm" 2>/dev/null)" = java ] || continue
    c=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.0f", ($14 + $15) * 1000 / hz}' "$t/stat" 2>/dev/null || echo 0)
    [ "$c" -gt "$main" ] && main=$c
  done
  started=$(grep -o 'started in [0-9.]*s' "$4" | head -n 1 | grep -o '[0-9.]*' | head -n 1 || echo "?")
  kill "$SVC_PID"; wait "$SVC_PID" 2>/dev/null || true; SVC_PID=""
  echo "$(( (t1 - t0) / 1000000 )) $started $rss $cpu $main"
}

for spec in "$@"; do
  name=${spec%%=*}; rest=${spec#*=}
  jh=${rest%%|*}; rest=${rest#*|}
  app=${rest%%|*}; flags=${rest#*|}
  app=$(cd "$app" && pwd)
  flags=${flags//@APP@/$app}
  : >"$WORK/$name.txt"
  migrate "$jh/bin/java" "$app" "$flags" "$WORK/$name-migrate.log"      # schema, page cache
  one "$jh/bin/java" "$app" "$flags" "$WORK/$name-warm.log" >/dev/null
  for i in $(seq 1 "$REPS"); do
    r=$(one "$jh/bin/java" "$app" "$flags" "$WORK/$name-$i.log")
    echo "$r" >>"$WORK/$name.txt"
    echo "$name #$i: first 200 ${r%% *} ms, started in $(echo "$r" | cut -d' ' -f2) s, RSS $(echo "$r" | cut -d' ' -f3) MB, CPU $(echo "$r" | cut -d' ' -f4) ms (main thread $(echo "$r" | cut -d' ' -f5) ms), load $(cut -d' ' -f1 /proc/loadavg)"
  done
  sort -n "$WORK/$name.txt" | awk -v n="$name" '{a[NR]=$1; s[NR]=$2; r[NR]=$3} END {m=int((NR+1)/2); printf "%s median: first 200 %d ms (min %d, max %d), started in %s s, RSS %d MB", n, a[m], a[1], a[NR], s[m], r[m]}'
  sort -n -k4 "$WORK/$name.txt" | awk '{c[NR]=$4} END {m=int((NR+1)/2); printf ", CPU %d ms (min %d, max %d)", c[m], c[1], c[NR]}'
  sort -n -k5 "$WORK/$name.txt" | awk -v f="$FLYWAY_ACTIVE" '{c[NR]=$5} END {m=int((NR+1)/2); printf ", main thread %d ms (min %d, max %d); Flyway at start: %s\n", c[m], c[1], c[NR], f}'
done
