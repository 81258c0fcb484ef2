package org.linkgate.disclosure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Counts people per cell — cohort × breakdown × outcome — from the {@code linked_dataset} view,
 * in one ordered scan per scope streamed with a cursor (memory holds one person, not the
 * dataset), and protects each table with the agreement's disclosure control. A person appearing
 * in several rows (one per returned record) is counted once, with the outcome if any row meets
 * the measure's condition. The outcome dimension carries numerator ("yes") and denominator (the
 * total) in one table, so suppression also protects "no" cells that a reader could otherwise get
 * by subtracting a published numerator from a published base.
 */
@Component
public class TableBuilder {

    static final int FETCH_SIZE = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> VARIABLES = List.of("pseudo_id", "council_code", "period", "cohort", "sex", "age_band",
            "problem_count", "crime_asb", "education", "children_in_need", "worklessness", "domestic_abuse", "health");

    private final JdbcTemplate jdbc;
    private final TransactionTemplate readOnly;
    private final java.util.function.Supplier<MeasureBases> bases;

    /** With the measures' declared bases (no departments configured: tools and tests). */
    public TableBuilder(DataSource dataSource) {
        this(dataSource, MeasureBases::declared);
    }

    /** Measure bases follow the departments' configured filters, read afresh for every build. */
    @org.springframework.beans.factory.annotation.Autowired
    public TableBuilder(DataSource dataSource, org.linkgate.agreement.PartnerRegistry registry) {
        this(dataSource, () -> MeasureBases.of(registry));
    }

    public TableBuilder(DataSource dataSource, java.util.function.Supplier<MeasureBases> bases) {
        this.jdbc = new JdbcTemplate(Objects.requireNonNull(dataSource, "dataSource"));
        this.jdbc.setFetchSize(FETCH_SIZE);
        this.readOnly = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.readOnly.setReadOnly(true);
        this.bases = bases;
    }

    /** The bases in force now. */
    public MeasureBases bases() {
        return bases.get();
    }

    /** Counts and protects one table. */
    public OutcomeTable build(TableSpec spec, DisclosureRules rules) {
        return OutcomeTable.protect(spec, count(List.of(spec)).get(spec), rules);
    }

    /**
     * Counts several tables of one scope in one scan and protects them as one release against
     * a recipient who knows every person of the scope ({@link ReleaseProtection}): the council's
     * feedback pack.
     */
    public List<OutcomeTable> buildAll(List<TableSpec> specs, DisclosureRules rules) {
        return new ReleaseProtection(rules).protect(release(specs), specs, List.of()).tables();
    }

    /** The unprotected counts of tables that share one scope (for the protection step and tests). */
    public Map<TableSpec, FrequencyTable> count(List<TableSpec> specs) {
        return scan(specs, null, java.util.Set.of(), bases.get(), null).counts();
    }

    /**
     * The counts of tables that share one scope and, per measure, the groups the recipient can
     * tell apart ({@link ReleaseData#groups()}): what a release is protected on as one model.
     */
    public ReleaseData release(List<TableSpec> specs) {
        return release(specs, (CellKeyPerturbation) null);
    }

    /**
     * The same, each group also carrying the sum of its with-outcome members' record keys under
     * {@code keys} (null: none), so every cell's cell key is the sum of its groups'.
     */
    public ReleaseData release(List<TableSpec> specs, CellKeyPerturbation keys) {
        MeasureBases current = bases.get();
        ReleaseData data = scan(specs, null, java.util.Set.of(), current, keys);
        return new ReleaseData(data.counts(), data.groups(), current);
    }

    /**
     * The counts of tables over parts of one set of people ({@code universe}: a council or all, a
     * period or all, no filter), each counted within its own scope, and per measure the
     * person-level groups of the universe told apart by council, period, cohort, every breakdown
     * and filter of the specs and the {@code extra} breakdowns (the filters and breakdowns of
     * earlier tables over the same people): every cell of every one of those tables is a sum of
     * these groups, so one model sees how a filtered table's cells relate to an unfiltered one's.
     */
    public ReleaseData release(List<TableSpec> specs, TableSpec.Scope universe, java.util.Set<Breakdown> extra) {
        return release(specs, universe, extra, null);
    }

    /** The same, with the groups' record-key sums under {@code keys} (null: none). */
    public ReleaseData release(List<TableSpec> specs, TableSpec.Scope universe, java.util.Set<Breakdown> extra,
                               CellKeyPerturbation keys) {
        if (!universe.filter().isEmpty()) {
            throw new IllegalArgumentException("the people a release is modelled over are not filtered");
        }
        for (TableSpec s : specs) {
            if (universe.council() != null && !universe.council().equals(s.scope().council())
                    || universe.period() != null && !universe.period().equals(s.scope().period())) {
                throw new IllegalArgumentException("a table counted over a universe must lie within it");
            }
        }
        MeasureBases current = bases.get();
        return scan(specs, universe, extra, current, keys);
    }

