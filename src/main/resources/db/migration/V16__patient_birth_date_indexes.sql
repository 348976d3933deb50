-- FHIR's Patient?birthdate= (issue 20) searches what the caller may read, space by space
-- (PatientAccess: the caller's personal records, then each organization it belongs to). Without
-- an index on the birth date each space was read whole, in created_at order, to find the few
-- records born on that day or in that month: a search cost as many rows as the caller's
-- organizations hold, scattered over the table (bench/results/2026-12-06-fhir-search-scale.md).
-- These serve a birth date range inside one space, as PatientAccess's per-space queries and
-- counts ask for it; records without a birth date are never found by it and stay out.
create index patients_organization_birth_date_idx on patients (organization_id, birth_date)
    where organization_id is not null and birth_date is not null;
create index patients_owner_birth_date_idx on patients (owner_id, birth_date)
    where organization_id is null and birth_date is not null;
