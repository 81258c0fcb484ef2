-- Linkgate linkage store, part 1: council intake.
-- Portable between PostgreSQL and H2 (PostgreSQL mode). Research tables hold no direct
-- identifiers: only keyed pseudo ids and derived variables. Identity needed for department
-- extracts lives only in identity_vault, sealed with a per-batch data key.

-- Data keys, each wrapped by the master key kept outside the data. Destroying the wrapped
-- key (crypto-shredding) makes everything sealed with it unreadable, backups included.
create table data_key (
    id            varchar(36)  primary key,
    purpose       varchar(32)  not null,
    wrapped_key   bytea,
    created_at    timestamp with time zone not null,
    destroyed_at  timestamp with time zone
);

-- One row per physical file taken from a council's inbound folder.
create table intake_file (
    id                 varchar(36)  primary key,
    council_code       varchar(16)  not null,
    file_name          varchar(255) not null,
    sha256             varchar(64)  not null,
    size_bytes         bigint       not null,
    period             varchar(7),
    status             varchar(16)  not null,
    attempts           integer      not null default 0,
    duplicate_of       varchar(36)  references intake_file (id),
    rows_total         bigint,
    rows_accepted      bigint,
    rows_rejected      bigint,
    signer_fingerprint varchar(64),
    schema_id          varchar(64),
    data_key_id        varchar(36)  references data_key (id),
    report_json        text,
    received_at        timestamp with time zone not null,
    completed_at       timestamp with time zone,
    report_sent_at     timestamp with time zone,
    archived_at        timestamp with time zone,
    archive_path       varchar(1024),
    constraint ck_intake_file_status check (status in
        ('RECEIVED', 'ACCEPTED', 'PARTIAL', 'REJECTED', 'DUPLICATE', 'QUARANTINED'))
);
create index ix_intake_file_resume on intake_file (council_code, sha256, file_name);

-- The persistent idempotent repository: one row per distinct content a council has sent.
-- The primary key makes "the same content twice" impossible even with several replicas.
create table received_content (
    council_code      varchar(16) not null,
    sha256            varchar(64) not null,
    first_intake_id   varchar(36) not null references intake_file (id),
    primary key (council_code, sha256)
);

-- Research records: one per accepted row, derived variables and keyed hashes only.
create table research_record (
    intake_id               varchar(36) not null references intake_file (id),
    row_number              bigint      not null,
    pseudo_id               varchar(64) not null,
    family_pseudo_id        varchar(64) not null,
    person_ref_key          varchar(64) not null,
    council_code            varchar(16) not null,
    period                  varchar(7)  not null,
    cohort                  varchar(10) not null,
    sex                     varchar(1)  not null,
    age_at_identification   integer     not null,
    age_band                varchar(8)  not null,
    identified_month        varchar(7)  not null,
    crime_asb               smallint    not null,
    education               smallint    not null,
    children_in_need        smallint    not null,
    worklessness            smallint    not null,
    domestic_abuse          smallint    not null,
    health                  smallint    not null,
    problem_count           integer     not null,
    pseudonymisation_version varchar(16) not null,
    primary key (intake_id, row_number)
);
create index ix_research_record_pseudo on research_record (pseudo_id);
-- Both serve one ordered scan per file (duplicate refs, family sizes) without a sort.
create index ix_research_record_family on research_record (intake_id, family_pseudo_id, row_number);
create index ix_research_record_ref on research_record (intake_id, person_ref_key, row_number);

-- Families as research sees them: size is the number of members accepted from the file.
create table research_family (
    intake_id         varchar(36) not null references intake_file (id),
    family_pseudo_id  varchar(64) not null,
    family_size       integer     not null,
    primary key (intake_id, family_pseudo_id)
);

-- What an analyst reads: one row per person per accepted batch, family size joined in. Rows of a
-- file still being processed, or rejected, are staged only and never appear here.
create view research_person as
select r.*, f.family_size
from research_record r
join intake_file i on i.id = r.intake_id and i.status in ('ACCEPTED', 'PARTIAL')
join research_family f on f.intake_id = r.intake_id and f.family_pseudo_id = r.family_pseudo_id;

-- Identifying fields kept for department extracts, sealed (AES-256-GCM) under the batch's data key.
create table identity_vault (
    intake_id    varchar(36) not null references intake_file (id),
    row_number   bigint      not null,
    pseudo_id    varchar(64) not null,
    sealed       bytea       not null,
    primary key (intake_id, row_number)
);

-- Alerts for operators: quarantined files and other things a person must look at.
create table alert (
    id            varchar(36)  primary key,
    raised_at     timestamp with time zone not null,
    severity      varchar(8)   not null,
    category      varchar(32)  not null,
    partner_code  varchar(16),
    subject_id    varchar(36),
    message       varchar(1000) not null,
    acknowledged_at timestamp with time zone
);

-- Every movement of a dataset. Part 1 of the audit trail; the governance work adds the hash chain.
create table audit_event (
    id            bigint generated by default as identity primary key,
    occurred_at   timestamp with time zone not null,
    event_type    varchar(40)  not null,
    partner_code  varchar(16),
    subject_id    varchar(36),
    actor         varchar(64)  not null,
    detail        varchar(2000)
);
create index ix_audit_event_subject on audit_event (subject_id);
