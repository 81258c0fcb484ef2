-- Linkgate: analysts' tables in the release ledger (issue 11). An approved ad-hoc table's rows go
-- to released_cell like a pack's, with the table's filter (e.g. 'sex=F;crime_asb=yes', '' for
-- none; council_code and period '*' when the table covers every council or period), so a later
-- table over the same people is protected with them known and cannot be differenced against them.
alter table released_cell add column scope_filter varchar(200) default '' not null;

-- The ledger releases a pending table was checked against: approval refuses a table when a table
-- over the same people was released after its check (it was not protected against that one).
alter table disclosure_request add column known_releases text;

-- One row that every analyst's table approval locks (select ... for update) before it checks the
-- ledger and records into it: two approvals over the same people cannot both pass that check.
create table release_ledger_lock (
    id integer primary key
);
insert into release_ledger_lock (id) values (1);
