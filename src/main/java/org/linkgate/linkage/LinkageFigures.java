package org.linkgate.linkage;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Linkage quality per batch and cohort: the persons linked to an earlier person at each key level
 * (NEW: not linked), and the false and missed matches the model expects, Σ(1 − p) over the links
 * made and Σ p over the best unlinked candidates of the grey zone. Written when a batch is linked.
 */
final class LinkageFigures {

    /** The level of a row that linked to nobody earlier. */
    static final String NEW = "NEW";
    private final JdbcTemplate jdbc;

    LinkageFigures(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void recordBatch(String intakeId, Map<Long, String> cohorts, Map<Long, BatchLinker.Best> linked,
                     Map<Long, BatchLinker.Best> grey, boolean noCandidates) {
        Map<String, Map<String, Long>> levels = new HashMap<>();
        Map<String, double[]> estimates = new HashMap<>(); // rows, linked, false, missed, review
        for (Map.Entry<Long, String> e : cohorts.entrySet()) {
            BatchLinker.Best best = linked.get(e.getKey());
            String level = best == null ? NEW : KeyLevel.ofCode(best.level()).name();
            levels.computeIfAbsent(e.getValue(), k -> new HashMap<>()).merge(level, 1L, Long::sum);
            double[] est = estimates.computeIfAbsent(e.getValue(), k -> new double[5]);
            est[0]++;
            if (best != null) {
                est[1]++;
                est[2] += 1 - best.probability();
            } else if (grey.containsKey(e.getKey())) {
                est[3] += grey.get(e.getKey()).probability();
                est[4]++;
            }
        }
        jdbc.update("delete from linkage_batch_quality where intake_id = ?", intakeId);
        jdbc.update("delete from linkage_batch_estimate where intake_id = ?", intakeId);
        levels.forEach((cohort, byLevel) -> byLevel.forEach((level, n) -> jdbc.update(
                "insert into linkage_batch_quality (intake_id, cohort, level, persons) values (?, ?, ?, ?)",
                intakeId, cohort, level, n)));
        estimates.forEach((cohort, est) -> jdbc.update("insert into linkage_batch_estimate (intake_id, cohort,"
                + " rows_linked_against, linked, expected_false_matches, expected_missed_matches, review_pairs)"
                + " values (?, ?, ?, ?, ?, ?, ?)", intakeId, cohort, (long) est[0], (long) est[1], est[2], est[3],
                (long) est[4]));
    }

    /** The quality rows of a batch, as the API lists them. */
    List<Map<String, Object>> levels(String intakeId) {
        return jdbc.queryForList("select cohort, level, persons from linkage_batch_quality where intake_id = ?"
                + " order by cohort, level", intakeId);
    }
}
