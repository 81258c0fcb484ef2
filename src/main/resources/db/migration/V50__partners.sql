-- Partners and the agreement (issue 14).

-- Incidents a person reports (cl. 13.1): who reported it, and whether it is a personal-data breach
-- (then the ICO is told, or the agreement's waiver is audited).
alter table incident add column reported_by varchar(100);
alter table incident add column personal_data_breach boolean default false not null;

-- Every table request names one of the agreement's purposes (cl. 6.1).
alter table disclosure_request add column purpose varchar(200);

-- Notices to partners (cl. 7.4 and the rest of issue 14): an outbox, so a notice recorded with what
-- caused it survives a crash and goes out once. One row per notice; the encrypted notice in the
-- partner's outbound folder (notice_status) and the e-mail to the partner's contacts (email_status)
-- are each marked when done. NONE: the channel does not apply (a rejection's report is already in
-- outbound/; no mail configured or no contact when it was queued).
create table partner_notice (
    id              varchar(36)  primary key,
    partner_code    varchar(20)  not null,
    kind            varchar(40)  not null,
    subject_id      varchar(64)  not null,
    notice_name     varchar(300),
    body_json       varchar(4000) not null,
    email_text      varchar(4000),
    created_at      timestamp with time zone not null,
    notice_status   varchar(10)  not null,
    notice_sent_at  timestamp with time zone,
    email_status    varchar(10)  not null,
    email_sent_at   timestamp with time zone,
    email_count     integer      default 0 not null,
    attempts        integer      default 0 not null,
    next_attempt_at timestamp with time zone not null,
    last_error      varchar(500),
    alerted_at      timestamp with time zone,
    constraint uq_partner_notice unique (kind, subject_id, partner_code)
);
create index ix_partner_notice_due on partner_notice (next_attempt_at);

-- Terminations recorded while the gateway runs (cl. 13.2, ADMIN POST /api/admin/terminate): in force at
-- once, and on every start and every replica on top of agreement.yaml. party_code null: the whole agreement.
create table agreement_termination (
    id             varchar(36)  primary key,
    party_code     varchar(20),
    effective_date date         not null,
    reason         varchar(500) not null,
    terminated_by  varchar(100) not null,
    terminated_at  timestamp with time zone not null
);
