-- One row that linking a batch and deciding (or undoing) a review pair lock first, so they serialise:
-- a decision taken while a batch is being linked waits for it and then sees what it did, and the
-- batch sees every decision committed before it began (issue 12). Portable (PostgreSQL, H2).
create table linkage_lock (
    id  integer primary key
);
insert into linkage_lock (id) values (1);
