-- Linkgate linkage store, part 2: the department round trip (cl. 4.6, 6.2c).

-- One extract per department per accepted council batch, planned in the transaction that
-- accepts the batch, so no batch is ever accepted without its extracts or sent twice.
create table extract (
    id               varchar(32)  primary key,
    department_code  varchar(16)  not null,
    intake_id        varchar(36)  not null references intake_file (id),
    period           varchar(7)   not null,
    file_name        varchar(255) not null,
    status           varchar(16)  not null,
    attempts         integer      not null default 0,
    next_attempt_at  timestamp with time zone,
    last_error       varchar(500),
    rows_sent        bigint,
    sha256           varchar(64),
    created_at       timestamp with time zone not null,
    sent_at          timestamp with time zone,
    due_at           timestamp with time zone,
    returned_at      timestamp with time zone,
    overdue_alerted_at timestamp with time zone,
    constraint uq_extract unique (department_code, intake_id),
    constraint ck_extract_status check (status in ('PENDING', 'SENT', 'RETURNED', 'REFUSED'))
);

-- Who was sent to whom, under which department-specific id. The linkage-store pseudo_id never
-- leaves the gateway; each department sees only its own token and the gateway maps it back.
create table extract_member (
    extract_id        varchar(32) not null references extract (id),
    department_token  varchar(64) not null,
    pseudo_id         varchar(64) not null,
    intake_id         varchar(36) not null,
    row_number        bigint      not null,
    cohort            varchar(10) not null,
    primary key (extract_id, department_token)
);

-- Return files from departments, with the same exactly-once ledger as council intake.
create table return_file (
    id                 varchar(36)  primary key,
    department_code    varchar(16)  not null,
    dataset            varchar(16),
    extract_id         varchar(32),
    file_name          varchar(255) not null,
    sha256             varchar(64)  not null,
    size_bytes         bigint       not null,
    status             varchar(16)  not null,
    attempts           integer      not null default 1,
    duplicate_of       varchar(36),
    rows_total         bigint,
    rows_loaded        bigint,
    signer_fingerprint varchar(64),
    report_json        text,
    received_at        timestamp with time zone not null,
    completed_at       timestamp with time zone,
    report_sent_at     timestamp with time zone,
    archived_at        timestamp with time zone,
    archive_path       varchar(1024),
    constraint ck_return_file_status check (status in ('RECEIVED', 'ACCEPTED', 'REJECTED', 'DUPLICATE', 'QUARANTINED'))
);
create index ix_return_file_resume on return_file (department_code, sha256, file_name);

create table received_return_content (
    department_code  varchar(16) not null,
    sha256           varchar(64) not null,
    first_return_id  varchar(36) not null references return_file (id),
    primary key (department_code, sha256)
);

-- Returned administrative data: pseudo_id (mapped back from the department's token) and the
-- declared columns of the dataset as a JSON object. Never a direct identifier (guarded on entry).
create table return_record (
    return_id        varchar(36) not null references return_file (id),
    row_number       bigint      not null,
    department_code  varchar(16) not null,
    dataset          varchar(16) not null,
    pseudo_id        varchar(64) not null,
    data             text        not null,
    primary key (return_id, row_number)
);
create index ix_return_record_pseudo on return_record (pseudo_id);

-- Linkage quality per extract and dataset: people sent and people who came back, by cohort.
create table linkage_quality (
    extract_id  varchar(32) not null references extract (id),
    dataset     varchar(16) not null,
    cohort      varchar(10) not null,
    sent        bigint      not null,
    matched     bigint      not null,
    primary key (extract_id, dataset, cohort)
);

-- Incidents (cl. 13): opened automatically, 24 hours to report from detection.
create table incident (
    id            varchar(36)  primary key,
    opened_at     timestamp with time zone not null,
    deadline_at   timestamp with time zone not null,
    category      varchar(40)  not null,
    partner_code  varchar(16),
    subject_id    varchar(36),
    summary       varchar(1000) not null,
    status        varchar(16)  not null default 'OPEN',
    closed_at     timestamp with time zone
);

-- The linked dataset: every research record with each department's returned data for that
-- person, joined by pseudo_id, only from accepted returns.
create view linked_dataset as
select p.pseudo_id, p.family_pseudo_id, p.council_code, p.period, p.cohort, p.sex, p.age_at_identification,
       p.age_band, p.identified_month, p.family_size, p.problem_count,
       p.crime_asb, p.education, p.children_in_need, p.worklessness, p.domestic_abuse, p.health,
       r.department_code, r.dataset, r.data
from research_person p
left join (select rr.* from return_record rr join return_file rf on rf.id = rr.return_id and rf.status = 'ACCEPTED') r
       on r.pseudo_id = p.pseudo_id;
