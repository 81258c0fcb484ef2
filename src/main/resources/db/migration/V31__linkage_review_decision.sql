-- An operator's decision on a grey-zone pair (issue 12): accepted (the two persons are one; the later
-- merged forward into the earlier) or rejected (never linked or listed again). Pseudo ids only.
-- Portable between PostgreSQL and H2 (PostgreSQL mode).
alter table linkage_review add column decision varchar(8);
alter table linkage_review add column decided_at timestamp with time zone;
alter table linkage_review add column decided_by varchar(100);
alter table linkage_review add column decision_reference varchar(120);
alter table linkage_review add constraint ck_linkage_review_decision
    check (decision is null or decision in ('ACCEPTED', 'REJECTED'));
create index ix_linkage_review_decision on linkage_review (decision, created_at);

-- Two persons an operator decided are not one: a later batch never merges them nor lists them again.
-- Stored as the ids the operator saw, lower id first; readers resolve both through merged_into.
create table linkage_non_link (
    person_a    varchar(64) not null,
    person_b    varchar(64) not null,
    review_id   bigint      not null,
    decided_at  timestamp with time zone not null,
    primary key (person_a, person_b),
    check (person_a < person_b)
);
