-- GET /api/patients?q= on the caller's own patients, flat at any table size.
--
-- With only V1's indexes, PostgreSQL answers `owner_id = ? and lower(name) like '%ann%'` by
-- AND-ing the owner b-tree with the table-wide trigram index, whose scan grows with the whole
-- table: at 1,000,000 patients the trigram side yields 100,000 rows to find a user's 100, and
-- the page query and its count took 14 and 21 ms each (bench/results/*-large.md). This
-- index holds the owner and the name's trigrams together, so the scan touches only the
-- caller's matches: 0.45 ms each at the same size.
-- btree_gin provides the GIN operator class for the bigint owner_id (a trusted extension, as
-- pg_trgm is). patients_name_trgm_idx stays: it serves the admin's ?scope=all&q=.
-- (V3, not V2: V2 is the audit and login-throttle migration.)
create extension if not exists btree_gin;
create index patients_owner_name_trgm_idx on patients using gin (owner_id, lower(name) gin_trgm_ops);
