-- EXPLAIN (ANALYZE, BUFFERS) of every list and search query the service sends, written as
-- Hibernate sends them (compare pg_stat_statements in the results), with the benchmark's
-- values: user 1 (1,000 patients), q = 'ann', page 0, size 50. Each list endpoint sends a
-- page query and a count query (X-Total-Count). Ids are written `::bigint` because the JDBC
-- driver binds a Java long as int8, and that decides which operator classes (btree_gin) apply.
\pset pager off
\echo '### GET /api/patients (default page: owner, created_at, id)'
explain (analyze, buffers, costs off, timing on)
select p1_0.id,p1_0.address,p1_0.age,p1_0.created_at,p1_0.disease,p1_0.email,p1_0.gender,p1_0.name,p1_0.owner_id,p1_0.phone,p1_0.updated_at,p1_0.version
from patients p1_0 where p1_0.owner_id=1::bigint order by p1_0.created_at,p1_0.id offset 0 rows fetch first 50 rows only;
explain (analyze, buffers, costs off) select count(*) from patients p1_0 where p1_0.owner_id=1::bigint;

\echo '### GET /api/patients?sort=name'
explain (analyze, buffers, costs off)
select p1_0.id,p1_0.name from patients p1_0 where p1_0.owner_id=1::bigint order by lower(p1_0.name),p1_0.id offset 0 rows fetch first 50 rows only;

\echo '### GET /api/patients?q=ann'
explain (analyze, buffers, costs off)
select p1_0.id,p1_0.address,p1_0.age,p1_0.created_at,p1_0.disease,p1_0.email,p1_0.gender,p1_0.name,p1_0.owner_id,p1_0.phone,p1_0.updated_at,p1_0.version
from patients p1_0 where p1_0.owner_id=1::bigint and (lower(p1_0.name) like '%ann%' escape '!') order by p1_0.created_at,p1_0.id offset 0 rows fetch first 50 rows only;
explain (analyze, buffers, costs off)
select count(*) from patients p1_0 where p1_0.owner_id=1::bigint and (lower(p1_0.name) like '%ann%' escape '!');

\echo '### GET /api/patients?q=ann, generic plan (what a JDBC prepared statement gets after 5 executions)'
set plan_cache_mode = force_generic_plan;
prepare patient_search(bigint, text) as
select p1_0.id from patients p1_0 where p1_0.owner_id=$1 and (lower(p1_0.name) like $2 escape '!') order by p1_0.created_at,p1_0.id offset 0 rows fetch first 50 rows only;
explain (analyze, buffers, costs off) execute patient_search(1, '%ann%');
prepare patient_search_count(bigint, text) as
select count(*) from patients p1_0 where p1_0.owner_id=$1 and (lower(p1_0.name) like $2 escape '!');
explain (analyze, buffers, costs off) execute patient_search_count(1, '%ann%');
reset plan_cache_mode;

\echo '### GET /api/patients?scope=all&q=ann (admin, every user''s patients)'
explain (analyze, buffers, costs off)
select p1_0.id from patients p1_0 where (lower(p1_0.name) like '%ann%' escape '!') order by p1_0.created_at,p1_0.id offset 0 rows fetch first 50 rows only;
explain (analyze, buffers, costs off)
select count(*) from patients p1_0 where (lower(p1_0.name) like '%ann%' escape '!');

\echo '### GET /api/patients?scope=all&sort=name (admin)'
explain (analyze, buffers, costs off)
select p1_0.id from patients p1_0 order by lower(p1_0.name),p1_0.id offset 0 rows fetch first 50 rows only;

\echo '### GET /api/patients/{id} (the hot query)'
explain (analyze, buffers, costs off)
select p1_0.id,p1_0.address,p1_0.age,p1_0.created_at,p1_0.disease,p1_0.email,p1_0.gender,p1_0.name,p1_0.owner_id,p1_0.phone,p1_0.updated_at,p1_0.version
from patients p1_0 where p1_0.id=500 and p1_0.owner_id=1::bigint fetch first 1 rows only;

