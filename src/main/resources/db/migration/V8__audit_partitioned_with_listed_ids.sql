-- The audit trail becomes a table partitioned by month (occurred_at, UTC), so retention is a
-- matter of dropping whole months (audit/AuditPartitions, HEALTHCARE_AUDIT_RETENTION) and
-- every index stays the size of one month. Two more things change with it:
--  * record_ids: the ids of the records a list or search returned (one event per request; a
--    GIN index answers "which events returned patient X"); null for every other event.
--  * the vocabulary: action 'purge' (an erasure of a record's history), record type 'user'
--    (role changes and disabling of accounts, which migration V4 of the accounts work adds
--    as well). The check constraints keep PostgreSQL's default names, so whichever of V4 and
--    this migration runs last leaves them complete: this one re-creates them by name with the
--    union of both vocabularies, whether or not V4 ran before.
-- No event is lost: the old table is locked for the whole conversion (Flyway runs it in one
-- transaction), every row is copied with its id, and the old table is dropped only after the
-- copy. Every stored value fits the new table (its constraints are wider); an event dated
-- outside every partition cannot occur, since partitions are made for every month from the
-- oldest event on.
lock table audit_events in access exclusive mode;

alter table audit_events rename to audit_events_unpartitioned;
alter table audit_events_unpartitioned rename constraint audit_events_pkey to audit_events_unpartitioned_pkey;
alter index audit_events_occurred_idx rename to audit_events_unpartitioned_occurred_idx;
alter index audit_events_actor_idx rename to audit_events_unpartitioned_actor_idx;
alter index audit_events_record_idx rename to audit_events_unpartitioned_record_idx;
alter table audit_events_unpartitioned drop constraint if exists audit_events_action_check;
alter table audit_events_unpartitioned drop constraint if exists audit_events_record_type_check;
alter table audit_events_unpartitioned drop constraint if exists audit_events_outcome_check;
-- Frees the name audit_events_id_seq (the identity's sequence goes with it).
alter table audit_events_unpartitioned alter column id drop identity if exists;

-- A plain sequence rather than an identity column: ids keep counting from the old table's.
create sequence audit_events_id_seq as bigint;

create table audit_events (
    id             bigint      not null default nextval('audit_events_id_seq'),
    occurred_at    timestamptz not null default now(),
    actor_id       bigint,
    action         varchar(20) not null,
    record_type    varchar(20) not null,
    record_id      bigint,
    record_ids     bigint[],
    outcome        varchar(20) not null,
    request_id     varchar(64),
    client_address varchar(64),
    -- A partitioned table's key must contain the partition column; id alone stays unique
    -- because only the sequence assigns it.
    constraint audit_events_pkey primary key (id, occurred_at)
) partition by range (occurred_at);
alter sequence audit_events_id_seq owned by audit_events.id;

alter table audit_events drop constraint if exists audit_events_action_check;
alter table audit_events add constraint audit_events_action_check
    check (action in ('create', 'read', 'list', 'update', 'delete', 'purge'));
alter table audit_events drop constraint if exists audit_events_record_type_check;
alter table audit_events add constraint audit_events_record_type_check
    check (record_type in ('patient', 'mapping', 'user'));
alter table audit_events drop constraint if exists audit_events_outcome_check;
alter table audit_events add constraint audit_events_outcome_check
    check (outcome in ('success', 'denied', 'not_found'));

-- One partition per month, named audit_events_yYYYYmMM, from the oldest event's month to three
-- months ahead (the service keeps creating them ahead: audit/AuditPartitions).
do $$
declare
    first_month date := date_trunc('month', coalesce((select min(occurred_at) from audit_events_unpartitioned), now()) at time zone 'UTC');
    last_month  date := date_trunc('month', now() at time zone 'UTC') + interval '3 months';
    m           date;
begin
    m := first_month;
    while m <= last_month loop
        execute format('create table if not exists %I partition of audit_events for values from (%L) to (%L)',
                       'audit_events_y' || to_char(m, 'YYYY') || 'm' || to_char(m, 'MM'),
                       m::text || ' 00:00:00+00', (m + interval '1 month')::date::text || ' 00:00:00+00');
        m := (m + interval '1 month')::date;
    end loop;
end
$$;

-- GET /api/audit filters: time range, actor, record; newest first (created on every partition).
create index audit_events_occurred_idx on audit_events (occurred_at desc, id desc);
create index audit_events_actor_idx on audit_events (actor_id, occurred_at desc, id desc);
create index audit_events_record_idx on audit_events (record_type, record_id, occurred_at desc, id desc);
-- "Who saw patient X" through lists and searches: record_ids @> array[X].
create index audit_events_record_ids_idx on audit_events using gin (record_ids);

insert into audit_events (id, occurred_at, actor_id, action, record_type, record_id, outcome, request_id, client_address)
select id, occurred_at, actor_id, action, record_type, record_id, outcome, request_id, client_address
from audit_events_unpartitioned;

select setval('audit_events_id_seq', coalesce((select max(id) from audit_events), 1),
              (select count(*) > 0 from audit_events));

drop table audit_events_unpartitioned;
