-- Owner: returns. Published read view: the returned rows of accepted returns whose data is not yet
-- destroyed, with the extract each return answers. Release streams a linked dataset from it in one
-- cursor (a set-based join with its own members), instead of reading return_file and return_record.
create view accepted_return_row as
select rr.return_id, rr.row_number, rr.department_code, rr.dataset, rr.pseudo_id, rr.data, rf.extract_id
from return_record rr
join return_file rf on rf.id = rr.return_id and rf.status = 'ACCEPTED' and rf.destroyed_at is null;
