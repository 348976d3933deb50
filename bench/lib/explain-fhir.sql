-- Issue 20: EXPLAIN (ANALYZE, BUFFERS) of the FHIR Patient searches by identifier and by birth date,
-- written as PatientAccess builds them for FhirQueries.patients (scope Mine: user's personal
-- records, then each membership through a lateral join, first :topN rows each; then the count),
-- once with the values inlined (a custom plan) and once as the generic plan a JDBC prepared
-- statement may get after 5 executions. Two callers: user 1 (1,000 personal + organization 1's
-- 1,000, in every size) and, when there is one, a member of other organizations (in large, a user
-- in ~26 organizations of ~100 patients: bench.lua's other tokens).
-- psql variables: own (user 1's personal patients).
\pset pager off
\set ON_ERROR_STOP on
select count(*) as patients, count(birth_date) as with_birth_date,
       (select count(*) from patient_identifiers) as identifiers from patients \gset
\echo 'patients' :patients ', with birth date' :with_birth_date ', identifier rows' :identifiers
select coalesce((select user_id from memberships where organization_id = 2 order by user_id limit 1), 1) as member \gset
select count(*) as member_orgs from memberships where user_id = :member \gset
\echo 'second caller: user' :member ', member of' :member_orgs 'organizations'

\echo '### Partial / relevant indexes on patients and patient_identifiers'
select indexname, indexdef from pg_indexes where tablename in ('patients', 'patient_identifiers') order by 1;

-- The identifier search (FhirQueries.identifierClause, a system given).
prepare fhir_identifier_page(bigint, varchar, varchar, bigint, int, int) as
select * from ((select p.* from patients p where p.organization_id is null and p.owner_id = $1
                  and ((p.id in (select i.patient_id from patient_identifiers i where i.system = $2 and i.value = $3)))
                order by p.created_at, p.id limit $4)
 union all (select p.* from memberships m cross join lateral (select p.* from patients p
             where p.organization_id = m.organization_id and (not p.restricted or p.owner_id = $1 or m.role = 'admin')
               and ((p.id in (select i.patient_id from patient_identifiers i where i.system = $2 and i.value = $3)))
             order by p.created_at, p.id limit $4) p where m.user_id = $1)) p
order by p.created_at, p.id limit $5 offset $6;
-- The count as PatientAccess.mineCount sends it: the criteria inside each space.
prepare fhir_identifier_count(bigint, varchar, varchar) as
select count(*) from (select p.id from patients p where p.organization_id is null and p.owner_id = $1
   and (((p.id in (select i.patient_id from patient_identifiers i where i.system = $2 and i.value = $3))))
 union all select p.id from patients p join memberships m on m.organization_id = p.organization_id and m.user_id = $1
 where (not p.restricted or p.owner_id = $1 or m.role = 'admin')
   and (((p.id in (select i.patient_id from patient_identifiers i where i.system = $2 and i.value = $3))))) p;
-- The count as it was sent before (the criteria on the union; the sub-select is not pushed into it).
prepare fhir_identifier_count_before(bigint, varchar, varchar) as
select count(*) from (select p.* from patients p where p.organization_id is null and p.owner_id = $1
 union all select p.* from patients p join memberships m on m.organization_id = p.organization_id and m.user_id = $1
 where (not p.restricted or p.owner_id = $1 or m.role = 'admin')) p
where ((p.id in (select i.patient_id from patient_identifiers i where i.system = $2 and i.value = $3)));

-- The birth date search (FhirQueries: eq a day is [day, day + 1), eq a month [month, next month)).
prepare fhir_birthdate_page(bigint, date, date, bigint, int, int) as
select * from ((select p.* from patients p where p.organization_id is null and p.owner_id = $1
                  and p.birth_date >= $2 and p.birth_date < $3
                order by p.created_at, p.id limit $4)
 union all (select p.* from memberships m cross join lateral (select p.* from patients p
             where p.organization_id = m.organization_id and (not p.restricted or p.owner_id = $1 or m.role = 'admin')
               and p.birth_date >= $2 and p.birth_date < $3
             order by p.created_at, p.id limit $4) p where m.user_id = $1)) p
order by p.created_at, p.id limit $5 offset $6;
prepare fhir_birthdate_count(bigint, date, date) as
select count(*) from (select p.id from patients p where p.organization_id is null and p.owner_id = $1
   and (p.birth_date >= $2 and p.birth_date < $3)
 union all select p.id from patients p join memberships m on m.organization_id = p.organization_id and m.user_id = $1
 where (not p.restricted or p.owner_id = $1 or m.role = 'admin') and (p.birth_date >= $2 and p.birth_date < $3)) p;

\set mode auto
\ir explain-fhir-run.sql
set plan_cache_mode = force_generic_plan;
\set mode generic
\ir explain-fhir-run.sql
reset plan_cache_mode;
