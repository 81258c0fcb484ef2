package org.linkgate.linkage;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.linkgate.kernel.BulkInsert;
import org.linkgate.pseudonymisation.IdentityRecord;
import org.linkgate.pseudonymisation.PseudonymisationKey;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Where intake hands linkage the clear identity of each valid row, once, in the pseudonymise stage:
 * the row's match keys and comparison tokens are computed there ({@link MatchEncoder}) and staged
 * beside its research record. Staged keys take effect only when {@link BatchLinker} links the
 * accepted batch; a rejected batch's are purged with its rows ({@link #purge}).
 */
@Component
public class MatchKeys {

    private static final int BATCH = 5000;
    private static final List<String> KEY_COLUMNS = List.of("intake_id", "row_number", "key_level", "key_hash");
    private static final List<String> ROW_COLUMNS = Stream.of(Stream.of("intake_id", "row_number"),
            ComparisonRecord.COLUMNS.stream(), Stream.of("v1_id", "cohort")).flatMap(s -> s).toList();
    private final PseudonymisationKey key;
    private final ForenameVariants variants;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    public MatchKeys(PseudonymisationKey key, JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.key = key;
        this.variants = ForenameVariants.shipped();
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** An encoder under the gateway's key (not thread-safe). */
    public MatchEncoder encoder() {
        return new MatchEncoder(key, variants);
    }

    /** A writer for one batch's rows; call {@link Staging#flush} once the last row is added. */
    public Staging forBatch(String intakeId) {
        return new Staging(intakeId, encoder());
    }

    /** Deletes the staged keys of rows the store dropped after staging (later duplicates of a person_ref). */
    static void forgetRows(JdbcTemplate jdbc, String intakeId, java.util.Collection<Long> rows) {
        List<Object[]> args = rows.stream().map(row -> new Object[] {intakeId, row}).toList();
        jdbc.batchUpdate("delete from linkage_key where intake_id = ? and row_number = ?", args);
        jdbc.batchUpdate("delete from linkage_row where intake_id = ? and row_number = ?", args);
    }

    /** Deletes the staged keys of a batch that will not take effect (or whose identity is destroyed). */
    public void purge(String intakeId) {
        transactions.executeWithoutResult(tx -> {
            jdbc.update("delete from linkage_key where intake_id = ?", intakeId);
            jdbc.update("delete from linkage_row where intake_id = ?", intakeId);
        });
    }

    /**
     * Stages one batch's keys and comparison tokens through {@link BulkInsert} (COPY on PostgreSQL, a JDBC
     * batch on H2), both tables of a chunk in one short transaction, at most one chunk in memory.
     */
    public final class Staging {
        private final String intakeId;
        private final MatchEncoder encoder;
        private final BulkInsert keyRows;
        private final BulkInsert comparisonRows;
        private final int rowsPerTransaction;
        private int pending;

        private Staging(String intakeId, MatchEncoder encoder) {
            this.intakeId = intakeId;
            this.encoder = encoder;
            this.keyRows = new BulkInsert(jdbc.getDataSource(), transactions, "linkage_key", KEY_COLUMNS,
                    Integer.MAX_VALUE);
            this.comparisonRows = new BulkInsert(jdbc.getDataSource(), transactions, "linkage_row", ROW_COLUMNS,
                    Integer.MAX_VALUE);
            // 13 key rows and one comparison row per source row: on H2 the short transactions are shorter.
            this.rowsPerTransaction = BulkInsert.transactionRows(jdbc.getDataSource(), BATCH);
        }

        /**
         * Stages one row: its match keys and comparison tokens, and the two facts linkage keeps of the
         * research record (its v1 pseudo id, which a new person keeps, and its cohort, for the quality figures).
         */
        public void add(long rowNumber, IdentityRecord identity, String pseudoId, String cohort) {
            MatchEncoder.Parts parts = MatchEncoder.parts(identity);
            for (Map.Entry<KeyLevel, String> k : encoder.keys(parts).entrySet()) {
                keyRows.add(intakeId, rowNumber, k.getKey().code(), k.getValue());
            }
            Object[] tokens = encoder.comparison(parts).values();
            Object[] row = new Object[tokens.length + 4];
            row[0] = intakeId;
            row[1] = rowNumber;
            System.arraycopy(tokens, 0, row, 2, tokens.length);
            row[tokens.length + 2] = pseudoId;
            row[tokens.length + 3] = cohort;
            comparisonRows.add(row);
            if (++pending >= rowsPerTransaction) {
                flush();
            }
        }

        public void flush() {
            if (pending == 0) {
                return;
            }
            transactions.executeWithoutResult(tx -> {
                keyRows.flush();
                comparisonRows.flush();
            });
            pending = 0;
        }
    }
}
