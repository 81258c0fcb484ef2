package org.linkgate.store;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.linkgate.pseudonymisation.ResearchRecord;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes one file's research records and sealed identities in JDBC batches, inside the
 * caller's transaction, holding at most one batch in memory. Whole-file rules that would need
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
    private static final String LATER_DUPLICATES = "select r.row_number from research_record r where r.intake_id = ?"
            + " and exists (select 1 from research_record o where o.intake_id = r.intake_id"
            + " and o.person_ref_key = r.person_ref_key and o.row_number < r.row_number)";

    private final JdbcTemplate jdbc;
    private final String intakeId;
    private final List<Object[]> records = new ArrayList<>(BATCH);
    private final List<Object[]> identities = new ArrayList<>(BATCH);
    private long written;

    public ResearchStoreWriter(JdbcTemplate jdbc, String intakeId) {
        this.jdbc = jdbc;
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
        jdbc.batchUpdate(INSERT_RECORD, records);
        jdbc.batchUpdate(INSERT_IDENTITY, identities);
        written += records.size();
        records.clear();
        identities.clear();
    }

    public long written() {
        return written;
    }

    /**
     * Removes every row whose person_ref already appeared earlier in the file (the first one
     * stands), telling {@code duplicateRow} each removed row number; returns how many.
     */
    public long removeLaterDuplicates(LongConsumer duplicateRow) {
        flush();
        long[] count = {0};
        jdbc.query(LATER_DUPLICATES + " order by r.row_number", rs -> {
            duplicateRow.accept(rs.getLong(1));
            count[0]++;
        }, intakeId);
        if (count[0] > 0) {
            jdbc.update("delete from identity_vault where intake_id = ? and row_number in (" + LATER_DUPLICATES + ")",
                    intakeId, intakeId);
            jdbc.update("delete from research_record where intake_id = ? and row_number in (" + LATER_DUPLICATES + ")",
                    intakeId, intakeId);
        }
        written -= count[0];
        return count[0];
    }

    /** Family size: members of the same family (by family pseudo id) accepted from this file. */
    public void computeFamilySizes() {
        flush();
        jdbc.update("merge into research_record r using (select intake_id, family_pseudo_id, count(*) as n"
                + " from research_record where intake_id = ? group by intake_id, family_pseudo_id) s"
                + " on (r.intake_id = s.intake_id and r.family_pseudo_id = s.family_pseudo_id)"
                + " when matched then update set family_size = s.n", intakeId);
    }
}
