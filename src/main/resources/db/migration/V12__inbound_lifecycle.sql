-- One inbound-file lifecycle for council batches and department returns: both ledgers get the
-- same columns, so one mechanism (inbound.InboundLedger) keeps them.

-- Counts as council files have them (rows read, accepted, rejected) and the schema read against.
alter table return_file add column rows_accepted bigint;
alter table return_file add column rows_rejected bigint;
alter table return_file add column schema_id varchar(64);
update return_file set rows_accepted = rows_loaded, rows_rejected = rows_total - rows_loaded where rows_total is not null;
alter table return_file drop column rows_loaded;

-- The take-in a ledger row came from: a file is copied out of the drop-zone into gateway-only
-- custody before it is hashed, under a name derived from the uploaded file's identity, so a take-in
-- repeated after a crash is recognised instead of reported as a duplicate.
alter table intake_file add column source_key varchar(64);
alter table return_file add column source_key varchar(64);
create index ix_intake_file_source on intake_file (council_code, source_key);
create index ix_return_file_source on return_file (department_code, source_key);

-- The name the report went out under (a department's reports are named per received file).
alter table intake_file add column report_name varchar(400);
alter table return_file add column report_name varchar(400);