\echo '### GET /api/doctors (default page) and ?q=card (name or specialization)'
explain (analyze, buffers, costs off)
select d1_0.id from doctors d1_0 order by d1_0.created_at,d1_0.id offset 0 rows fetch first 50 rows only;
explain (analyze, buffers, costs off) select count(*) from doctors d1_0;
explain (analyze, buffers, costs off)
select d1_0.id from doctors d1_0 where (lower(d1_0.name) like '%card%' escape '!' or lower(d1_0.specialization) like '%card%' escape '!')
order by d1_0.created_at,d1_0.id offset 0 rows fetch first 50 rows only;
explain (analyze, buffers, costs off)
select count(*) from doctors d1_0 where (lower(d1_0.name) like '%card%' escape '!' or lower(d1_0.specialization) like '%card%' escape '!');

\echo '### GET /api/mappings/patient/{id} (doctors of a patient) and its count'
explain (analyze, buffers, costs off)
select m1_0.id,m1_0.created_at,d1_0.id,d1_0.name,d1_0.specialization,m1_0.patient_id
from mappings m1_0 join doctors d1_0 on d1_0.id=m1_0.doctor_id where m1_0.patient_id=500 order by m1_0.created_at,m1_0.id offset 0 rows fetch first 50 rows only;
explain (analyze, buffers, costs off) select count(*) from mappings m1_0 where m1_0.patient_id=500;

\echo '### GET /api/mappings (the caller''s mappings) and its count'
explain (analyze, buffers, costs off)
select m1_0.id from mappings m1_0 join patients p1_0 on p1_0.id=m1_0.patient_id join doctors d1_0 on d1_0.id=m1_0.doctor_id
where p1_0.owner_id=1::bigint order by m1_0.created_at,m1_0.id offset 0 rows fetch first 50 rows only;
explain (analyze, buffers, costs off)
select count(*) from mappings m1_0 join patients p1_0 on p1_0.id=m1_0.patient_id where p1_0.owner_id=1::bigint;

\echo '### GET /api/users (admin) page'
explain (analyze, buffers, costs off)
select u1_0.id from users u1_0 order by u1_0.created_at,u1_0.id offset 0 rows fetch first 50 rows only;

\echo '### GET /api/audit?recordType=patient&recordId=500 (who saw patient 500: reads, changes and the lists that returned it)'
explain (analyze, buffers, costs off)
select * from audit_events where record_type = 'patient' and (record_id = 500::bigint or record_ids @> array[cast(500::bigint as bigint)])
order by occurred_at desc, id desc offset 0 rows fetch first 50 rows only;
explain (analyze, buffers, costs off)
select count(*) from audit_events where record_type = 'patient' and (record_id = 500::bigint or record_ids @> array[cast(500::bigint as bigint)]);

\echo '### the same, generic plan (a prepared statement after 5 executions)'
set plan_cache_mode = force_generic_plan;
prepare audit_lookup(text, bigint) as
select * from audit_events where record_type = $1 and (record_id = $2 or record_ids @> array[cast($2 as bigint)])
order by occurred_at desc, id desc offset 0 rows fetch first 50 rows only;
explain (analyze, buffers, costs off) execute audit_lookup('patient', 500);
reset plan_cache_mode;

\echo '### GET /api/audit (newest first, no filter: Merge Append over the partitions)'
explain (analyze, buffers, costs off)
select * from audit_events order by occurred_at desc, id desc offset 0 rows fetch first 50 rows only;

\echo '### GET /api/patients/{id}/history (Envers: owner check, count, page newest first)'
explain (analyze, buffers, costs off)
select p1_0.owner_id from patients_history p1_0 where p1_0.id = 500::bigint fetch first 1 rows only;
explain (analyze, buffers, costs off)
select count(p1_0.rev) from patients_history p1_0 where p1_0.id = 500::bigint;
explain (analyze, buffers, costs off)
select p1_0.*, r.* from patients_history p1_0 join history_revisions r on r.id = p1_0.rev
where p1_0.id = 500::bigint order by p1_0.rev desc offset 0 rows fetch first 50 rows only;

\echo '### partitions of audit_events (rows per month)'
select tableoid::regclass as partition, count(*) from audit_events group by 1 order by 1;
