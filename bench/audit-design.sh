#!/usr/bin/env bash
# Which way to record the ids a list or search returned (issue 10)? Measures both designs on
# the database alone, with pgbench, on its own throwaway cluster (bench/.work/pg-design):
#   A  one event per request, the ids in a bigint[] with a GIN index   (what the service does)
#   B  one event row per returned patient, found by the existing (record_type, record_id, ...) b-tree
# Each table gets the audit trail's other indexes too, is preloaded with the same list traffic
# (BENCH_DESIGN_LISTS requests of 50 ids over 1,000,000 patients), then pgbench measures
#   write: list requests per second the database absorbs (A: one row, B: 50 rows in one statement)
#   read:  "who saw patient X" (page of 50 newest + count), random X
# Bounded: each pgbench run is BENCH_DESIGN_SECS (15) s. Writes bench/results/<date>-audit-design.md.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PORT=${BENCH_DESIGN_PG_PORT:-26482}
DIR=$ROOT/bench/.work/pg-design
LISTS=${BENCH_DESIGN_LISTS:-200000}
SECS=${BENCH_DESIGN_SECS:-15}
CLIENTS=${BENCH_DESIGN_CLIENTS:-4}
PG_BIN=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
PSQL=("$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U healthcare -X -q -v ON_ERROR_STOP=1 -d audit_design)
OUT=bench/results/$(date -u +%F)-audit-design.md
W=$ROOT/bench/.work/design; rm -rf "$W"; mkdir -p "$W"
trap 'bash src/dev/local-postgres.sh stop "$DIR" >/dev/null 2>&1' EXIT
bash src/dev/local-postgres.sh start "$DIR" "$PORT" audit_design >&2

"${PSQL[@]}" <<SQL
drop table if exists design_a, design_b;
create table design_a (id bigserial, occurred_at timestamptz not null default now(), actor_id bigint,
  action varchar(20) not null, record_type varchar(20) not null, record_id bigint, record_ids bigint[],
  outcome varchar(20) not null, request_id varchar(64), client_address varchar(64), primary key (id, occurred_at));
create table design_b (like design_a including defaults);
alter table design_b add primary key (id, occurred_at);
alter table design_b drop column record_ids;
SQL
for t in design_a design_b; do
  "${PSQL[@]}" -c "create index on $t (occurred_at desc, id desc); create index on $t (actor_id, occurred_at desc, id desc);
    create index on $t (record_type, record_id, occurred_at desc, id desc);"
done
"${PSQL[@]}" -c "create index on design_a using gin (record_ids)"

t0=$(date +%s%N)
"${PSQL[@]}" -c "insert into design_a (occurred_at, actor_id, action, record_type, record_ids, outcome, request_id, client_address)
  select now() - interval '30 days' + g * interval '1 second', 1 + g % 10000, 'list', 'patient',
         (select array_agg(((g::bigint * 7919 + j * 104729) % 1000000) + 1) from generate_series(0, 49) j),
         'success', 'r-' || g, '127.0.0.1' from generate_series(1, $LISTS) g"
t1=$(date +%s%N)
"${PSQL[@]}" -c "insert into design_b (occurred_at, actor_id, action, record_type, record_id, outcome, request_id, client_address)
  select now() - interval '30 days' + g * interval '1 second', 1 + g % 10000, 'list', 'patient',
         ((g::bigint * 7919 + j * 104729) % 1000000) + 1, 'success', 'r-' || g, '127.0.0.1'
  from generate_series(1, $LISTS) g, generate_series(0, 49) j"
t2=$(date +%s%N)
"${PSQL[@]}" -c "vacuum analyze design_a"; "${PSQL[@]}" -c "vacuum analyze design_b"
LOAD_A=$(( (t1 - t0) / 1000000 )); LOAD_B=$(( (t2 - t1) / 1000000 ))
sizes=$("${PSQL[@]}" -Atc "select pg_size_pretty(pg_total_relation_size('design_a')) || ' / ' || pg_size_pretty(pg_total_relation_size('design_b'))
  || ' | ' || (select count(*) from design_a) || ' / ' || (select count(*) from design_b)")

cat >"$W/write_a.sql" <<'SQL'
\set b random(1, 1000000)
insert into design_a (occurred_at, actor_id, action, record_type, record_ids, outcome, request_id, client_address)
values (now(), 7, 'list', 'patient', (select array_agg(((:b + j * 104729) % 1000000) + 1) from generate_series(0, 49) j), 'success', 'bench', '127.0.0.1');
SQL
cat >"$W/write_b.sql" <<'SQL'
\set b random(1, 1000000)
insert into design_b (occurred_at, actor_id, action, record_type, record_id, outcome, request_id, client_address)
select now(), 7, 'list', 'patient', ((:b + j * 104729) % 1000000) + 1, 'success', 'bench', '127.0.0.1' from generate_series(0, 49) j;
SQL
cat >"$W/read_a.sql" <<'SQL'
\set x random(1, 1000000)
select * from design_a where record_type = 'patient' and (record_id = :x or record_ids @> array[(:x)::bigint]) order by occurred_at desc, id desc limit 50;
select count(*) from design_a where record_type = 'patient' and (record_id = :x or record_ids @> array[(:x)::bigint]);
SQL
cat >"$W/read_b.sql" <<'SQL'
\set x random(1, 1000000)
select * from design_b where record_type = 'patient' and record_id = :x order by occurred_at desc, id desc limit 50;
select count(*) from design_b where record_type = 'patient' and record_id = :x;
SQL
run() { # script -> "tps latency"
  "$PG_BIN/pgbench" -h 127.0.0.1 -p "$PORT" -U healthcare -n -M prepared -c "$CLIENTS" -j 2 -T "$SECS" -f "$W/$1.sql" audit_design >"$W/$1.txt" 2>&1
  echo "$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$W/$1.txt" | tail -n 1) $(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' "$W/$1.txt")"
}
WA=$(run write_a); WB=$(run write_b); RA=$(run read_a); RB=$(run read_b)
after=$("${PSQL[@]}" -Atc "select pg_size_pretty(pg_total_relation_size('design_a')) || ' / ' || pg_size_pretty(pg_total_relation_size('design_b'))")
"${PSQL[@]}" -c "explain (analyze, buffers, costs off) select * from design_a where record_type = 'patient' and (record_id = 500 or record_ids @> array[500::bigint]) order by occurred_at desc, id desc limit 50" >"$W/explain.txt"
"${PSQL[@]}" -c "explain (analyze, buffers, costs off) select * from design_b where record_type = 'patient' and record_id = 500 order by occurred_at desc, id desc limit 50" >>"$W/explain.txt"
{
  echo "# Audit of list ids: one event with a bigint[] (A) or one row per patient (B) — $(date -u +%FT%TZ)"
  echo
  echo "PostgreSQL alone ($("$PG_BIN/postgres" --version)), pgbench -M prepared -c $CLIENTS -j 2 -T $SECS, $(nproc) shared cores, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Preload: $LISTS list requests of 50 ids each over 1,000,000 patient ids (10 list hits per patient); both tables carry the audit trail's three b-tree indexes, A also the GIN."
  echo
  echo "| | A: one event + bigint[] + GIN | B: one row per patient |"
  echo "|---|---|---|"
  echo "| preload of $LISTS list requests | $LOAD_A ms | $LOAD_B ms |"
  echo "| size after preload (table + indexes), rows: A / B | ${sizes%% | *} | rows ${sizes##* | } |"
  echo "| write: list requests/s absorbed (tps, latency ms) | ${WA% *} (${WA#* } ms) | ${WB% *} (${WB#* } ms) |"
  echo "| read: who saw patient X, page + count (tps, latency ms) | ${RA% *} (${RA#* } ms) | ${RB% *} (${RB#* } ms) |"
  echo "| size after the write runs, A / B | $after | |"
  echo
  echo '```'
  cat "$W/explain.txt"
  echo '```'
} >"$OUT"
cat "$OUT"
