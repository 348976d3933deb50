-- Seeds the benchmark data set in one pass of set-based SQL (no HTTP call per row).
-- psql variables: users, patients, doctors, mappings_per_patient, own (patients of user 1).
-- User 1 already exists: run.sh registers it through the API so its bcrypt hash is the
-- service's own; every other user gets that same hash (one known benchmark password).
--
-- Layout (run.sh and lib/bench.lua depend on it):
--   users     1..:users, email bench-user-<id>@bench.example
--   patients  1..:own belong to user 1; patient id > :own belongs to user
--             2 + ((id - :own - 1) % (:users - 1)), i.e. user u owns :own+1+(u-2)+k*(:users-1)
--   doctors   1..:doctors
--   mappings  patient p -> doctors ((p*7 + k*131) % :doctors) + 1, k = 0..mappings_per_patient-1
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
  where i.schemaname = 'public' and i.tablename in ('users', 'patients', 'doctors', 'mappings')
    and not exists (select 1 from pg_constraint c where c.conname = i.indexname);
do $$ declare r record; begin
  for r in select * from bench_idx loop execute format('drop index %I', r.indexname); end loop;
end $$;

insert into users (id, name, email, password_hash, role, created_at, updated_at)
  select g, 'Bench User ' || g, 'bench-user-' || g || '@bench.example',
         (select password_hash from users where id = 1), 'user',
         now() - interval '400 days' + g * interval '1 second', now() - interval '400 days' + g * interval '1 second'
  from generate_series(2, :users) g;

insert into patients (id, owner_id, name, age, gender, address, phone, email, disease, created_at, updated_at)
  select g,
         case when g <= :own then 1 else 2 + ((g - :own - 1) % greatest(:users - 1, 1)) end,
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
         now() - interval '365 days' + g * (interval '365 days' / :patients),
         now() - interval '365 days' + g * (interval '365 days' / :patients)
  from generate_series(1, :patients) g;

insert into doctors (id, created_by, name, specialization, email, phone, contact_info, age, created_at, updated_at)
  select g, 1,
         'Dr. ' || (array['Alvarez','Baker','Chen','Diallo','Evans','Fontaine','Gupta','Horvat','Ibrahim','Jovanovic'])[1 + g % 10] || ' ' || g,
         (array['Cardiology','Dermatology','Endocrinology','General practice','Neurology','Oncology','Pediatrics','Psychiatry'])[1 + g % 8],
         'doctor-' || g || '@clinic.example', '+1 555 9' || lpad((g % 1000)::text, 3, '0'),
         'Room ' || g, 30 + g % 40,
         now() - interval '500 days' + g * interval '1 minute', now() - interval '500 days' + g * interval '1 minute'
  from generate_series(1, :doctors) g;

insert into mappings (id, patient_id, doctor_id, created_at)
  select (p - 1) * :mappings_per_patient + k + 1, p, ((p * 7 + k * 131) % :doctors) + 1,
         now() - interval '300 days' + p * (interval '300 days' / :patients) + k * interval '1 second'
  from generate_series(1, :patients) p, generate_series(0, :mappings_per_patient - 1) k;

do $$ declare r record; begin
  for r in select * from bench_idx loop execute r.indexdef; end loop;
end $$;

-- Identity columns continue after the seeded ids.
select setval(pg_get_serial_sequence('users', 'id'), (select max(id) from users));
select setval(pg_get_serial_sequence('patients', 'id'), (select max(id) from patients));
select setval(pg_get_serial_sequence('doctors', 'id'), (select max(id) from doctors));
select setval(pg_get_serial_sequence('mappings', 'id'), greatest((select max(id) from mappings), 1));

create table if not exists bench_seed (size text primary key, users int, patients int, doctors int, mappings bigint,
                                       seeded_at timestamptz default now());
delete from bench_seed;
insert into bench_seed (size, users, patients, doctors, mappings)
  values (:'size', :users, :patients, :doctors, (select count(*) from mappings));
commit;
set session_replication_role = origin;
vacuum (analyze) users, patients, doctors, mappings;
checkpoint;
