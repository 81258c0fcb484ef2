-- Published read views: a feature joins another's data in the database only through a view its owner
-- publishes here (or in its own migrations), never through the owner's tables. Each view names its owner.

-- Owner: fanout. Who an extract was sent for, one row per person (returns' linkage quality counts them).
create view extract_person as
select distinct extract_id, pseudo_id, cohort from extract_member;
