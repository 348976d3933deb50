#!/usr/bin/env bash
# Verify throughput of the audit chain (issue 22): a PostgreSQL cluster of its own (port 26470,
# data in target/bench-audit-pg), N events seeded with their MACs, sealed by the service's sealer,
# then GET /api/audit/verify's work (AuditVerifier over every event) timed three times.
#   bench/audit-verify.sh [events]      (default 2000000)
# Each run adds N events to the cluster (remove $DIR for a fresh one). Prints the BENCH lines; copy them into bench/results/<date>-audit-verify.md with the machine's load.
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS="${1:-2000000}"
PORT="${BENCH_AUDIT_PG_PORT:-26470}"
DIR="${BENCH_AUDIT_PG_DIR:-$PWD/target/bench-audit-pg}"
uptime
./mvnw -q -B test -Dtest=AuditVerifyBenchTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dlocal-pg.port="$PORT" -Dlocal-pg.dir="$DIR" -Dbench.audit.events="$EVENTS" 2>&1 | grep -E "ERROR|FAIL" || true
grep -o "BENCH[^<]*" target/surefire-reports/TEST-org.acme.healthcare.audit.AuditVerifyBenchTest.xml || true
uptime
# The cluster keeps running for a second look (psql -h 127.0.0.1 -p $PORT -U healthcare healthcare_test);
# stop it with: src/dev/local-postgres.sh stop "$DIR"
