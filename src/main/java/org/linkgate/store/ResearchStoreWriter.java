package org.linkgate.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.linkgate.kernel.BulkInsert;
import org.linkgate.pseudonymisation.ResearchRecord;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stages one file's research records and sealed identities in chunks ({@link BulkInsert}: COPY on
 * PostgreSQL, JDBC batches on H2), each chunk in a short transaction of its own, holding at most
 * one chunk in memory. Staged rows are not research records until the file's status says so (see
 * {@link StagedRows}). Whole-file rules that would need every row in memory (unique person_ref,
 * family size) are done in SQL once all rows are in: set-based on PostgreSQL, which spills to
 * disk within its work_mem; by one ordered index scan on H2, whose grouping would hold every
 * group in the heap.
 */
public final class ResearchStoreWriter {

    private static final int BATCH = 1000;
    /** Rows per COPY and per short transaction on PostgreSQL: a few MB of memory (H2: fewer, see BulkInsert). */
    static final int CHUNK = 5000;
    private static final List<String> RECORD_COLUMNS = List.of("intake_id", "row_number", "pseudo_id",
            "family_pseudo_id", "person_ref_key", "council_code", "period", "cohort", "sex", "age_at_identification",
            "age_band", "identified_month", "crime_asb", "education", "children_in_need", "worklessness",
            "domestic_abuse", "health", "problem_count", "pseudonymisation_version");
    private static final List<String> IDENTITY_COLUMNS = List.of("intake_id", "row_number", "pseudo_id", "sealed");

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final String intakeId;
    private final BulkInsert records;
    private final BulkInsert identities;
    private final boolean postgres;
    private final int chunk;
    private long added;
    private long removed;

    public ResearchStoreWriter(JdbcTemplate jdbc, TransactionTemplate transactions, String intakeId) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.intakeId = intakeId;
        // Each chunk commits both tables in one transaction: a record never stands without its identity.
        this.records = new BulkInsert(jdbc.getDataSource(), transactions, "research_record", RECORD_COLUMNS, Integer.MAX_VALUE);
        this.identities = new BulkInsert(jdbc.getDataSource(), transactions, "identity_vault", IDENTITY_COLUMNS,
                Integer.MAX_VALUE);
        this.postgres = Boolean.TRUE.equals(jdbc.execute((ConnectionCallback<Boolean>) ResearchStoreWriter::isPostgres));
        this.chunk = postgres ? CHUNK : BulkInsert.H2_TRANSACTION_ROWS;
    }

    private static boolean isPostgres(Connection connection) throws SQLException {
        return connection.isWrapperFor(org.postgresql.PGConnection.class);
    }

    public void add(ResearchRecord r, byte[] sealedIdentity) {
        ResearchRecord.ProblemFlags p = r.problems();
        records.add(intakeId, r.rowNumber(), r.pseudoId(), r.familyPseudoId(), r.personRefKey(),
                r.councilCode(), r.period(), r.cohort(), r.sex(), r.ageAtIdentification(), r.ageBand().label(),
                r.identifiedMonth(), p.crimeAsb(), p.education(), p.childrenInNeed(), p.worklessness(),
                p.domesticAbuse(), p.health(), p.count(), r.pseudonymisationVersion());
        identities.add(intakeId, r.rowNumber(), r.pseudoId(), sealedIdentity);
        if (++added % chunk == 0) {
            flush();
        }
    }

    public void flush() {
        transactions.executeWithoutResult(tx -> {
            records.flush();
            identities.flush();
        });
    }

    public long written() {
        return records.written() - removed;
    }

    /**
     * Removes every row whose person_ref already appeared earlier in the file (the first one
     * stands), telling {@code duplicateRow} each removed row number; returns how many. A window
     * over the ref index on PostgreSQL (only duplicates come back: the driver would otherwise hold
     * the whole scan in the heap), one ordered index scan on H2; correlated subqueries would be
     * quadratic here, as every row of the file shares the intake id.
     */
    public long removeLaterDuplicates(LongConsumer duplicateRow) {
        flush();
        List<Object[]> doomed = new ArrayList<>();
        long[] count = {0};
        if (postgres) {
            // Only the duplicates leave the database; the window runs over the (intake, ref, row) index.
            jdbc.query("select row_number from (select row_number, row_number() over (partition by person_ref_key"
                    + " order by row_number) as nth from research_record where intake_id = ?) ranked where nth > 1"
                    + " order by row_number", rs -> {
                long row = rs.getLong(1);
                duplicateRow.accept(row);
                doomed.add(new Object[] {intakeId, row});
                count[0]++;
            }, intakeId);
        } else {
            String[] previous = {null};
            jdbc.query("select person_ref_key, row_number from research_record where intake_id = ?"
                    + " order by person_ref_key, row_number", rs -> {
                String key = rs.getString(1);
                if (key.equals(previous[0])) {
                    long row = rs.getLong(2);
                    duplicateRow.accept(row);
                    doomed.add(new Object[] {intakeId, row});
                    count[0]++;
                }
                previous[0] = key;
            }, intakeId);
        }
        // Duplicates are bad rows, so their number is bounded by the bad-row threshold.
        if (!doomed.isEmpty()) {
            transactions.executeWithoutResult(tx -> {
                jdbc.batchUpdate("delete from identity_vault where intake_id = ? and row_number = ?", doomed);
                jdbc.batchUpdate("delete from research_record where intake_id = ? and row_number = ?", doomed);
            });
        }
        removed += count[0];
        return count[0];
    }

    /**
     * Family size: members of the same family (by family pseudo id) accepted from this file.
     * One set-based insert on PostgreSQL; on H2 one ordered scan counts each family. Each family
     * is one row of research_family.
     */
    public void computeFamilySizes() {
        flush();
        if (postgres) {
            transactions.executeWithoutResult(tx -> jdbc.update("insert into research_family (intake_id,"
                    + " family_pseudo_id, family_size) select intake_id, family_pseudo_id, count(*) from research_record"
                    + " where intake_id = ? group by intake_id, family_pseudo_id", intakeId));
            return;
        }
        List<Object[]> updates = new ArrayList<>(BATCH);
        String[] family = {null};
        int[] size = {0};
        jdbc.query("select family_pseudo_id from research_record where intake_id = ? order by family_pseudo_id", rs -> {
            String id = rs.getString(1);
            if (!id.equals(family[0])) {
                addFamilySize(updates, family[0], size[0]);
                family[0] = id;
                size[0] = 0;
            }
            size[0]++;
        }, intakeId);
        addFamilySize(updates, family[0], size[0]);
        flushFamilySizes(updates);
    }

    private void addFamilySize(List<Object[]> updates, String family, int size) {
        if (family == null) {
            return;
        }
        updates.add(new Object[] {intakeId, family, size});
        if (updates.size() >= BATCH) {
            flushFamilySizes(updates);
        }
    }

    private void flushFamilySizes(List<Object[]> updates) {
        if (!updates.isEmpty()) {
            transactions.executeWithoutResult(tx -> jdbc.batchUpdate(
                    "insert into research_family (intake_id, family_pseudo_id, family_size) values (?, ?, ?)", updates));
            updates.clear();
        }
    }
}
