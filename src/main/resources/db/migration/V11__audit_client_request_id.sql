-- Issue 17: request_id is the service's own id for the request, which a client cannot choose;
-- the X-Request-Id a client sent, when it sent a sane one, is kept beside it. Existing rows keep
-- what they have (request_id held the client's id when one was sent; it cannot be told apart).
-- Added to the partitioned parent, the column is added to every partition.
alter table audit_events add column client_request_id varchar(64);
comment on column audit_events.request_id is 'The service''s own id of the request (also in its log lines)';
comment on column audit_events.client_request_id is 'The X-Request-Id the client sent, if any; never used to find the request';
