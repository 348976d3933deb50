-- Issue 22, "Audit you can prove" (docs/history-and-audit.md, "Tamper evidence").
--  * via: the channel of an access (rest, fhir, export); null on events from before this migration.
--  * mac: HMAC-SHA256 over the event's canonical encoding (with its id), computed by the service
--    with HEALTHCARE_AUDIT_KEY before the INSERT; null on events from before this migration
--    (audit_seal_state.legacy_through says which: they are chained by a plain SHA-256 instead).
--  * audit_seals: the chain. A background sealer (audit/AuditSealer, any replica, one at a time
--    under an advisory lock) takes the events that committed since its last run, whatever their
--    ids, and appends one seal per month to that month's chain: the ids it covers (a multirange
--    of consecutive ids), their count, the chain hash after its last event, the previous seal's
--    hash, and an HMAC over all of that. Partitioned by month like the events, so retention drops a
--    month's events and its chain together and every other month stays verifiable.
--  * audit_seal_state, audit_seal_holes: where the sealer is (the highest id it has sealed) and
--    the ids below it it has not seen yet (assigned to a transaction that had not committed):
--    sealed when they appear, forgotten once every transaction that could hold them has ended.
--  * Triggers: no UPDATE, DELETE or TRUNCATE of events or seals, for any role the triggers fire
--    for (the service's included). Retention drops whole partitions.
-- Every existing event fits: the new columns are nullable.
alter table audit_events add column via varchar(10);
alter table audit_events add constraint audit_events_via_check check (via in ('rest', 'fhir', 'export'));
alter table audit_events add column mac bytea;

create table audit_seal_state (
    singleton      boolean primary key default true check (singleton),
    -- Every event with an id up to here was written before events carried a MAC.
    legacy_through bigint  not null,
    -- The highest id sealed so far (every lower id is sealed, a hole, or never committed).
    max_sealed     bigint  not null
);
insert into audit_seal_state (legacy_through, max_sealed)
select coalesce(max(id), 0), 0 from audit_events;

create table audit_seal_holes (
    id    bigint generated always as identity primary key,
    -- Ids the sealer passed over because no committed event had them (yet).
    ids   int8multirange not null,
    -- Every transaction that could still commit one of them has an xid below this.
    xid_horizon xid8 not null
);

-- Ids for events, each taken by a transaction that already has its xid: a hole the sealer sees
-- (an id taken but not committed) then belongs to a transaction that its snapshot lists as running.
create function audit_next_ids(n integer) returns setof bigint
language plpgsql volatile as $$
begin
    perform pg_current_xact_id();
    return query select nextval('audit_events_id_seq') from generate_series(1, n);
end
$$;

create table audit_seals (
    month      date        not null,
    seq        bigint      not null,
    ids        int8multirange not null,
    events     integer     not null,
    first_at   timestamptz not null,
    last_at    timestamptz not null,
    prev_hash  bytea       not null,
    hash       bytea       not null,
    mac        bytea       not null,
    sealed_at  timestamptz not null default now(),
    constraint audit_seals_pkey primary key (month, seq)
) partition by range (month);

do $$
declare
    part record;
    m    date;
begin
    for part in select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
                where i.inhparent = 'audit_events'::regclass and c.relname ~ '^audit_events_y\d{4}m\d{2}$'
    loop
        m := to_date(substr(part.relname, 15, 4) || substr(part.relname, 20, 2) || '01', 'YYYYMMDD');
        execute format('create table if not exists %I partition of audit_seals for values from (%L) to (%L)',
                       'audit_seals_y' || to_char(m, 'YYYY') || 'm' || to_char(m, 'MM'), m, (m + interval '1 month')::date);
    end loop;
end
$$;

create function audit_refuse_change() returns trigger
language plpgsql as $$
begin
    raise exception 'audit records cannot be changed or deleted (% on %)', tg_op, tg_table_name
        using errcode = '42501', hint = 'Retention drops whole monthly partitions.';
end
$$;

create trigger audit_events_immutable before update or delete on audit_events
    for each row execute function audit_refuse_change();
create trigger audit_events_no_truncate before truncate on audit_events
    for each statement execute function audit_refuse_change();
create trigger audit_seals_immutable before update or delete on audit_seals
    for each row execute function audit_refuse_change();
create trigger audit_seals_no_truncate before truncate on audit_seals
    for each statement execute function audit_refuse_change();
