-- Issue 21: an export's audit event names every patient it held, which for a large export is far
-- more ids than a row should carry or the service should hold in memory (1,000,000 patients: an
-- 8 MB array, and the JVM's heap at the export's end). Such an event keeps its ids here, in parts
-- of at most 10,000 ascending ids, built by PostgreSQL from the export's chunks, and says how many
-- in audit_events.record_count (its record_ids stays null). Its MAC covers the ids exactly as if
-- they were in record_ids (audit/AuditChain: the same encoding, fed part by part), so a part
-- altered, added or deleted fails verification like an altered event.
--  * Partitioned by month like the events, on the event's own occurred_at: retention drops a
--    month's events, their parts and their chain together (audit/AuditPartitions).
--  * GIN on record_ids: "which exports held patient X" for the access report and GET /api/audit.
--  * The same triggers as the events: no UPDATE, DELETE or TRUNCATE.
-- Existing data: every event stays as it is (record_count null: its ids, if any, are in record_ids).
alter table audit_events add column record_count integer check (record_count >= 0);

create table audit_event_records (
    event_id    bigint      not null,
    occurred_at timestamptz not null,
    part        integer     not null check (part >= 0),
    record_ids  bigint[]    not null check (cardinality(record_ids) between 1 and 10000),
    constraint audit_event_records_pkey primary key (event_id, part, occurred_at)
) partition by range (occurred_at);

create index audit_event_records_ids_idx on audit_event_records using gin (record_ids);

do $$
declare
    part record;
    m    date;
begin
    for part in select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
                where i.inhparent = 'audit_events'::regclass and c.relname ~ '^audit_events_y\d{4}m\d{2}$'
    loop
        m := to_date(substr(part.relname, 15, 4) || substr(part.relname, 20, 2) || '01', 'YYYYMMDD');
        execute format('create table if not exists %I partition of audit_event_records for values from (%L) to (%L)',
                       'audit_event_records_y' || to_char(m, 'YYYY') || 'm' || to_char(m, 'MM'),
                       m::text || ' 00:00:00+00', (m + interval '1 month')::date::text || ' 00:00:00+00');
    end loop;
end
$$;

create trigger audit_event_records_immutable before update or delete on audit_event_records
    for each row execute function audit_refuse_change();
create trigger audit_event_records_no_truncate before truncate on audit_event_records
    for each statement execute function audit_refuse_change();
