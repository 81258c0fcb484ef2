package org.linkgate.returns;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.linkgate.fanout.Extracts;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The linked pseudonymised dataset and its linkage quality, for analysts (role ANALYST). Rows
 * hold pseudo ids and derived variables joined to departments' returned data; never an
 * identifier. Paged, so no request pulls the whole store.
 */
@RestController
@RequestMapping("/api")
public class LinkageApi {

    static final int MAX_PAGE = 1000;
    private final JdbcTemplate jdbc;
    private final Extracts extracts;

    public LinkageApi(JdbcTemplate jdbc, Extracts extracts) {
        this.extracts = extracts;
        this.jdbc = jdbc;
    }

    /** Linked records, filtered by council, period and department (all optional), ordered, paged. */
    @GetMapping("/linked")
    public Map<String, Object> linked(@RequestParam(required = false) String council,
                                      @RequestParam(required = false) String period,
                                      @RequestParam(required = false) String department,
                                      @RequestParam(defaultValue = "0") int offset,
                                      @RequestParam(defaultValue = "100") int limit) {
        int size = Math.max(1, Math.min(limit, MAX_PAGE));
        StringBuilder where = new StringBuilder(" where 1 = 1");
        List<Object> args = new ArrayList<>();
        if (council != null) {
            where.append(" and council_code = ?");
            args.add(council);
        }
        if (period != null) {
            where.append(" and period = ?");
            args.add(period);
        }
        if (department != null) {
            where.append(" and department_code = ?");
            args.add(department);
        }
        List<Object> paged = new ArrayList<>(args);
        paged.add(size);
        paged.add(Math.max(0, offset));
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("total", jdbc.queryForObject("select count(*) from linked_dataset" + where, Long.class, args.toArray()));
        page.put("offset", Math.max(0, offset));
        page.put("rows", jdbc.queryForList("select * from linked_dataset" + where
                + " order by pseudo_id, department_code, dataset limit ? offset ?", paged.toArray()));
        return page;
    }

    /**
     * Match rates per extract (so per batch) and dataset, split by cohort, with found / not found / unknown;
     * a significant gap between treatment and
     * comparison (two-proportion z-test at 5 %) is flagged, since it would bias the evaluation.
     */
    @GetMapping("/linkage/quality")
    public List<Map<String, Object>> quality() {
        List<Map<String, Object>> rows = jdbc.queryForList("select q.extract_id, q.dataset, q.cohort, q.sent,"
                + " q.matched, q.found, q.not_found, q.not_known from linkage_quality q"
                + " order by q.extract_id, q.dataset, q.cohort");
        // Department, batch and period of each extract, from fan-out's ledger; listed by department, then extract.
        Map<String, Extracts.Facts> facts = extracts.facts(rows.stream().map(r -> (String) r.get("extract_id"))
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)));
        Extracts.Facts unknown = new Extracts.Facts(null, "", null, null);
        rows.sort(java.util.Comparator.comparing(
                (Map<String, Object> r) -> facts.getOrDefault((String) r.get("extract_id"), unknown).departmentCode()));
        Map<String, Map<String, Object>> byDataset = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            String key = row.get("extract_id") + "/" + row.get("dataset");
            Extracts.Facts extract = facts.getOrDefault((String) row.get("extract_id"), unknown);
            Map<String, Object> entry = byDataset.computeIfAbsent(key, k -> {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("department", extract.departmentCode());
                e.put("extractId", row.get("extract_id"));
                e.put("intakeId", extract.intakeId());
                e.put("period", extract.period());
                e.put("dataset", row.get("dataset"));
                return e;
            });
            long sent = ((Number) row.get("sent")).longValue();
            long matched = ((Number) row.get("matched")).longValue();
            Map<String, Object> cohort = new LinkedHashMap<>();
            cohort.put("sent", sent);
            cohort.put("matched", matched);
            cohort.put("rate", sent == 0 ? 0.0 : (double) matched / sent);
            // From the returns' matched column: found, not found, no word (null for figures older than V32).
            cohort.put("found", row.get("found"));
            cohort.put("notFound", row.get("not_found"));
            cohort.put("unknown", row.get("not_known"));
            entry.put(String.valueOf(row.get("cohort")).toLowerCase(), cohort);
        }
        for (Map<String, Object> entry : byDataset.values()) {
            long[] t = counts(entry.get("treatment"));
            long[] c = counts(entry.get("comparison"));
            entry.put("cohortGapFlagged", LinkageQuality.cohortGapFlagged(t[0], t[1], c[0], c[1]));
        }
        return new ArrayList<>(byDataset.values());
    }

    @SuppressWarnings("unchecked")
    private static long[] counts(Object cohort) {
        if (!(cohort instanceof Map<?, ?> map)) {
            return new long[] {0, 0};
        }
        Map<String, Object> values = (Map<String, Object>) map;
        return new long[] {((Number) values.get("sent")).longValue(), ((Number) values.get("matched")).longValue()};
    }
}
