package org.linkgate.fanout;

import java.util.List;
import org.linkgate.kernel.BulkInsert;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records who was sent in an extract ({@code extract_member}), in chunks ({@link BulkInsert}: COPY on
 * PostgreSQL, JDBC batches on H2), each batch
 * committed in a short transaction of its own, holding at most one batch in memory. The
 * transaction template must start a new transaction (REQUIRES_NEW) when called while the
 * extract's read transaction is open, so that each batch commits on its own.
 */
final class ExtractMemberRecorder {

    static final int BATCH = 5000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransactions;
    private final String extractId;
    private final String intakeId;
    private final BulkInsert pending;

    ExtractMemberRecorder(JdbcTemplate jdbc, TransactionTemplate ownTransactions, String extractId, String intakeId) {
        this.jdbc = jdbc;
        this.ownTransactions = ownTransactions;
        this.extractId = extractId;
        this.intakeId = intakeId;
        this.pending = new BulkInsert(jdbc.getDataSource(), ownTransactions, "extract_member",
                List.of("extract_id", "department_token", "pseudo_id", "intake_id", "row_number", "cohort"), BATCH);
    }

    /** Removes the members of an earlier, interrupted attempt at this extract; returns how many. */
    int removeEarlierAttempt() {
        Integer removed = ownTransactions.execute(
                tx -> jdbc.update("delete from extract_member where extract_id = ?", extractId));
        return removed == null ? 0 : removed;
    }

    void add(String departmentToken, String pseudoId, long rowNumber, String cohort) {
        pending.add(extractId, departmentToken, pseudoId, intakeId, rowNumber, cohort);
    }

    void flush() {
        pending.flush();
    }

    long recorded() {
        return pending.written();
    }
}
