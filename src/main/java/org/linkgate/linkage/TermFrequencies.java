package org.linkgate.linkage;

import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How often each forename and surname of a batch occurs among the records linkage compares it with
 * (the store's linked rows and the batch), counted on the keyed name tokens of {@code linkage_row},
 * never clear names: the term-frequency u of Splink, for {@link FellegiSunterModel#weight(int[], double, double)}.
 * One grouped query per name, set-based; memory is bounded by the batch's distinct names.
 */
final class TermFrequencies {

    /**
     * Floor of a term u (Splink's {@code tf_minimum_u_value}): a name seen twice in five million records
     * would otherwise outweigh a conflicting date of birth.
     */
    static final double MINIMUM_U = 1e-4;
    /** Pseudo-records at the average u that each share is smoothed with. */
    static final double PRIOR_RECORDS = 1000;
    static final TermFrequencies NONE = new TermFrequencies(Map.of(), Map.of(), 0);

    private final Map<String, Integer> forenames;
    private final Map<String, Integer> surnames;
    private final long records;

    private TermFrequencies(Map<String, Integer> forenames, Map<String, Integer> surnames, long records) {
        this.forenames = forenames;
        this.surnames = surnames;
        this.records = records;
    }

    /** The counts of batch {@code intakeId}'s names among its own and the store's linked rows. */
    static TermFrequencies of(JdbcTemplate jdbc, String intakeId) {
        Long total = jdbc.queryForObject("select count(*) from linkage_row where person_id is not null or intake_id = ?",
                Long.class, intakeId);
        return new TermFrequencies(counts(jdbc, "fn", intakeId), counts(jdbc, "sn", intakeId), total == null ? 0 : total);
    }

    private static Map<String, Integer> counts(JdbcTemplate jdbc, String column, String intakeId) {
        Map<String, Integer> out = new HashMap<>();
        // column is one of two constants, never input.
        jdbc.query("select t." + column + ", count(*) from linkage_row t where (t.person_id is not null or t.intake_id = ?)"
                + " and t." + column + " in (select b." + column + " from linkage_row b where b.intake_id = ?)"
                + " group by t." + column, rs -> {
            out.put(rs.getString(1), rs.getInt(2));
        }, intakeId, intakeId);
        return out;
    }

    /** How many records have this forename token; 0 when not counted. */
    int forenameCount(String token) {
        return forenames.getOrDefault(token, 0);
    }

    int surnameCount(String token) {
        return surnames.getOrDefault(token, 0);
    }

    /**
     * The term u of a name held by {@code count} records: its share of the records, smoothed towards the
     * average u of exact agreement by {@link #PRIOR_RECORDS} pseudo-records (in a store of a few records
     * every name looks common), at least {@link #MINIMUM_U}; NaN (no adjustment) for a count of 0.
     */
    double u(int count, double averageU) {
        if (count == 0 || records == 0) {
            return Double.NaN;
        }
        return Math.max(MINIMUM_U, (count + PRIOR_RECORDS * averageU) / (records + PRIOR_RECORDS));
    }
}
