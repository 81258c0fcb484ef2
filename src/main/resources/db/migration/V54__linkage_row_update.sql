-- What linking decides for a batch's rows (person id, key level, probability, linked_via; later the grey-zone
-- probability), staged in bulk (COPY on PostgreSQL) and applied to linkage_row by one set-based update per
-- batch, instead of one statement per row. Rows live only inside the linking transaction: they are deleted
-- before it commits, so nothing is ever kept here.
create table linkage_row_update (
    intake_id          varchar(36) not null,
    row_number         bigint      not null,
    person_id          varchar(64),
    link_level         smallint,
    link_probability   double precision,
    linked_via         varchar(64),
    grey_probability   double precision,
    primary key (intake_id, row_number)
);
