-- Linkgate: whether a released with-outcome figure was shown by the cell key method (the agreement's
-- disclosure.method: cell-key). A later release over the same people reads a perturbed figure as "the true
-- count is one the public p-table could publish as this", not as the count itself.
alter table released_cell add column perturbed boolean default false not null;
