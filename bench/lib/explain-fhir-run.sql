-- One round of explain-fhir.sql for both callers (:mode says which plan cache mode).
-- user 1: a patient of organization 1 (own + 7); the member: the first patient of organization 2.
select :own + 7 as pid1, coalesce((select min(id) from patients where organization_id = 2), :own + 7) as pid2 \gset
select birth_date as d1, to_char(birth_date, 'YYYY-MM-01')::date as m1 from patients where id = :pid1 \gset
select coalesce(birth_date, date '1984-03-07') as d2, to_char(coalesce(birth_date, date '1984-03-07'), 'YYYY-MM-01')::date as m2
  from patients where id = :pid2 \gset
\echo
\echo '### [' :mode '] identifier, user 1, MRN-' :pid1
explain (analyze, buffers, costs off) execute fhir_identifier_page(1, 'http://bench.example/mrn', 'MRN-' || :pid1, 50, 50, 0);
explain (analyze, buffers, costs off) execute fhir_identifier_count(1, 'http://bench.example/mrn', 'MRN-' || :pid1);
\echo '### [' :mode '] identifier, user' :member ', MRN-' :pid2
explain (analyze, buffers, costs off) execute fhir_identifier_page(:member, 'http://bench.example/mrn', 'MRN-' || :pid2, 50, 50, 0);
explain (analyze, buffers, costs off) execute fhir_identifier_count(:member, 'http://bench.example/mrn', 'MRN-' || :pid2);
\echo '### [' :mode '] identifier, user' :member ', MRN-' :pid2 ': the count as sent before PatientAccess.mineCount'
explain (analyze, buffers, costs off) execute fhir_identifier_count_before(:member, 'http://bench.example/mrn', 'MRN-' || :pid2);
\echo '### [' :mode '] birthdate=eq' :d1 ', user 1'
explain (analyze, buffers, costs off) execute fhir_birthdate_page(1, :'d1', date :'d1' + 1, 50, 50, 0);
explain (analyze, buffers, costs off) execute fhir_birthdate_count(1, :'d1', date :'d1' + 1);
\echo '### [' :mode '] birthdate=eq' :d2 ', user' :member
explain (analyze, buffers, costs off) execute fhir_birthdate_page(:member, :'d2', date :'d2' + 1, 50, 50, 0);
explain (analyze, buffers, costs off) execute fhir_birthdate_count(:member, :'d2', date :'d2' + 1);
\echo '### [' :mode '] birthdate=eq (month of' :m1 '), user 1'
explain (analyze, buffers, costs off) execute fhir_birthdate_page(1, :'m1', (date :'m1' + interval '1 month')::date, 50, 50, 0);
explain (analyze, buffers, costs off) execute fhir_birthdate_count(1, :'m1', (date :'m1' + interval '1 month')::date);
\echo '### [' :mode '] birthdate=eq (month of' :m2 '), user' :member
explain (analyze, buffers, costs off) execute fhir_birthdate_page(:member, :'m2', (date :'m2' + interval '1 month')::date, 50, 50, 0);
explain (analyze, buffers, costs off) execute fhir_birthdate_count(:member, :'m2', (date :'m2' + interval '1 month')::date);