    private ReleaseData scan(List<TableSpec> specs, TableSpec.Scope universe, java.util.Set<Breakdown> extra,
                             MeasureBases bases, CellKeyPerturbation keys) {
        if (specs.isEmpty()) {
            return new ReleaseData(Map.of(), Map.of(), bases);
        }
        TableSpec.Scope scope = universe != null ? universe : specs.get(0).scope();
        if (universe == null && specs.stream().anyMatch(s -> !s.scope().equals(scope))) {
            throw new IllegalArgumentException("tables counted together must share their scope");
        }
        List<Measure> measures = specs.stream().map(TableSpec::measure).distinct().toList();
        List<Object> parameters = new ArrayList<>();
        StringBuilder sql = new StringBuilder("select ").append(String.join(", ", VARIABLES));
        for (int i = 0; i < measures.size(); i++) {
            Measure m = measures.get(i);
            java.util.Optional<Breakdown.SqlCondition> base = bases.condition(m);
            if (base.isPresent()) {
                sql.append(", case when ").append(base.get().sql()).append(" then 1 else 0 end as base_").append(i);
                parameters.addAll(base.get().parameters());
            } else {
                sql.append(", 1 as base_").append(i);
            }
        }
        // Only the rows of the measures' datasets carry their data out of the database.
        sql.append(", department_code, dataset, case when ");
        for (int i = 0; i < measures.size(); i++) {
            sql.append(i == 0 ? "" : " or ").append("(department_code = ? and dataset = ?)");
            parameters.add(measures.get(i).department());
            parameters.add(measures.get(i).dataset());
        }
        sql.append(" then data end as data from linked_dataset where 1 = 1");
        if (scope.council() != null) {
            sql.append(" and council_code = ?");
            parameters.add(scope.council());
        }
        if (scope.period() != null) {
            sql.append(" and period = ?");
            parameters.add(scope.period());
        }
        for (Map.Entry<Breakdown, String> filter : scope.filter().entrySet()) {
            Breakdown.SqlCondition condition = filter.getKey().filter(filter.getValue());
            sql.append(" and ").append(condition.sql());
            parameters.addAll(condition.parameters());
        }
        sql.append(" order by pseudo_id");

        Map<TableSpec, FrequencyTable.Builder> builders = new LinkedHashMap<>();
        specs.forEach(s -> builders.put(s, FrequencyTable.builder(s.dimensions())));
        Scan scan = new Scan(specs, measures, builders, extra, keys);
        readOnly.executeWithoutResult(tx -> jdbc.query(sql.toString(), scan::row, parameters.toArray()));
        scan.flush();
        Map<TableSpec, FrequencyTable> tables = new LinkedHashMap<>();
        builders.forEach((s, b) -> tables.put(s, b.build()));
        return new ReleaseData(tables, scan.groups(), bases);
    }

    /**
     * Counted tables of one scope, and per measure the groups of its base that a recipient who
     * knows every person's cohort and breakdown categories can tell apart (each with its size and
     * how many have the outcome; the sizes are the council's knowledge, the outcomes are what a
     * release must protect).
     */
    public record ReleaseData(Map<TableSpec, FrequencyTable> counts, Map<Measure, List<Group>> groups,
                              MeasureBases bases) {
    }

    /**
     * People of a measure's base alike in cohort and every breakdown of the release;
     * {@code outcomeKey} is the sum of the record keys of those with the outcome, mod 256 (0 when
     * no cell keys were asked for).
     */
    public record Group(String council, String period, String cohort, Map<Breakdown, String> categories, long persons,
                        long withOutcome, int outcomeKey) {

        public Group(String council, String period, String cohort, Map<Breakdown, String> categories, long persons,
                     long withOutcome) {
            this(council, period, cohort, categories, persons, withOutcome, 0);
        }
    }

    /** The person being read: rows of one pseudo_id arrive together (ordered scan). */
    private static final class Scan {
        private final List<TableSpec> specs;
        private final List<Measure> measures;
        private final Map<TableSpec, FrequencyTable.Builder> builders;
        private String pseudoId;
        private String council;
        private String period;
        private String cohort;
        private final Map<Breakdown, String> labels = new EnumMap<>(Breakdown.class);
        private final boolean[] inBase;
        private final boolean[] outcome;
        private final List<Breakdown> grouping;
        /** Per measure: group categories (cohort first) to {persons, with outcome, outcome record-key sum}. */
        private final List<Map<List<String>, long[]>> groupCounts = new ArrayList<>();
        private final CellKeyPerturbation keys;

