-- Authentication is audited (contract part 2, "Sessions and accounts, tightened"):
--  * detail: what an authentication event needs besides ids (a login's normalised email, why a
--    session ended, an account's role before and after); null for every other event. It never
--    holds a password or a token.
--  * the vocabulary: actions login, refresh, end (a session ended), password_change and access
--    (an admin route refused); record type session; outcomes throttled (429) and shed (503).
-- Every stored event fits: the column is new and nullable, and the constraints only widen.
alter table audit_events add column detail jsonb;

alter table audit_events drop constraint if exists audit_events_action_check;
alter table audit_events add constraint audit_events_action_check
    check (action in ('create', 'read', 'list', 'update', 'delete', 'purge',
                      'login', 'refresh', 'end', 'password_change', 'access'));
alter table audit_events drop constraint if exists audit_events_record_type_check;
alter table audit_events add constraint audit_events_record_type_check
    check (record_type in ('patient', 'mapping', 'user', 'session'));
alter table audit_events drop constraint if exists audit_events_outcome_check;
alter table audit_events add constraint audit_events_outcome_check
    check (outcome in ('success', 'denied', 'not_found', 'throttled', 'shed'));
