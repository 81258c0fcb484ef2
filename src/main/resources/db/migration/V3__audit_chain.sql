-- Linkgate linkage store, part 3: the audit trail as a hash chain (cl. 7.2, 12.5).
-- Portable between PostgreSQL and H2. Each event carries its place in the chain (seq, gap-free from 1)
-- and the SHA-256 of its canonical encoding, which covers its predecessor's hash (see AuditChainHash).
-- Events written before this migration are chained, and on PostgreSQL audit_event is made
-- append-only, by the Java migration 3.1 (org.linkgate.audit.AuditChainMigration), which Spring
-- Boot runs after this script.

alter table audit_event add column seq bigint;
alter table audit_event add column prev_hash varchar(64);
alter table audit_event add column hash varchar(64);
create unique index ux_audit_event_seq on audit_event (seq);
-- Auditors' queries: by period, by partner and period (subject already has ix_audit_event_subject).
create index ix_audit_event_time on audit_event (occurred_at);
create index ix_audit_event_partner on audit_event (partner_code, occurred_at);

-- The last link of the chain. Appending locks this row, so writers append one at a time.
create table audit_chain_head (
    id    integer     primary key,
    seq   bigint      not null,
    hash  varchar(64) not null,
    constraint ck_audit_chain_head_single check (id = 1)
);
-- The empty chain: seq 0 and the genesis hash (64 zeros), the prev_hash of event 1.
insert into audit_chain_head (id, seq, hash)
values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- A person's audit events include the extracts that carried them (pseudo_id -> extract).
create index ix_extract_member_pseudo on extract_member (pseudo_id);
