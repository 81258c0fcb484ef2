-- Linkgate: disclosure-controlled outputs (cl. 11, 6.2b).

-- Ad-hoc tables asked for through the API. The table is built and protected when asked for and
-- kept here exactly as it will be released (published figures and the suppression symbol only,
-- never a suppressed cell's count); it is shown to its requester only once a second authorised
-- person has approved it (two-person rule). Request, check result and decision are all kept.
create table disclosure_request (
    id             varchar(36)  primary key,
    requested_by   varchar(64)  not null,
    requested_at   timestamp with time zone not null,
    measure        varchar(32)  not null,
    council_code   varchar(16),
    period         varchar(7),
    spec_json      varchar(2000) not null,
    status         varchar(20)  not null,
    check_json     varchar(2000) not null,
    table_json     text,
    table_sha256   varchar(64),
    decided_by     varchar(64),
    decided_at     timestamp with time zone,
    decision_note  varchar(500),
    constraint ck_disclosure_request_status check (status in ('PENDING_APPROVAL', 'REFUSED', 'RELEASED', 'REJECTED'))
);
create index ix_disclosure_request_status on disclosure_request (status, requested_at);

-- Feedback packs delivered to councils' outbound folders: what, to whom, when, on which data.
create table feedback_release (
    id             varchar(36)  primary key,
    council_code   varchar(16)  not null,
    period         varchar(7)   not null,
    file_name      varchar(255) not null,
    trigger_kind   varchar(16)  not null,
    requested_by   varchar(64)  not null,
    data_mark      varchar(200) not null,
    tables_count   integer      not null,
    cells_count    integer      not null,
    suppressed_count integer    not null,
    sha256         varchar(64)  not null,
    released_at    timestamp with time zone not null,
    constraint uq_feedback_release_file unique (council_code, file_name),
    constraint ck_feedback_release_trigger check (trigger_kind in ('BATCH', 'REQUEST'))
);
create index ix_feedback_release_council on feedback_release (council_code, trigger_kind, released_at);
