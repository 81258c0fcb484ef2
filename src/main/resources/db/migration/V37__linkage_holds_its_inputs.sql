-- Linkage keeps what it needs of a batch in its own tables, so it reads no other feature's: each staged
-- row's first (v1) pseudo id and cohort, told at staging; each linked batch's council and period, told
-- when intake asks it to link. Rows staged before this take theirs from the store and intake's ledger, once.
alter table linkage_row add column v1_id varchar(64);
alter table linkage_row add column cohort varchar(10);
update linkage_row set v1_id = (select r.pseudo_id from research_record r
                                where r.intake_id = linkage_row.intake_id and r.row_number = linkage_row.row_number),
                       cohort = (select r.cohort from research_record r
                                 where r.intake_id = linkage_row.intake_id and r.row_number = linkage_row.row_number);
alter table linkage_model add column council_code varchar(16);
alter table linkage_model add column period varchar(7);
update linkage_model set council_code = (select i.council_code from intake_file i where i.id = linkage_model.intake_id),
                         period = (select i.period from intake_file i where i.id = linkage_model.intake_id);

-- Owner: linkage. The person id linkage gave each row of a batch; the store takes it for its research
-- records and sealed identities (store.ResearchStore.adoptPersonIds), which linkage never writes.
create view linked_person_row as
select intake_id, row_number, person_id from linkage_row where person_id is not null;
