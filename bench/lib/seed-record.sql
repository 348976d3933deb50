-- Issue 20's patient record (V15) for the benchmark data set: every seeded patient gets a birth
-- date and one identifier, through an ordinary UPDATE, so that V15's trigger
-- (patients_identifiers_update) fills patient_identifiers exactly as the service's writes do.
-- Run by seed.sql after its load, and by run.sh on a database seeded before V15 (the kept
-- large one). Idempotent: it touches only seeded rows (id <= :patients) that still lack either
-- field, so a second run does nothing; batched (:batch rows a transaction, default 50,000), so
-- it never holds one 1,000,000-row transaction and a stop midway keeps what it did.
--
-- Layout (bench.lua computes the same values):
--   birth_date   1930-01-01 + ((id * 7919) % 33237) days: 1930-01-01 .. 2020-12-31 (33,237 days),
--                spread evenly, neighbours far apart (7919 is prime to 33,237 = 3 * 11079)
--   identifiers  [{"system": "http://bench.example/mrn", "value": "MRN-<id>"}]: unique in every
--                organization and in user 1's personal records, as the unique indexes require
-- psql variables: patients (the seeded count), batch (optional).
\set ON_ERROR_STOP on
\if :{?batch}
\else
\set batch 50000
\endif
set session_replication_role = origin;   -- the trigger must fire (seed.sql loads as replica)
set synchronous_commit = off;
select set_config('bench.patients', :'patients', false), set_config('bench.batch', :'batch', false);
\timing on
do $$
declare
  n bigint := current_setting('bench.patients')::bigint;
  step bigint := current_setting('bench.batch')::bigint;
  lo bigint := 1;
  done bigint := 0;
  c bigint;
begin
  while lo <= n loop
    update patients
       set birth_date = date '1930-01-01' + ((id * 7919) % 33237)::int,
           identifiers = jsonb_build_array(jsonb_build_object('system', 'http://bench.example/mrn', 'value', 'MRN-' || id))
     where id between lo and least(lo + step - 1, n)
       and (birth_date is null or identifiers = '[]'::jsonb);
    get diagnostics c = row_count;
    done := done + c;
    commit;
    lo := lo + step;
  end loop;
  raise notice 'bench record fields: % patients updated', done;
end $$;
vacuum (analyze) patients, patient_identifiers;
