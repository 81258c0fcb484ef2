-- A department's per-person matched status (issue 12): a return may carry an optional column
-- `matched` (Y: found in the department's systems, N: not found), so "not found" is told apart from
-- "found, no events". One row per return row that carries the column; pseudo ids only.
-- Portable between PostgreSQL and H2 (PostgreSQL mode).
create table return_match_status (
    return_id   varchar(36) not null references return_file (id),
    row_number  bigint      not null,
    dataset     varchar(16) not null,
    pseudo_id   varchar(64) not null,
    matched     varchar(1)  not null,
    primary key (return_id, row_number),
    check (matched in ('Y', 'N'))
);
create index ix_return_match_status_pseudo on return_match_status (pseudo_id);

-- Per extract, dataset and cohort: found (an event row, or matched = Y), not found (matched = N and
-- never found), not_known (no word at all; "unknown" is a reserved word in H2). Null on figures
-- recorded before this migration.
alter table linkage_quality add column found bigint;
alter table linkage_quality add column not_found bigint;
alter table linkage_quality add column not_known bigint;
