package org.linkgate.store;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rows staged for a file that did not (or not yet) become research records: removed in chunks
 * of short transactions, so purging a million rows needs no more memory than staging them. The
 * caller (intake, which owns the file's data key) crypto-shreds the key, so any copy of the sealed
 * identities is unreadable too.
 */
public final class StagedRows {

    private static final int CHUNK = 10_000;

    private StagedRows() {
    }

    public static void purge(JdbcTemplate jdbc, TransactionTemplate transactions, String intakeId) {
        Long last = jdbc.queryForObject("select max(row_number) from research_record where intake_id = ?", Long.class, intakeId);
        Long lastSealed = jdbc.queryForObject("select max(row_number) from identity_vault where intake_id = ?", Long.class, intakeId);
        long end = Math.max(last == null ? 0 : last, lastSealed == null ? 0 : lastSealed);
        for (long start = 0; start <= end; start += CHUNK) {
            long from = start;
            long to = start + CHUNK;
            transactions.executeWithoutResult(tx -> {
                jdbc.update("delete from identity_vault where intake_id = ? and row_number >= ? and row_number < ?", intakeId, from, to);
                jdbc.update("delete from research_record where intake_id = ? and row_number >= ? and row_number < ?", intakeId, from, to);
            });
        }
        transactions.executeWithoutResult(tx -> {
            jdbc.update("delete from research_family where intake_id = ?", intakeId);
        });
    }
}
