-- Partners and the agreement (issue 14).

-- Incidents a person reports (cl. 13.1): who reported it, and whether it is a personal-data breach
-- (then the ICO is told, or the agreement's waiver is audited).
alter table incident add column reported_by varchar(100);
alter table incident add column personal_data_breach boolean default false not null;

-- Every table request names one of the agreement's purposes (cl. 6.1).
alter table disclosure_request add column purpose varchar(200);
