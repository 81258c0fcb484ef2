package org.linkgate.store;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.linkgate.pseudonymisation.ResearchRecord;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stages one file's research records and sealed identities in JDBC batches, each batch in a
 * short transaction of its own, holding at most one batch in memory. Staged rows are not
 * research records until the file's status says so (see {@link StagedRows}). Whole-file rules that would need
 * every row in memory (unique person_ref, family size) are done in SQL once all rows are in.
 */
public final class ResearchStoreWriter {

    private static final int BATCH = 1000;
    private static final String INSERT_RECORD = "insert into research_record (intake_id, row_number, pseudo_id,"
            + " family_pseudo_id, person_ref_key, council_code, period, cohort, sex, age_at_identification, age_band,"
            + " identified_month, crime_asb, education, children_in_need, worklessness, domestic_abuse, health,"
            + " problem_count, pseudonymisation_version) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_IDENTITY =
            "insert into identity_vault (intake_id, row_number, pseudo_id, sealed) values (?, ?, ?, ?)";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final String intakeId;
    private final List<Object[]> records = new ArrayList<>(BATCH);
    private final List<Object[]> identities = new ArrayList<>(BATCH);
    private long written;

    public ResearchStoreWriter(JdbcTemplate jdbc, TransactionTemplate transactions, String intakeId) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.intakeId = intakeId;
    }

    public void add(ResearchRecord r, byte[] sealedIdentity) {
        ResearchRecord.ProblemFlags p = r.problems();
        records.add(new Object[] {intakeId, r.rowNumber(), r.pseudoId(), r.familyPseudoId(), r.personRefKey(),
                r.councilCode(), r.period(), r.cohort(), r.sex(), r.ageAtIdentification(), r.ageBand().label(),
                r.identifiedMonth(), p.crimeAsb(), p.education(), p.childrenInNeed(), p.worklessness(),
                p.domesticAbuse(), p.health(), p.count(), r.pseudonymisationVersion()});
        identities.add(new Object[] {intakeId, r.rowNumber(), r.pseudoId(), sealedIdentity});
        if (records.size() >= BATCH) {
            flush();
        }
    }

    public void flush() {
        if (records.isEmpty()) {
            return;
        }
        transactions.executeWithoutResult(tx -> {
            jdbc.batchUpdate(INSERT_RECORD, records);
            jdbc.batchUpdate(INSERT_IDENTITY, identities);
        });
        written += records.size();
        records.clear();
        identities.clear();
    }

    public long written() {
        return written;
    }

    /**
     * Removes every row whose person_ref already appeared earlier in the file (the first one
     * stands), telling {@code duplicateRow} each removed row number; returns how many. One
     * ordered index scan, constant memory: correlated subqueries would be quadratic here, as
     * every row of the file shares the intake id.
     */
    public long removeLaterDuplicates(LongConsumer duplicateRow) {
        flush();
        List<Object[]> doomed = new ArrayList<>();
        long[] count = {0};
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
        // Duplicates are bad rows, so their number is bounded by the bad-row threshold.
        if (!doomed.isEmpty()) {
            transactions.executeWithoutResult(tx -> {
                jdbc.batchUpdate("delete from identity_vault where intake_id = ? and row_number = ?", doomed);
                jdbc.batchUpdate("delete from research_record where intake_id = ? and row_number = ?", doomed);
            });
        }
        written -= count[0];
        return count[0];
    }

    /**
     * Family size: members of the same family (by family pseudo id) accepted from this file.
     * One ordered scan counts each family; each family is one row of research_family.
     */
    public void computeFamilySizes() {
        flush();
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
