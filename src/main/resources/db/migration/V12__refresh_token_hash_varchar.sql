-- refresh_tokens.token_hash was char(64) (V4) while the entity maps it as varchar(64), as every
-- other text column here: Hibernate's schema check reported the mismatch as an ERROR at every
-- dev-mode start (issue 24). The schema changes rather than the mapping: char(n) only adds blank
-- padding semantics (PostgreSQL's manual advises varchar or text instead), the values are always
-- 64 hex characters so none changes, and the entity keeps no hand-written column DDL. The table
-- holds one row per refresh token of a live session; the rewrite is short.
-- (V9-V11 are taken by migrations of other branches.)
alter table refresh_tokens alter column token_hash type varchar(64);
