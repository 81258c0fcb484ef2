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

    /** Recomputes a linked batch's figures in SQL, whatever its size (delete, then insert). */
    void recordBatch(String intakeId) {
        jdbc.update("delete from linkage_batch_quality where intake_id = ?", intakeId);
        jdbc.update("delete from linkage_batch_estimate where intake_id = ?", intakeId);
        Map<Integer, String> names = new HashMap<>();
        for (KeyLevel level : KeyLevel.values()) {
            names.put(level.code(), level.name());
        }
        for (Map<String, Object> row : jdbc.queryForList("select l.cohort, coalesce(l.link_level, 0) as lvl,"
                + " count(*) as n from linkage_row l"
                + " where l.intake_id = ? group by l.cohort, coalesce(l.link_level, 0)", intakeId)) {
            jdbc.update("insert into linkage_batch_quality (intake_id, cohort, level, persons) values (?, ?, ?, ?)",
                    intakeId, row.get("cohort"), names.getOrDefault(((Number) row.get("lvl")).intValue(), NEW),
                    ((Number) row.get("n")).longValue());
        }
        jdbc.update("insert into linkage_batch_estimate (intake_id, cohort, rows_linked_against, linked,"
                + " expected_false_matches, expected_missed_matches, review_pairs)"
                + " select l.intake_id, l.cohort, count(*), count(l.link_level),"
                + " coalesce(sum(case when l.link_level is not null then 1 - l.link_probability end), 0),"
                + " coalesce(sum(case when l.link_level is null then l.grey_probability end), 0),"
                + " count(case when l.link_level is null and l.grey_probability is not null then 1 end)"
                + " from linkage_row l"
                + " where l.intake_id = ? group by l.intake_id, l.cohort", intakeId);
    }

    /** The quality rows of a batch, as the API lists them. */
    List<Map<String, Object>> levels(String intakeId) {
        return jdbc.queryForList("select cohort, level, persons from linkage_batch_quality where intake_id = ?"
                + " order by cohort, level", intakeId);
    }
}
