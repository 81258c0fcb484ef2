-- Fan-out keeps the council an extract was planned for (it is told at planning), so sending it checks the
-- agreement's flow without reading intake's ledger. Extracts planned before this keep theirs from it, once.
alter table extract add column council_code varchar(16);
update extract set council_code = (select i.council_code from intake_file i where i.id = extract.intake_id);
