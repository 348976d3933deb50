-- Bulk Data export (contract part 2, "System clients — SMART Backend Services and Bulk Data export").
-- A kick-off only inserts a job; workers on any replica claim it (FOR UPDATE SKIP LOCKED, with a
-- lease that each page renews), write its NDJSON a page at a time into export_chunks, and move its
-- cursor in the same transaction as the chunk, so a worker that dies loses at most the page it had
-- not committed and the next one resumes from the cursor without duplicates. Jobs and their chunks
-- are deleted once expires_at has passed (retention after completion; at once after a cancel).
--
-- Existing data: new tables only, and two indexes on patients for the export's keyset walk.

create table export_jobs (
    -- Random (63 bits from a secure generator): a job's URL tells nothing of other jobs.
    id                 bigint        primary key check (id > 0),
    -- Who kicked it off: a user, or (SMART Backend Services) a registered client. Only they may
    -- poll, download or cancel it.
    user_id            bigint        constraint export_jobs_user_fk references users (id) on delete cascade,
    client_id          varchar(100),
    -- The caller as the access rule knows it (patient/PatientAccess): the user's id, or a system
    -- client's negative row id. The worker reads what this caller may read, page by page.
    caller_id          bigint        not null,
    level              varchar(10)   not null check (level in ('system', 'patient', 'group')),
    organization_id    bigint        constraint export_jobs_organization_fk references organizations (id) on delete cascade,
    -- The request as accepted: resource types in export order, _since, patient, _elements.
    types              varchar(40)[] not null,
    since              timestamptz,
    patients           bigint[],
    elements           varchar(100)[],
    request_url        varchar(4096) not null,
    -- Parameters ignored under Prefer: handling=lenient, each said in an OperationOutcome of error[].
    ignored            varchar(500)[],
    status             varchar(10)   not null default 'pending'
        check (status in ('pending', 'running', 'complete', 'cancelled', 'failed')),
    transaction_time   timestamptz   not null,
    created_at         timestamptz   not null,
    -- The walk: phase 0 = patients (Patient, Condition), 1 = practitioners, 2 = done; cursor = the
    -- last id written in that phase.
    phase              int           not null default 0,
    cursor_id          bigint        not null default 0,
    resources          bigint        not null default 0,
    lease_owner        varchar(100),
    lease_expires_at   timestamptz,
    attempts           int           not null default 0,
    completed_at       timestamptz,
    expires_at         timestamptz   not null,
    check ((user_id is null) <> (client_id is null)),
    check (level <> 'group' or organization_id is not null)
);
-- What a worker claims: runnable jobs, oldest first.
create index export_jobs_runnable_idx on export_jobs (created_at) where status in ('pending', 'running');
-- What the clean-up deletes.
create index export_jobs_expires_idx on export_jobs (expires_at);
create index export_jobs_user_idx on export_jobs (user_id);

-- The NDJSON of a job, one row per page and resource type; a file is a part (numbered across the
-- job's types; one type per part), its lines its chunks' in seq order.
create table export_chunks (
    job_id      bigint       not null constraint export_chunks_job_fk references export_jobs (id) on delete cascade,
    seq         int          not null,
    type        varchar(40)  not null,
    part        int          not null,
    lines       int          not null,
    data        text         not null,
    -- The patients whose data this chunk holds: the export's audit event lists them all.
    patient_ids bigint[]     not null,
    constraint export_chunks_pk primary key (job_id, seq)
);
create index export_chunks_file_idx on export_chunks (job_id, part, seq);

-- The export walks what the caller may read in id order, space by space (PatientAccess's
-- per-space queries with "p.id > :after order by p.id limit :n"): one index range per space.
create index patients_organization_id_idx on patients (organization_id, id) where organization_id is not null;
create index patients_owner_id_idx on patients (owner_id, id) where organization_id is null;
