-- Linkgate linkage store: releases of pseudonymised linked data to the sponsor (cl. 2.1, 4.8).
-- Portable between PostgreSQL and H2 (PostgreSQL mode).

-- One release: requested by an analyst, checked (k-anonymity) and built at once, then delivered
-- exactly once after a different person (ADMIN) approves it. The built file waits, encrypted to
-- the recipient, in work/releases/ until it is delivered or the release is rejected or refused.
create table data_release (
    id                 varchar(32)   primary key,
    recipient_code     varchar(16)   not null,
    purpose            varchar(500)  not null,
    status             varchar(20)   not null,
    requested_by       varchar(64)   not null,
    requested_at       timestamp with time zone not null,
    decided_by         varchar(64),
    decided_at         timestamp with time zone,
    reason             varchar(1000),
    k                  integer       not null,
    spec_json          text          not null,
    report_json        text,
    manifest_json      text,
    file_name          varchar(255)  not null,
    staged_path        varchar(1024),
    rows_released      bigint,
    size_bytes         bigint,
    sha256             varchar(64),
    attempts           integer       not null default 0,
    next_attempt_at    timestamp with time zone,
    last_error         varchar(500),
    sent_at            timestamp with time zone,
    destruction_notice_at timestamp with time zone,
    constraint ck_data_release_status check (status in
        ('BUILDING', 'AWAITING_APPROVAL', 'REFUSED', 'REJECTED', 'APPROVED', 'SENT'))
);
create index ix_data_release_due on data_release (status, next_attempt_at);

-- Which accepted batches' linked data a release was built from: the retention of the linked data
-- lists the releases made from it, and a release over data destroyed since it was built is refused.
create table release_intake (
    release_id  varchar(32) not null references data_release (id),
    intake_id   varchar(36) not null references intake_file (id),
    rows_released bigint    not null,
    primary key (release_id, intake_id)
);
create index ix_release_intake_intake on release_intake (intake_id);

-- Who a release included, by linkage-store pseudo id (never leaves the gateway), for subject access
-- (cl. 9). The release's own pseudo id is not stored: it is derived again when needed.
create table release_member (
    release_id  varchar(32) not null references data_release (id),
    pseudo_id   varchar(64) not null,
    primary key (release_id, pseudo_id)
);
create index ix_release_member_pseudo on release_member (pseudo_id);

-- Longitudinal study (cl. 4.11, 12.8): a department's linked data may be kept past
-- retention.linkedData only by a recorded decision of an ADMIN with a reference. The latest
-- decision per department stands; earlier ones stay as the record.
create table retention_extension (
    id               varchar(36)  primary key,
    department_code  varchar(16)  not null,
    extended_until   date         not null,
    reference        varchar(200) not null,
    decided_by       varchar(64)  not null,
    decided_at       timestamp with time zone not null
);
create index ix_retention_extension_department on retention_extension (department_code, decided_at);
