-- Linkgate: the release ledger (cl. 11). Every cell a release showed its recipient, as shown
-- (a count, [c] or n/a; never a withheld cell's value), so that a later release over the same
-- people is protected with these figures known, and the figures of a period are never sent twice
-- differently (two packs of nearly the same people could be differenced).
create table released_cell (
    release_id     varchar(36)  not null,
    council_code   varchar(16)  not null,
    period         varchar(7)   not null,
    measure        varchar(32)  not null,
    breakdown      varchar(64)  not null,
    cohort         varchar(16)  not null,
    category       varchar(64)  not null,
    persons        varchar(16)  not null,
    with_outcome   varchar(16)  not null,
    percent        varchar(16)  not null,
    primary key (release_id, measure, breakdown, cohort, category)
);
create index ix_released_cell_scope on released_cell (council_code, period, measure);

-- The first pack of a council and period as released (published figures only): a later send of
-- that period, by an ADMIN on request, repeats exactly these figures.
create table feedback_release_content (
    council_code   varchar(16)  not null,
    period         varchar(7)   not null,
    release_id     varchar(36)  not null,
    zip            bytea        not null,
    primary key (council_code, period)
);
