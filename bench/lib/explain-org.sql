-- Issue 19: EXPLAIN (ANALYZE, BUFFERS) of the organization queries next to their personal
-- counterparts, with the benchmark's values (seed.sql): user 1, its organization 1 (1,000
-- patients, user 1 its admin), patient :own + 500 of org 1 vs personal patient 500; in large
-- also a patient of the last organization read by one of its clinicians.
-- psql variable: own (run.sh passes it).
--
-- The SQL is patient/PatientAccess.java's (READ, MINE, ONE_ORGANIZATION, ROLE) and
-- audit/AuditEvent.java's (Filter.inOrganization: custom plans, `set local plan_cache_mode =
-- force_custom_plan`), as merged to main in 71e6993 / 6cf9168 (2026-12-06); the bind values are
-- written as literals (::bigint, as the JDBC driver binds a Java long).
-- pg_stat_statements in the same results file holds what the service actually sent.
\pset pager off
\set org_patient (:own + 500)
select m.organization_id as spread_org, m.user_id as spread_user,
       (select min(id) from patients where organization_id = m.organization_id) as spread_patient
from memberships m where m.organization_id = (select max(id) from organizations) and m.role = 'clinician'
order by m.user_id limit 1 \gset

\echo '### read: GET /api/patients/{id}, an organization patient as a member (org 1, user 1, its admin) — PatientAccess.READ'
explain (analyze, buffers, costs off)
select p.*, case
  when p.organization_id is null then
    case when p.owner_id = 1::bigint then 'WRITE' when false then 'PLATFORM' else 'NONE' end
  else coalesce(
    (select case
              when m.role = 'admin' or not p.restricted or p.owner_id = 1::bigint
                then case when m.role = 'reader' then 'READ' else 'WRITE' end
              when g.reason is not null then 'BREAK_GLASS'
              else 'RESTRICTED' end
       from memberships m where m.organization_id = p.organization_id and m.user_id = 1::bigint),
    case when not false then 'NONE'
         when not p.restricted then 'PLATFORM'
         when g.reason is not null then 'BREAK_GLASS'
         else 'PLATFORM_RESTRICTED' end)
end as access, g.reason as grant_reason from patients p
left join lateral (select gr.reason from break_glass_grants gr
                    where p.restricted and gr.patient_id = p.id and gr.user_id = 1::bigint
                      and gr.expires_at > now()
                    order by gr.expires_at desc limit 1) g on true
where p.id = :org_patient::bigint;

\echo '### the same read of a personal patient (500, as its owner)'
explain (analyze, buffers, costs off)
select p.*, case
  when p.organization_id is null then
    case when p.owner_id = 1::bigint then 'WRITE' when false then 'PLATFORM' else 'NONE' end
  else coalesce(
    (select case
              when m.role = 'admin' or not p.restricted or p.owner_id = 1::bigint
                then case when m.role = 'reader' then 'READ' else 'WRITE' end
              when g.reason is not null then 'BREAK_GLASS'
              else 'RESTRICTED' end
       from memberships m where m.organization_id = p.organization_id and m.user_id = 1::bigint),
    case when not false then 'NONE'
         when not p.restricted then 'PLATFORM'
         when g.reason is not null then 'BREAK_GLASS'
         else 'PLATFORM_RESTRICTED' end)
end as access, g.reason as grant_reason from patients p
left join lateral (select gr.reason from break_glass_grants gr
                    where p.restricted and gr.patient_id = p.id and gr.user_id = 1::bigint
                      and gr.expires_at > now()
                    order by gr.expires_at desc limit 1) g on true
where p.id = 500::bigint;

\echo '### the same read by a clinician of another organization (large: the spread part of org-get)'
explain (analyze, buffers, costs off)
select p.*, case
  when p.organization_id is null then
    case when p.owner_id = :spread_user::bigint then 'WRITE' when false then 'PLATFORM' else 'NONE' end
  else coalesce(
    (select case
              when m.role = 'admin' or not p.restricted or p.owner_id = :spread_user::bigint
                then case when m.role = 'reader' then 'READ' else 'WRITE' end
              when g.reason is not null then 'BREAK_GLASS'
              else 'RESTRICTED' end
       from memberships m where m.organization_id = p.organization_id and m.user_id = :spread_user::bigint),
    case when not false then 'NONE'
         when not p.restricted then 'PLATFORM'
         when g.reason is not null then 'BREAK_GLASS'
         else 'PLATFORM_RESTRICTED' end)
end as access, g.reason as grant_reason from patients p
left join lateral (select gr.reason from break_glass_grants gr
                    where p.restricted and gr.patient_id = p.id and gr.user_id = :spread_user::bigint
                      and gr.expires_at > now()
                    order by gr.expires_at desc limit 1) g on true
where p.id = :spread_patient::bigint;

\echo '### list: GET /api/patients?organizationId=1 — role probe (PatientAccess.ROLE), page, count (ONE_ORGANIZATION)'
explain (analyze, buffers, costs off)
select role from memberships where organization_id = 1::bigint and user_id = 1::bigint;

explain (analyze, buffers, costs off)
select * from (select p.* from patients p join memberships m
 on m.organization_id = p.organization_id and m.user_id = 1::bigint where p.organization_id = 1::bigint and (not p.restricted or p.owner_id = 1::bigint or m.role = 'admin')) p order by p.created_at, p.id offset 0 rows fetch first 50 rows only;

explain (analyze, buffers, costs off)
select count(*) from (select p.* from patients p join memberships m
 on m.organization_id = p.organization_id and m.user_id = 1::bigint where p.organization_id = 1::bigint and (not p.restricted or p.owner_id = 1::bigint or m.role = 'admin')) p;

\echo '### list: GET /api/patients as user 1 — everything it may read: personal + organization 1 (MINE), page and count'
explain (analyze, buffers, costs off)
select * from (select p.* from patients p where p.organization_id is null and p.owner_id = 1::bigint
 union all select p.* from patients p join memberships m
 on m.organization_id = p.organization_id and m.user_id = 1::bigint where (not p.restricted or p.owner_id = 1::bigint or m.role = 'admin')) p order by p.created_at, p.id offset 0 rows fetch first 50 rows only;

explain (analyze, buffers, costs off)
select count(*) from (select p.* from patients p where p.organization_id is null and p.owner_id = 1::bigint
 union all select p.* from patients p join memberships m
 on m.organization_id = p.organization_id and m.user_id = 1::bigint where (not p.restricted or p.owner_id = 1::bigint or m.role = 'admin')) p;

\echo '### the two lists as generic plans (a JDBC prepared statement after 5 executions)'
set plan_cache_mode = force_generic_plan;
prepare org_list(bigint, bigint) as
select * from (select p.* from patients p join memberships m
 on m.organization_id = p.organization_id and m.user_id = $1 where p.organization_id = $2 and (not p.restricted or p.owner_id = $1 or m.role = 'admin')) p order by p.created_at, p.id offset 0 rows fetch first 50 rows only;
explain (analyze, buffers, costs off)
execute org_list(1, 1);
prepare org_count(bigint, bigint) as
select count(*) from (select p.* from patients p join memberships m
 on m.organization_id = p.organization_id and m.user_id = $1 where p.organization_id = $2 and (not p.restricted or p.owner_id = $1 or m.role = 'admin')) p;
explain (analyze, buffers, costs off)
execute org_count(1, 1);
prepare mine_list(bigint) as
select * from (select p.* from patients p where p.organization_id is null and p.owner_id = $1
 union all select p.* from patients p join memberships m
 on m.organization_id = p.organization_id and m.user_id = $1 where (not p.restricted or p.owner_id = $1 or m.role = 'admin')) p order by p.created_at, p.id offset 0 rows fetch first 50 rows only;
explain (analyze, buffers, costs off)
execute mine_list(1);
prepare mine_count(bigint) as
select count(*) from (select p.* from patients p where p.organization_id is null and p.owner_id = $1
 union all select p.* from patients p join memberships m
 on m.organization_id = p.organization_id and m.user_id = $1 where (not p.restricted or p.owner_id = $1 or m.role = 'admin')) p;
explain (analyze, buffers, costs off)
execute mine_count(1);
reset plan_cache_mode;

\echo '### audit: GET /api/organizations/1/audit?recordType=patient&recordId={org patient} (AuditEvent.Filter.inOrganization; custom plan), page and count'
explain (analyze, buffers, costs off)
select * from audit_events where organization_id = 1::bigint and record_type = 'patient' and (record_id = :org_patient::bigint or record_ids @> array[cast(:org_patient::bigint as bigint)]) order by occurred_at desc, id desc offset 0 rows fetch first 50 rows only;

explain (analyze, buffers, costs off)
select count(*) from audit_events where organization_id = 1::bigint and record_type = 'patient' and (record_id = :org_patient::bigint or record_ids @> array[cast(:org_patient::bigint as bigint)]);

\echo '### its personal counterpart: GET /api/audit?recordType=patient&recordId=500 (platform admin; custom plan), page and count'
explain (analyze, buffers, costs off)
select * from audit_events where record_type = 'patient' and (record_id = 500::bigint or record_ids @> array[cast(500::bigint as bigint)]) order by occurred_at desc, id desc offset 0 rows fetch first 50 rows only;

explain (analyze, buffers, costs off)
select count(*) from audit_events where record_type = 'patient' and (record_id = 500::bigint or record_ids @> array[cast(500::bigint as bigint)]);

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
