-- Owner: linkage. Published read view: each person id linkage merged forward and the survivor it now
-- counts as (merges are kept flat: one hop); an id not listed is its own survivor. Release counts and
-- releases people as linkage knows them (k-anonymity, the persons file, members per batch), which needs
-- the join in the database to stay streaming and grouped. Only merged ids are listed, so both
-- directions use an index of linkage_person (person_id, merged_into). In release's migration range
-- because release is the reader that needs it this round; linkage owns it (docs/architecture.md).
create view merged_person as
select person_id, merged_into as survivor_id from linkage_person where merged_into is not null;
