-- Seeds the benchmark data set in one pass of set-based SQL (no HTTP call per row).
-- psql variables: users, patients, doctors, mappings_per_patient, own (patients of user 1),
-- orgs (organizations), audit_events (seeded audit events), audit_months (the months they span,
-- ending now).
-- User 1 already exists: run.sh registers it through the API so its bcrypt hash is the
-- service's own; every other user gets that same hash (one known benchmark password).
--
-- Layout (run.sh and lib/bench.lua depend on it; issue 19: personal and organization patients
-- side by side in one data set):
--   users     1..:users, email bench-user-<id>@bench.example
--   orgs      1..:orgs, "Bench Clinic <o>"
--   members   org o has n(o) = least(2 + (o*31337) % 49, :users) members (2..50 in large),
--             member j = 0..n(o)-1 being user 2 + ((o*7919 + j*104729) % (:users - 1)) (distinct:
--             104729 is prime to 9,999), except that member 0 of org 1 is user 1. Roles: member 0
--             admin, member 2 also admin in orgs of 20 or more, every j % 5 = 4 a reader, the
--             rest clinicians. User 1 belongs to org 1 only, as its admin.
--   patients  1..:own          user 1's personal patients (organization_id null), as before
--             :own+1..2*:own   org 1 (user 1's organization): the same size as the personal list
--             > 2*:own         org 2 + ((id - 2*:own - 1) % (:orgs - 1)), ~100 each in large:
--                              org o holds 2*:own+1+(o-2) + k*(:orgs-1)
--             An organization's patients were created (owner_id) by its member 1 (a clinician, or
--             an admin in orgs of 10 or more), never by user 1, so reads by user 1 go through the
--             membership, not the creator. None is restricted.
--   record    (issue 20, V15) every patient: birth_date 1930-01-01 + ((id * 7919) % 33237) days
--             (1930-01-01 .. 2020-12-31, spread evenly) and one identifier
--             [{"system": "http://bench.example/mrn", "value": "MRN-<id>"}], unique in every
--             space as V15's unique indexes require; V15's insert trigger fills
--             patient_identifiers (enabled ALWAYS for the load, since replica mode skips it).
--             A database seeded before V15 gets the same values from lib/seed-record.sql.
--   doctors   1..:doctors
--   mappings  patient p -> doctors ((p*7 + k*131) % :doctors) + 1, k = 0..mappings_per_patient-1,
--             with the organization of p
--   history   every patient has 3 revisions (create, update, update: version 2 now), revisions
--             3(p-1)+1 .. 3(p-1)+3, as the service's Envers tables hold them, with p's organization
--   audit     :audit_events events evenly over the last :audit_months months (a partition each):
--             per 100 events 93 reads of patient ((g*7919) % :patients) + 1, 5 updates, and
--             2 list events each carrying 50 patient ids of one space (user 1's personal
--             patients, or one organization's), so, as in a clinic, the per-patient density is
--             the same in every size: events / patients = 20 in small and large. Every event
--             carries the organization of its patient (null for personal ones).
\set ON_ERROR_STOP on
\timing on
set synchronous_commit = off;
set maintenance_work_mem = '512MB';
set max_parallel_maintenance_workers = 2;
-- The data is consistent by construction; skip the per-row FK triggers (superuser only).
set session_replication_role = replica;

begin;
-- Secondary indexes are cheaper to build once after the load than to maintain per row.
-- Their exact definitions are kept and replayed, so the schema ends up as Flyway made it.
create temp table bench_idx on commit drop as
  select i.indexname, i.indexdef from pg_indexes i
  where i.schemaname = 'public' and i.tablename in ('users', 'patients', 'patient_identifiers', 'doctors', 'mappings', 'organizations', 'memberships')
    and not exists (select 1 from pg_constraint c where c.conname = i.indexname)
  union all
  -- The audit trail's partitioned indexes (dropping the parent's drops every partition's).
  select i.indexname, i.indexdef from pg_indexes i
  where i.schemaname = 'public' and i.tablename in ('audit_events', 'patients_history')
    and not exists (select 1 from pg_constraint c where c.conname = i.indexname);
do $$ declare r record; begin
  for r in select * from bench_idx loop execute format('drop index %I', r.indexname); end loop;
end $$;

-- The layout above as inlinable SQL functions (session-local; the constants are passed in).
-- The "space" of a patient is user 1's personal list or one organization: its first id, step and size.
create function pg_temp.org_of(p bigint, own bigint, orgs bigint) returns bigint language sql immutable as
  $f$ select case when p <= own then null when p <= 2 * own then 1
                  else 2 + (p - 2 * own - 1) % greatest(orgs - 1, 1) end $f$;
create function pg_temp.space_first(p bigint, own bigint, orgs bigint) returns bigint language sql immutable as
  $f$ select case when p <= own then 1 when p <= 2 * own then own + 1
                  else 2 * own + 1 + (p - 2 * own - 1) % greatest(orgs - 1, 1) end $f$;
create function pg_temp.space_step(p bigint, own bigint, orgs bigint) returns bigint language sql immutable as
  $f$ select case when p <= 2 * own then 1 else greatest(orgs - 1, 1) end $f$;
create function pg_temp.space_size(p bigint, own bigint, orgs bigint, patients bigint) returns bigint language sql immutable as
  $f$ select case when p <= 2 * own then own
                  else (patients - pg_temp.space_first(p, own, orgs)) / greatest(orgs - 1, 1) + 1 end $f$;
create function pg_temp.members(o bigint, users bigint) returns bigint language sql immutable as
  $f$ select least(2 + (o * 31337) % 49, users) $f$;
create function pg_temp.member(o bigint, j bigint, users bigint) returns bigint language sql immutable as
  $f$ select case when o = 1 and j = 0 then 1 else 2 + ((o * 7919 + j * 104729) % greatest(users - 1, 1)) end $f$;

insert into users (id, name, email, password_hash, role, created_at, updated_at)
  select g, 'Bench User ' || g, 'bench-user-' || g || '@bench.example',
         (select password_hash from users where id = 1), 'user',
         now() - interval '400 days' + g * interval '1 second', now() - interval '400 days' + g * interval '1 second'
  from generate_series(2, :users) g;

insert into organizations (id, name, created_by, created_at, updated_at, version)
  select o, 'Bench Clinic ' || o, pg_temp.member(o, 0, :users),
         now() - interval '380 days' + o * interval '1 second', now() - interval '380 days' + o * interval '1 second', 0
  from generate_series(1, :orgs) o;
insert into memberships (organization_id, user_id, role, joined_at)
  select o, pg_temp.member(o, j, :users),
         case when j = 0 or (j = 2 and pg_temp.members(o, :users) >= 20) then 'admin'
              when j % 5 = 4 then 'reader' else 'clinician' end,
         now() - interval '370 days' + o * interval '1 second' + j * interval '1 hour'
  from generate_series(1, :orgs) o, generate_series(0, pg_temp.members(o, :users) - 1) j;

-- Issue 20: the identifier trigger must fill patient_identifiers as for the service's writes; in
-- replica mode only ALWAYS triggers fire (the FK triggers stay skipped). Restored after the load.
alter table patients enable always trigger patients_identifiers_insert;
insert into patients (id, owner_id, organization_id, restricted, name, age, gender, address, phone, email, disease,
                      birth_date, identifiers, created_at, updated_at, version)
  select g,
         case when g <= :own then 1 else pg_temp.member(pg_temp.org_of(g, :own, :orgs), 1, :users) end,
         pg_temp.org_of(g, :own, :orgs), false,
         (array['Anna','Ben','Carla','David','Elena','Farid','Grace','Hannah','Ivan','Julia',
                'Kofi','Laura','Mateo','Nadia','Oscar','Priya','Quinn','Rosa','Samuel','Tara'])[1 + g % 20]
           || ' ' ||
         (array['Andersson','Brown','Castillo','Dubois','Eriksen','Fischer','Garcia','Hansen','Ito','Jensen',
                'Kowalski','Lee','Martin','Nguyen','Olsen','Petrov','Rossi','Santos','Thompson','Wilson'])[1 + (g / 20) % 20]
           || ' ' || g,
         g % 91,
         (array['male','female','other','unknown'])[1 + g % 4],
         g || ' Main Street, Springfield',
         '+1 555 ' || lpad((g % 10000)::text, 4, '0'),
         'patient-' || g || '@mail.example',
         (array['Hypertension','Type 2 diabetes','Asthma','Migraine','Osteoarthritis','Influenza'])[1 + g % 6],
         date '1930-01-01' + ((g * 7919) % 33237)::int,
         jsonb_build_array(jsonb_build_object('system', 'http://bench.example/mrn', 'value', 'MRN-' || g)),
         now() - interval '365 days' + g * (interval '365 days' / :patients),
         now() - interval '365 days' + g * (interval '365 days' / :patients) + interval '2 days',
         2
  from generate_series(1, :patients) g;
alter table patients enable trigger patients_identifiers_insert;

-- History: create, then two updates (the last one is the row as it is now).
insert into history_revisions (id, changed_at, actor_id)
  select 3 * (p.id - 1) + k + 1, p.created_at + k * interval '1 day', p.owner_id
  from patients p, generate_series(0, 2) k;
insert into patients_history (id, rev, revtype, owner_id, organization_id, restricted, name, age, gender, address,
                              phone, email, disease, birth_date, identifiers, created_at, updated_at, version)
  select p.id, 3 * (p.id - 1) + k + 1, case when k = 0 then 0 else 1 end, p.owner_id, p.organization_id, p.restricted,
         p.name, p.age, p.gender,
         p.address, case when k = 2 then p.phone else '+1 555 000' || k end, p.email, p.disease,
         p.birth_date, p.identifiers, p.created_at, p.created_at + k * interval '1 day', k
  from patients p, generate_series(0, 2) k;

-- Audit: one partition per month over the span (the service only makes the months ahead).
select set_config('bench.audit_months', :'audit_months', false);
do $$
declare m date := date_trunc('month', now() at time zone 'UTC')
                  - (current_setting('bench.audit_months') || ' months')::interval;
begin
  while m <= date_trunc('month', now() at time zone 'UTC') loop
    execute format('create table if not exists %I partition of audit_events for values from (%L) to (%L)',
                   'audit_events_y' || to_char(m, 'YYYY') || 'm' || to_char(m, 'MM'),
                   m::text || ' 00:00:00+00', (m + interval '1 month')::date::text || ' 00:00:00+00');
    m := (m + interval '1 month')::date;
  end loop;
end $$;
insert into audit_events (occurred_at, actor_id, action, record_type, record_id, record_ids, outcome, request_id,
                          client_address, organization_id)
  select now() - (:audit_months || ' months')::interval + g * ((:audit_months || ' months')::interval / :audit_events),
         1 + g % :users,
         case when g % 50 = 0 then 'list' else (case when g % 20 = 1 then 'update' else 'read' end) end,
         'patient',
         case when g % 50 = 0 then null else a end,
         -- a list returns 50 patients of one space (user 1's personal ones, or one organization's),
         -- starting at the anchor patient a
         case when g % 50 = 0 then
           (select array_agg(pg_temp.space_first(a, :own, :orgs)
                             + ((a - pg_temp.space_first(a, :own, :orgs)) / pg_temp.space_step(a, :own, :orgs) + j)
                               % pg_temp.space_size(a, :own, :orgs, :patients) * pg_temp.space_step(a, :own, :orgs))
            from generate_series(0, least(49, pg_temp.space_size(a, :own, :orgs, :patients) - 1)) j) end,
         'success', 'bench-' || g, '127.0.0.1',
         pg_temp.org_of(a, :own, :orgs)
  from generate_series(1, :audit_events) g, lateral (select ((g::bigint * 7919) % :patients) + 1 as a) x;

insert into doctors (id, created_by, name, specialization, email, phone, contact_info, age, created_at, updated_at)
  select g, 1,
         'Dr. ' || (array['Alvarez','Baker','Chen','Diallo','Evans','Fontaine','Gupta','Horvat','Ibrahim','Jovanovic'])[1 + g % 10] || ' ' || g,
         (array['Cardiology','Dermatology','Endocrinology','General practice','Neurology','Oncology','Pediatrics','Psychiatry'])[1 + g % 8],
         'doctor-' || g || '@clinic.example', '+1 555 9' || lpad((g % 1000)::text, 3, '0'),
         'Room ' || g, 30 + g % 40,
         now() - interval '500 days' + g * interval '1 minute', now() - interval '500 days' + g * interval '1 minute'
  from generate_series(1, :doctors) g;

insert into mappings (id, patient_id, doctor_id, organization_id, created_at)
  select (p - 1) * :mappings_per_patient + k + 1, p, ((p * 7 + k * 131) % :doctors) + 1, pg_temp.org_of(p, :own, :orgs),
         now() - interval '300 days' + p * (interval '300 days' / :patients) + k * interval '1 second'
  from generate_series(1, :patients) p, generate_series(0, :mappings_per_patient - 1) k;

do $$ declare r record; begin
  -- pg_indexes shows a partitioned table's index as "ON ONLY" (the parent alone, left invalid);
  -- without ONLY it is built on every partition, as Flyway's CREATE INDEX did.
  for r in select * from bench_idx loop execute replace(r.indexdef, ' ON ONLY ', ' ON '); end loop;
end $$;

-- Identity columns continue after the seeded ids.
select setval(pg_get_serial_sequence('users', 'id'), (select max(id) from users));
select setval(pg_get_serial_sequence('patients', 'id'), (select max(id) from patients));
select setval(pg_get_serial_sequence('doctors', 'id'), (select max(id) from doctors));
select setval(pg_get_serial_sequence('organizations', 'id'), (select max(id) from organizations));
select setval(pg_get_serial_sequence('mappings', 'id'), greatest((select max(id) from mappings), 1));
select setval(pg_get_serial_sequence('history_revisions', 'id'), (select max(id) from history_revisions));
select setval('audit_events_id_seq', (select max(id) from audit_events));
-- Issue 22 (V14): seeded events carry no MAC, as events from before V14 do. Mark every seeded id as
-- legacy, so the sealer chains them by their plain SHA-256 and GET /api/audit/verify accepts them;
-- without this the verify reports the first seeded event as forged. (A reused database seeded
-- before V14 gets the same from V14 itself: legacy_through = the highest id when it ran.)
update audit_seal_state set legacy_through = greatest(legacy_through, (select coalesce(max(id), 0) from audit_events));

create table if not exists bench_seed (size text primary key, users int, patients int, doctors int, mappings bigint,
                                       audit_events bigint, audit_max_id bigint, history_max_rev bigint,
                                       seeded_at timestamptz default now());
alter table bench_seed add column if not exists organizations int;
alter table bench_seed add column if not exists memberships bigint;
delete from bench_seed;
insert into bench_seed (size, users, patients, doctors, mappings, audit_events, audit_max_id, history_max_rev,
                        organizations, memberships)
  values (:'size', :users, :patients, :doctors, (select count(*) from mappings), (select count(*) from audit_events),
          (select max(id) from audit_events), (select max(id) from history_revisions),
          :orgs, (select count(*) from memberships));
commit;
set session_replication_role = origin;
vacuum (analyze) users, organizations, memberships, patients, patient_identifiers, doctors, mappings, history_revisions, patients_history, audit_events;
checkpoint;
