#!/usr/bin/env bash
# Two replicas of the packaged jar on one fresh, empty PostgreSQL database, started at the same
# moment with the same key pair and the same configured admin:
#   - both become ready (Flyway and the admin bootstrap do not race: one schema history, one admin);
#   - a token issued by replica A is accepted by replica B (and the other way round);
#   - a patient created through A is read, listed and updated through B.
#
#   bash ops/two-replicas.sh        (after ./mvnw package)
# Ports: REPLICAS_PG_PORT (55442), REPLICA_A_PORT (18091), REPLICA_B_PORT (18092).
set -euo pipefail
OPS_NAME=replicas
source "$(dirname "$0")/lib.sh"
trap ops_cleanup EXIT
require_jar

PG_PORT=${REPLICAS_PG_PORT:-55442}
A="http://127.0.0.1:${REPLICA_A_PORT:-18091}"
B="http://127.0.0.1:${REPLICA_B_PORT:-18092}"
ADMIN_EMAIL="admin-$(date +%s)@example.com"
ADMIN_PASSWORD="replica-admin-$(openssl rand -hex 8)"

pg_start pg "$PG_PORT" healthcare
[ "$(psql_q "$PG_PORT" healthcare "select count(*) from information_schema.tables where table_schema = 'public'")" = 0 ] \
  || fail "the database is not empty"
keys=$(gen_keys)

log "starting replicas A and B at the same moment"
app_start a "${REPLICA_A_PORT:-18091}" "$PG_PORT" healthcare "$keys" \
  HEALTHCARE_ADMIN_EMAIL="$ADMIN_EMAIL" HEALTHCARE_ADMIN_PASSWORD="$ADMIN_PASSWORD"
pid_a=$APP_PID
app_start b "${REPLICA_B_PORT:-18092}" "$PG_PORT" healthcare "$keys" \
  HEALTHCARE_ADMIN_EMAIL="$ADMIN_EMAIL" HEALTHCARE_ADMIN_PASSWORD="$ADMIN_PASSWORD"
pid_b=$APP_PID

wait_status "$A/q/health/ready" 200 120 "$pid_a" || { tail -n 40 "$(app_log a)" >&2; fail "replica A never became ready"; }
wait_status "$B/q/health/ready" 200 120 "$pid_b" || { tail -n 40 "$(app_log b)" >&2; fail "replica B never became ready"; }
log "both ready"

admins=$(psql_q "$PG_PORT" healthcare "select count(*) from users where role = 'admin'")
[ "$admins" = 1 ] || fail "expected exactly one admin row, found $admins"
dupes=$(psql_q "$PG_PORT" healthcare "select count(*) from (select version from flyway_schema_history where version is not null group by version having count(*) > 1) d")
[ "$dupes" = 0 ] || fail "Flyway applied a migration twice"
failed=$(psql_q "$PG_PORT" healthcare "select count(*) from flyway_schema_history where not success")
[ "$failed" = 0 ] || fail "a failed migration is recorded"
for r in a b; do
  if grep -E '"level":"(ERROR|FATAL)"|^[0-9-]+ [0-9:,]+ (ERROR|FATAL)' "$(app_log $r)" >/dev/null; then
    grep -E 'ERROR|FATAL' "$(app_log $r)" | head -n 5 >&2
    fail "replica $r logged an error while starting"
  fi
done
log "one admin row, each migration once, no start-up errors"

post() { curl -s --max-time 10 -X POST -H 'Content-Type: application/json' "$@"; }

email="replica-$(date +%s%N)@example.com"
password="replica-pw-$(openssl rand -hex 6)"
code=$(status -X POST -H 'Content-Type: application/json' \
  -d "{\"name\":\"Replica User\",\"email\":\"$email\",\"password\":\"$password\"}" "$A/api/auth/register")
[ "$code" = 201 ] || fail "register through A answered $code"
token_a=$(post -d "{\"email\":\"$email\",\"password\":\"$password\"}" "$A/api/auth/login" | json "d['token']")
[ -n "$token_a" ] || fail "no token from A"
me=$(curl -s --max-time 10 -H "Authorization: Bearer $token_a" "$B/api/auth/me" | json "d['email']")
[ "$me" = "$email" ] || fail "replica B did not accept A's token (got: $me)"
log "a token issued by A is accepted by B"

created=$(post -H "Authorization: Bearer $token_a" \
  -d '{"name":"Replica Patient","age":40,"gender":"F","disease":"Asthma"}' "$A/api/patients")
id=$(echo "$created" | json "d['id']")
name=$(curl -s --max-time 10 -H "Authorization: Bearer $token_a" "$B/api/patients/$id" | json "d['name']")
[ "$name" = "Replica Patient" ] || fail "patient $id created through A was not read through B (got: $name)"
listed=$(curl -s --max-time 10 -H "Authorization: Bearer $token_a" "$B/api/patients" | json "[p['id'] for p in d].count($id)")
[ "$listed" = 1 ] || fail "patient $id not listed through B"
log "a patient created through A is read and listed through B"

token_b=$(post -d "{\"email\":\"$email\",\"password\":\"$password\"}" "$B/api/auth/login" | json "d['token']")
code=$(status -X PUT -H 'Content-Type: application/json' -H "Authorization: Bearer $token_b" \
  -H 'If-Match: "0"' -d '{"age":41}' "$B/api/patients/$id")
[ "$code" = 200 ] || fail "update through B with B's token answered $code"
age=$(curl -s --max-time 10 -H "Authorization: Bearer $token_b" "$A/api/patients/$id" | json "d['age']")
[ "$age" = 41 ] || fail "A does not see B's update (age $age)"
stale=$(status -X PUT -H 'Content-Type: application/json' -H "Authorization: Bearer $token_a" \
  -H 'If-Match: "0"' -d '{"age":42}' "$A/api/patients/$id")
[ "$stale" = 412 ] || fail "a stale If-Match through A after B's update answered $stale, not 412"
admin_token=$(post -d "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" "$B/api/auth/login" | json "d['user']['role']")
[ "$admin_token" = admin ] || fail "the configured admin cannot log in through B"
log "B's token works on A, B's update is seen by A (stale If-Match 412), the admin logs in through B"
log "resident memory: A $(( $(ps -o rss= -p "$pid_a") / 1024 )) MB, B $(( $(ps -o rss= -p "$pid_b") / 1024 )) MB (image JVM flags)"
echo "two-replica check passed"
