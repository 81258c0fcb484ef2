-- Linkgate linkage store, part 4: encryption at rest of kept files, retention and destruction
-- (cl. 12.7-12.11, 15). Portable between PostgreSQL and H2 (PostgreSQL mode).

-- Every received file the gateway keeps (archive, quarantine), sealed under a data key of its own
-- (crypto.SegmentedAead), so destroying that key makes the file and every copy of it unreadable.
-- A file placed again after a crash gets a new row and key; destruction takes all rows of a subject.
create table kept_file (
    id            varchar(36)   primary key,
    partner_code  varchar(16)   not null,
    subject_id    varchar(36)   not null,
    place         varchar(16)   not null,
    path          varchar(1024) not null,
    data_key_id   varchar(36)   not null references data_key (id),
    created_at    timestamp with time zone not null,
    destroyed_at  timestamp with time zone,
    constraint ck_kept_file_place check (place in ('ARCHIVE', 'QUARANTINE'))
);
create index ix_kept_file_subject on kept_file (subject_id);

-- When each kind of a batch's data was destroyed; the ledger rows stay as metadata (no personal data).
alter table intake_file add column council_data_destroyed_at timestamp with time zone;
alter table intake_file add column linked_data_destroyed_at timestamp with time zone;
alter table return_file add column destroyed_at timestamp with time zone;

-- One run of the destruction job, scheduled or on demand. RUNNING after a crash: the next run resumes it.
create table destruction (
    id            varchar(36)  primary key,
    trigger_kind  varchar(16)  not null,
    operator      varchar(64),
    as_of         date         not null,
    status        varchar(16)  not null,
    started_at    timestamp with time zone not null,
    completed_at  timestamp with time zone,
    constraint ck_destruction_trigger check (trigger_kind in ('SCHEDULED', 'ON_DEMAND')),
    constraint ck_destruction_status check (status in ('RUNNING', 'COMPLETED'))
);

-- One unit of data to destroy, at most once (the primary key): PLANNED, then PREPARED once its
-- evidence (hashes, counts, keys) is recorded and before anything is deleted, then DONE in the
-- transaction that deletes its rows and destroys its keys. An item not DONE when its run ends is
-- taken over by the next run.
create table destruction_item (
    unit_type       varchar(16)  not null,
    subject_id      varchar(36)  not null,
    partner_code    varchar(16)  not null,
    data_kind       varchar(16)  not null,
    clause          varchar(200) not null,
    destruction_id  varchar(36)  not null references destruction (id),
    state           varchar(16)  not null,
    evidence        text,
    attempts        integer      not null default 0,
    last_error      varchar(500),
    done_at         timestamp with time zone,
    primary key (unit_type, subject_id),
    constraint ck_destruction_item_unit check (unit_type in ('COUNCIL_DATA', 'LINKED_DATA', 'RETURN_DATA')),
    constraint ck_destruction_item_state check (state in ('PLANNED', 'PREPARED', 'DONE'))
);
create index ix_destruction_item_run on destruction_item (destruction_id, state);

-- The signed declaration of a run (cl. 12.7, 12.11): at most one per run.
create table destruction_certificate (
    id              varchar(36)   primary key,
    destruction_id  varchar(36)   not null references destruction (id),
    issued_at       timestamp with time zone not null,
    sha256          varchar(64)   not null,
    body            text          not null,
    signature       text          not null,
    path            varchar(1024) not null,
    constraint uq_destruction_certificate unique (destruction_id)
);

-- One destruction run at a time across replicas: a lease, renewed while a run works, taken over once it
-- has expired (a crashed holder), so the run it left RUNNING is resumed by whoever runs next.
create table destruction_lease (
    id          integer      primary key,
    holder      varchar(64),
    expires_at  timestamp with time zone,
    constraint ck_destruction_lease_single check (id = 1)
);
insert into destruction_lease (id, holder, expires_at) values (1, null, null);
