-- Issue 19: EXPLAIN (ANALYZE, BUFFERS) of the organization queries next to their personal
-- counterparts, with the benchmark's values (seed.sql): user 1, its organization 1 (1,000
-- patients, user 1 its admin), patient :own + 500 of org 1 vs personal patient 500; in large
-- also a patient of another organization read by one of its members (a clinician).
-- psql variable: own (run.sh passes it).
--
-- The SQL: BEST GUESS, written before patient/PatientAccess.java existed on main; the access rule
-- is "one SQL expression" (V13's header): a personal patient by its owner, an organization's by
-- a member, a restricted one only by its creator, the org's admins or a live break-glass grant.
-- Compare with pg_stat_statements in the same results file, which holds what the service sent;
-- once PatientAccess lands this file is rewritten to match it.
\pset pager off
\set org_patient (:own + 500)

\echo '### organization read: GET /api/patients/{id} as a member (org 1, user 1)'
explain (analyze, buffers, costs off)
select p1_0.id,p1_0.address,p1_0.age,p1_0.created_at,p1_0.disease,p1_0.email,p1_0.gender,p1_0.name,p1_0.organization_id,
       p1_0.owner_id,p1_0.phone,p1_0.restricted,p1_0.updated_at,p1_0.version
from patients p1_0
where p1_0.id = :org_patient::bigint
  and ((p1_0.organization_id is null and p1_0.owner_id = 1::bigint)
       or exists (select 1 from memberships m where m.organization_id = p1_0.organization_id and m.user_id = 1::bigint
                  and (not p1_0.restricted or m.role = 'admin' or p1_0.owner_id = 1::bigint
                       or exists (select 1 from break_glass_grants g where g.patient_id = p1_0.id and g.user_id = 1::bigint
                                  and g.expires_at > now()))))
fetch first 1 rows only;

\echo '### the same rule on a personal patient (500, its owner)'
explain (analyze, buffers, costs off)
select p1_0.id,p1_0.name,p1_0.organization_id,p1_0.owner_id
from patients p1_0
where p1_0.id = 500::bigint
  and ((p1_0.organization_id is null and p1_0.owner_id = 1::bigint)
       or exists (select 1 from memberships m where m.organization_id = p1_0.organization_id and m.user_id = 1::bigint
                  and (not p1_0.restricted or m.role = 'admin' or p1_0.owner_id = 1::bigint
                       or exists (select 1 from break_glass_grants g where g.patient_id = p1_0.id and g.user_id = 1::bigint
                                  and g.expires_at > now()))))
fetch first 1 rows only;

\echo '### organization read by a clinician of another organization (large: the spread reads of org-get)'
select m.organization_id as spread_org, m.user_id as spread_user,
       (select min(id) from patients where organization_id = m.organization_id) as spread_patient
from memberships m where m.organization_id = (select max(id) from organizations) and m.role = 'clinician'
order by m.user_id limit 1 \gset
explain (analyze, buffers, costs off)
select p1_0.id,p1_0.name,p1_0.organization_id,p1_0.owner_id
from patients p1_0
where p1_0.id = :spread_patient::bigint
  and ((p1_0.organization_id is null and p1_0.owner_id = :spread_user::bigint)
       or exists (select 1 from memberships m where m.organization_id = p1_0.organization_id and m.user_id = :spread_user::bigint
                  and (not p1_0.restricted or m.role = 'admin' or p1_0.owner_id = :spread_user::bigint
                       or exists (select 1 from break_glass_grants g where g.patient_id = p1_0.id and g.user_id = :spread_user::bigint
                                  and g.expires_at > now()))))
fetch first 1 rows only;

\echo '### organization list: GET /api/patients?organizationId=1 (membership probe, default page, count)'
explain (analyze, buffers, costs off)
select m.role from memberships m where m.organization_id = 1::bigint and m.user_id = 1::bigint;
explain (analyze, buffers, costs off)
select p1_0.id,p1_0.address,p1_0.age,p1_0.created_at,p1_0.disease,p1_0.email,p1_0.gender,p1_0.name,p1_0.organization_id,
       p1_0.owner_id,p1_0.phone,p1_0.restricted,p1_0.updated_at,p1_0.version
from patients p1_0
where p1_0.organization_id = 1::bigint
  and (not p1_0.restricted or p1_0.owner_id = 1::bigint
       or exists (select 1 from memberships m where m.organization_id = p1_0.organization_id and m.user_id = 1::bigint and m.role = 'admin')
       or exists (select 1 from break_glass_grants g where g.patient_id = p1_0.id and g.user_id = 1::bigint and g.expires_at > now()))
order by p1_0.created_at,p1_0.id offset 0 rows fetch first 50 rows only;
explain (analyze, buffers, costs off)
select count(*) from patients p1_0
where p1_0.organization_id = 1::bigint
  and (not p1_0.restricted or p1_0.owner_id = 1::bigint
       or exists (select 1 from memberships m where m.organization_id = p1_0.organization_id and m.user_id = 1::bigint and m.role = 'admin')
       or exists (select 1 from break_glass_grants g where g.patient_id = p1_0.id and g.user_id = 1::bigint and g.expires_at > now()));

\echo '### the same list, generic plan (a JDBC prepared statement after 5 executions)'
set plan_cache_mode = force_generic_plan;
prepare org_list(bigint, bigint) as
select p1_0.id from patients p1_0
where p1_0.organization_id = $1
  and (not p1_0.restricted or p1_0.owner_id = $2
       or exists (select 1 from memberships m where m.organization_id = p1_0.organization_id and m.user_id = $2 and m.role = 'admin')
       or exists (select 1 from break_glass_grants g where g.patient_id = p1_0.id and g.user_id = $2 and g.expires_at > now()))
order by p1_0.created_at,p1_0.id offset 0 rows fetch first 50 rows only;
explain (analyze, buffers, costs off) execute org_list(1, 1);
reset plan_cache_mode;

\echo '### everything user 1 may read: GET /api/patients (personal + each organization it belongs to), page and count'
explain (analyze, buffers, costs off)
select p1_0.id,p1_0.name,p1_0.created_at from patients p1_0
where (p1_0.organization_id is null and p1_0.owner_id = 1::bigint)
   or p1_0.organization_id in (select m.organization_id from memberships m where m.user_id = 1::bigint)
order by p1_0.created_at,p1_0.id offset 0 rows fetch first 50 rows only;
explain (analyze, buffers, costs off)
select count(*) from patients p1_0
where (p1_0.organization_id is null and p1_0.owner_id = 1::bigint)
   or p1_0.organization_id in (select m.organization_id from memberships m where m.user_id = 1::bigint);

\echo '### organization audit: GET /api/organizations/1/audit?recordType=patient&recordId={org patient} (page, count)'
explain (analyze, buffers, costs off)
select * from audit_events
where organization_id = 1::bigint and record_type = 'patient'
  and (record_id = :org_patient::bigint or record_ids @> array[cast(:org_patient::bigint as bigint)])
order by occurred_at desc, id desc offset 0 rows fetch first 50 rows only;
explain (analyze, buffers, costs off)
select count(*) from audit_events
where organization_id = 1::bigint and record_type = 'patient'
  and (record_id = :org_patient::bigint or record_ids @> array[cast(:org_patient::bigint as bigint)]);

\echo '### the same, generic plan (a prepared statement after 5 executions)'
set plan_cache_mode = force_generic_plan;
prepare org_audit(bigint, text, bigint) as
select * from audit_events
where organization_id = $1 and record_type = $2 and (record_id = $3 or record_ids @> array[cast($3 as bigint)])
order by occurred_at desc, id desc offset 0 rows fetch first 50 rows only;
explain (analyze, buffers, costs off) execute org_audit(1, 'patient', :org_patient);
prepare org_audit_count(bigint, text, bigint) as
select count(*) from audit_events
where organization_id = $1 and record_type = $2 and (record_id = $3 or record_ids @> array[cast($3 as bigint)]);
explain (analyze, buffers, costs off) execute org_audit_count(1, 'patient', :org_patient);
reset plan_cache_mode;

\echo '### shape of the data (issue 19)'
select (select count(*) from organizations) as organizations, (select count(*) from memberships) as memberships,
       (select count(*) from patients where organization_id is null) as personal_patients,
       (select count(*) from patients where organization_id = 1) as org1_patients,
       (select count(*) from audit_events where organization_id = 1) as org1_audit_events,
       (select count(*) from audit_events where organization_id is null and record_type = 'patient') as personal_audit_events;
select role, count(*) from memberships group by role order by role;
select min(n) as min_members, round(avg(n), 1) as avg_members, max(n) as max_members
from (select count(*) as n from memberships group by organization_id) s;
select min(n) as min_patients, round(avg(n), 1) as avg_patients, max(n) as max_patients
from (select count(*) as n from patients where organization_id is not null group by organization_id) s;
