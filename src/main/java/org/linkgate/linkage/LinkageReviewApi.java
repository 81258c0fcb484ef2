package org.linkgate.linkage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * What linkage decided, for analysts: the grey-zone pairs to review (ANALYST or ADMIN; an ADMIN
 * decides them through {@link LinkageDecisionApi}) and the quality of each batch's linkage (ANALYST).
 * Pseudo ids, agreement patterns and counts only: never an identity, a match key or a row number that
 * could be joined back to a council's file.
 */
@RestController
@RequestMapping("/api/linkage")
public class LinkageReviewApi {

    static final int MAX_PAGE = 1000;
    /** A review pair as the API shows it: pseudo ids, pattern, scores and the decision, never a row number. */
    static final String PAIR_SELECT = "select id, intake_id as \"intakeId\", person_id as \"personId\","
            + " candidate_id as \"candidateId\", pattern, match_weight as \"matchWeight\", probability,"
            + " created_at as \"createdAt\", decision, decided_at as \"decidedAt\", decided_by as \"decidedBy\","
            + " decision_reference as \"reference\" from linkage_review";
    private final JdbcTemplate jdbc;

    public LinkageReviewApi(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Pairs scored between the review and the match probability (or above it but vetoed), newest batch
     * first: the pair's id (to accept or reject it, {@link LinkageDecisionApi}), the person the row was
     * given, the earlier person it might be, the agreement pattern (e.g. {@code fn3 sn0 dob3 sex1 pc0 nhs-}),
     * match weight and probability, and the decision if any. {@code status}: {@code undecided} (default),
     * {@code decided} or {@code all}.
     */
    @GetMapping("/review")
    public Map<String, Object> review(@RequestParam(required = false) String intake,
                                      @RequestParam(defaultValue = "undecided") String status,
                                      @RequestParam(defaultValue = "0") int offset,
                                      @RequestParam(defaultValue = "100") int limit) {
        int size = Math.max(1, Math.min(limit, MAX_PAGE));
        List<String> conditions = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        if (intake != null) {
            conditions.add("intake_id = ?");
            args.add(intake);
        }
        switch (status) {
            case "undecided" -> conditions.add("decision is null");
            case "decided" -> conditions.add("decision is not null");
            case "all" -> { }
            default -> throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "status: undecided, decided or all");
        }
        String where = conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("total", jdbc.queryForObject("select count(*) from linkage_review" + where, Long.class, args.toArray()));
        page.put("offset", Math.max(0, offset));
        args.add(size);
        args.add(Math.max(0, offset));
        page.put("pairs", jdbc.queryForList(PAIR_SELECT + where
                + " order by created_at desc, probability desc, id limit ? offset ?", args.toArray()));
        return page;
    }

    /** The undecided pairs, as {@link #review(String, String, int, int)}. */
    public Map<String, Object> review(String intake, int offset, int limit) {
        return review(intake, "undecided", offset, limit);
    }

    /**
     * Per linked batch and cohort: rows, the share linked to an earlier person and at which key level,
     * the false-match and missed-match rates the model expects, and whether treatment and comparison
     * were linked at significantly different rates (two-proportion z-test at 5 %).
     */
    @GetMapping("/batches")
    public List<Map<String, Object>> batches(@RequestParam(required = false) String council) {
        List<Object> args = new ArrayList<>();
        String where = "";
        if (council != null) {
            where = " where m.council_code = ?";
            args.add(council);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> batch : jdbc.queryForList("select m.intake_id, m.council_code, m.period,"
                + " m.candidate_pairs, m.em_iterations, m.model_json from linkage_model m" + where + " order by m.estimated_at, m.intake_id",
                args.toArray())) {
            String intakeId = (String) batch.get("intake_id");
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("intakeId", intakeId);
            entry.put("council", batch.get("council_code"));
            entry.put("period", batch.get("period"));
            entry.put("candidatePairs", batch.get("candidate_pairs"));
            entry.put("emIterations", batch.get("em_iterations"));
            Map<String, long[]> linkedShare = new LinkedHashMap<>();
            for (Map<String, Object> est : jdbc.queryForList("select * from linkage_batch_estimate where intake_id = ?"
                    + " order by cohort", intakeId)) {
                String cohort = (String) est.get("cohort");
                long rows = ((Number) est.get("rows_linked_against")).longValue();
                long linked = ((Number) est.get("linked")).longValue();
                double expectedFalse = ((Number) est.get("expected_false_matches")).doubleValue();
                double expectedMissed = ((Number) est.get("expected_missed_matches")).doubleValue();
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("rows", rows);
                c.put("linked", linked);
                c.put("linkedShare", rows == 0 ? 0.0 : (double) linked / rows);
                c.put("estimatedFalseMatchRate", linked == 0 ? 0.0 : expectedFalse / linked);
                c.put("estimatedMissedMatchRate", linked + expectedMissed == 0 ? 0.0 : expectedMissed / (linked + expectedMissed));
                c.put("reviewPairs", est.get("review_pairs"));
                Map<String, Object> levels = new LinkedHashMap<>();
                for (Map<String, Object> level : jdbc.queryForList("select level, persons from linkage_batch_quality"
                        + " where intake_id = ? and cohort = ? order by level", intakeId, cohort)) {
                    long persons = ((Number) level.get("persons")).longValue();
                    levels.put((String) level.get("level"), Map.of("persons", persons,
                            "share", rows == 0 ? 0.0 : (double) persons / rows));
                }
                c.put("levels", levels);
                entry.put(cohort.toLowerCase(java.util.Locale.ROOT), c);
                linkedShare.put(cohort, new long[] {linked, rows});
            }
            long[] t = linkedShare.getOrDefault("TREATMENT", new long[2]);
            long[] k = linkedShare.getOrDefault("COMPARISON", new long[2]);
            entry.put("cohortDifferenceZ", Significance.z(t[0], t[1], k[0], k[1]));
            entry.put("cohortDifferenceFlagged", Significance.differs(t[0], t[1], k[0], k[1]));
            out.add(entry);
        }
        return out;
    }
}
