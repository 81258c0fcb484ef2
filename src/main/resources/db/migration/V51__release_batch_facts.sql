-- What release needs to know of the batches a release was made from is kept in release's own table
-- (issue 10: each table is read and written by the feature that owns it). The council and period are
-- copied when the release is built; retention tells release when a batch's linked data is destroyed
-- and which certificate records it, so release never reads intake's or retention's tables.
alter table release_intake add column council_code varchar(16);
alter table release_intake add column period varchar(7);
alter table release_intake add column linked_data_destroyed_at timestamp with time zone;
alter table release_intake add column destruction_certificate_id varchar(36);

update release_intake set
    council_code = (select i.council_code from intake_file i where i.id = release_intake.intake_id),
    period = (select i.period from intake_file i where i.id = release_intake.intake_id),
    linked_data_destroyed_at = (select i.linked_data_destroyed_at from intake_file i where i.id = release_intake.intake_id),
    destruction_certificate_id = (select min(c.id) from destruction_item di
        join destruction_certificate c on c.destruction_id = di.destruction_id
        where di.unit_type = 'LINKED_DATA' and di.subject_id = release_intake.intake_id);
