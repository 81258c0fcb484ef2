-- Undoing a review decision (issue 12). Portable between PostgreSQL and H2 (PostgreSQL mode).

-- Decisions taken from now on record what undoing them needs; older ones (null) cannot be undone.
alter table linkage_review add column undoable boolean;

-- What an accepted review pair's merge forward moved: each person whose merged_into it set, and the
-- value before, so undoing it restores exactly that.
create table linkage_merge_move (
    review_id             bigint      not null,
    person_id             varchar(64) not null,
    previous_merged_into  varchar(64),
    previous_merged_at    timestamp with time zone,
    primary key (review_id, person_id)
);

-- The person a row was linked through, when that is not the id it was given (the earlier person had
-- been merged forward): undoing that merge gives such rows that person's id again, if no department
-- has seen theirs.
alter table linkage_row add column linked_via varchar(64);