        Scan(List<TableSpec> specs, List<Measure> measures, Map<TableSpec, FrequencyTable.Builder> builders,
             java.util.Set<Breakdown> extra, CellKeyPerturbation keys) {
            this.keys = keys;
            this.specs = specs;
            this.measures = measures;
            this.builders = builders;
            this.inBase = new boolean[measures.size()];
            this.outcome = new boolean[measures.size()];
            this.grouping = java.util.stream.Stream.of(specs.stream().flatMap(s -> s.breakdowns().stream()),
                            specs.stream().flatMap(s -> s.scope().filter().keySet().stream()), extra.stream())
                    .flatMap(b -> b).distinct().sorted().toList();
            for (int i = 0; i < measures.size(); i++) {
                groupCounts.add(new LinkedHashMap<>());
            }
        }

        Map<Measure, List<Group>> groups() {
            Map<Measure, List<Group>> result = new LinkedHashMap<>();
            for (int i = 0; i < measures.size(); i++) {
                List<Group> groups = new ArrayList<>();
                groupCounts.get(i).forEach((key, counts) -> {
                    Map<Breakdown, String> categories = new EnumMap<>(Breakdown.class);
                    for (int b = 0; b < grouping.size(); b++) {
                        categories.put(grouping.get(b), key.get(b + 3));
                    }
                    groups.add(new Group(key.get(0), key.get(1), key.get(2), java.util.Collections.unmodifiableMap(categories),
                            counts[0], counts[1], (int) counts[2]));
                });
                result.put(measures.get(i), List.copyOf(groups));
            }
            return result;
        }

        void row(ResultSet rs) throws SQLException {
            String id = rs.getString("pseudo_id");
            if (!id.equals(pseudoId)) {
                flush();
                pseudoId = id;
                council = rs.getString("council_code");
                period = rs.getString("period");
                cohort = cohortLabel(rs.getString("cohort"));
                for (Breakdown b : Breakdown.values()) {
                    labels.put(b, b.label(rs));
                }
                for (int i = 0; i < measures.size(); i++) {
                    inBase[i] = rs.getInt("base_" + i) == 1;
                    outcome[i] = false;
                }
            }
            String data = rs.getString("data");
            if (data == null) {
                return;
            }
            String department = rs.getString("department_code");
            String dataset = rs.getString("dataset");
            JsonNode parsed = null;
            for (int i = 0; i < measures.size(); i++) {
                Measure m = measures.get(i);
                if (!outcome[i] && m.department().equals(department) && m.dataset().equals(dataset)) {
                    parsed = parsed != null ? parsed : parse(data);
                    outcome[i] = m.counts(parsed);
                }
            }
        }

        void flush() {
            if (pseudoId == null) {
                return;
            }
            int recordKey = -1;
            for (int m = 0; m < measures.size(); m++) {
                if (inBase[m]) {
                    List<String> key = new ArrayList<>(grouping.size() + 3);
                    key.add(council);
                    key.add(period);
                    key.add(cohort);
                    grouping.forEach(b -> key.add(labels.get(b)));
                    long[] counts = groupCounts.get(m).computeIfAbsent(key, k -> new long[3]);
                    counts[0]++;
                    counts[1] += outcome[m] ? 1 : 0;
                    if (outcome[m] && keys != null) {
                        recordKey = recordKey >= 0 ? recordKey : keys.recordKey(pseudoId);
                        counts[2] = (counts[2] + recordKey) % CellKeyPerturbation.KEYS;
                    }
                }
            }
            for (TableSpec spec : specs) {
                int m = measures.indexOf(spec.measure());
                if (!inBase[m] || !within(spec.scope())) {
                    continue;
                }
                String result = outcome[m] ? TableSpec.WITH_OUTCOME : TableSpec.WITHOUT_OUTCOME;
                List<String> cell = new ArrayList<>(3);
                cell.add(cohort);
                if (!spec.breakdowns().isEmpty()) {
                    cell.add(spec.breakdowns().stream().map(labels::get).reduce((a, b) -> a + " / " + b).orElseThrow());
                }
                cell.add(result);
                builders.get(spec).add(cell, 1);
            }
            pseudoId = null;
        }

        /** Whether the person being read is among a table's people (its council, period and filter). */
        private boolean within(TableSpec.Scope scope) {
            if (scope.council() != null && !scope.council().equals(council)
                    || scope.period() != null && !scope.period().equals(period)) {
                return false;
            }
            for (Map.Entry<Breakdown, String> f : scope.filter().entrySet()) {
                if (!f.getValue().equals(labels.get(f.getKey()))) {
                    return false;
                }
            }
            return true;
        }

        private static String cohortLabel(String cohort) {
            return switch (cohort) {
                case "TREATMENT" -> "Treatment";
                case "COMPARISON" -> "Comparison";
                default -> throw new IllegalStateException("unknown cohort in the linked dataset");
            };
        }

        private static JsonNode parse(String data) {
            try {
                return JSON.readTree(data);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a returned record is not JSON", e);
            }
        }
    }
}
