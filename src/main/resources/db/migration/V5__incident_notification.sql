-- Incidents (cl. 13): notification of every party, acknowledgement and closing by operators,
-- one incident per ongoing condition, and the past-deadline flag.

-- Long enough for an IPv6 remote address (repeated SFTP authentication failures).
alter table incident alter column subject_id set data type varchar(64);
-- How often the condition was seen while the incident stayed open, and when last.
alter table incident add column occurrences integer not null default 1;
alter table incident add column last_seen_at timestamp with time zone;
-- OPEN -> ACKNOWLEDGED -> CLOSED; who did it and a short note (operators' words, no personal data).
alter table incident add column acknowledged_at timestamp with time zone;
alter table incident add column acknowledged_by varchar(64);
alter table incident add column acknowledge_note varchar(500);
alter table incident add column closed_by varchar(64);
alter table incident add column close_note varchar(500);
-- When every notification of the incident had been sent (the report of cl. 13.1 is made).
alter table incident add column reported_at timestamp with time zone;
-- When the past-deadline alert was raised (once per incident).
alter table incident add column overdue_flagged_at timestamp with time zone;

-- One open incident per ongoing condition (e.g. SFTP failures for one account): the row lives
-- while the incident is not closed; its primary key stops a second incident for the condition.
create table incident_condition (
    condition_key varchar(200) primary key,
    incident_id   varchar(36)  not null references incident (id)
);

-- The outbox: one row per recipient, written in the transaction that opens the incident and
-- sent by route incident-notifier. recipient is a partner code (NOTICE) or an address (EMAIL);
-- recipient_label names it without the address, for logs and the audit trail.
create table incident_notification (
    id              varchar(36)  primary key,
    incident_id     varchar(36)  not null references incident (id),
    channel         varchar(8)   not null,
    recipient       varchar(320) not null,
    recipient_label varchar(120) not null,
    status          varchar(16)  not null default 'PENDING',
    created_at      timestamp with time zone not null,
    attempts        integer      not null default 0,
    next_attempt_at timestamp with time zone not null,
    last_error      varchar(500),
    alerted_at      timestamp with time zone,
    sent_at         timestamp with time zone
);
create index incident_notification_due on incident_notification (status, next_attempt_at);
create index incident_notification_incident on incident_notification (incident_id);
create index incident_status on incident (status, deadline_at);
