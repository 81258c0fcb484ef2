-- Owner: fanout. Published read view: which council batch each extract was written from, so a feature
-- that must join returned rows to the batches they answer (release's linked datasets) can do so in the
-- database, streaming, without reading the extract ledger itself.
create view extract_batch as
select id as extract_id, intake_id, department_code from extract;
