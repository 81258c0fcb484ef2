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
    private static final List<String> VARIABLES = List.of("pseudo_id", "cohort", "sex", "age_band",
            "problem_count", "crime_asb", "education", "children_in_need", "worklessness", "domestic_abuse", "health");

    private final JdbcTemplate jdbc;
    private final TransactionTemplate readOnly;

    public TableBuilder(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(Objects.requireNonNull(dataSource, "dataSource"));
        this.jdbc.setFetchSize(FETCH_SIZE);
        this.readOnly = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.readOnly.setReadOnly(true);
    }

    /** Counts and protects one table. */
    public OutcomeTable build(TableSpec spec, DisclosureRules rules) {
        return OutcomeTable.protect(spec, count(List.of(spec)).get(spec), rules);
    }

    /**
     * Counts and protects several tables of one scope in one scan, in the order given, then
     * checks them together ({@link OutcomeTable#protectTogether}) since they are released together.
     */
    public List<OutcomeTable> buildAll(List<TableSpec> specs, DisclosureRules rules) {
        Map<TableSpec, FrequencyTable> counted = count(specs);
        return OutcomeTable.protectTogether(specs.stream().map(s -> OutcomeTable.protect(s, counted.get(s), rules)).toList());
    }

    /** The unprotected counts of tables that share one scope (for the protection step and tests). */
    public Map<TableSpec, FrequencyTable> count(List<TableSpec> specs) {
        if (specs.isEmpty()) {
            return Map.of();
        }
        TableSpec.Scope scope = specs.get(0).scope();
        if (specs.stream().anyMatch(s -> !s.scope().equals(scope))) {
            throw new IllegalArgumentException("tables counted together must share their scope");
        }
        List<Measure> measures = specs.stream().map(TableSpec::measure).distinct().toList();
        List<Object> parameters = new ArrayList<>();
        StringBuilder sql = new StringBuilder("select ").append(String.join(", ", VARIABLES));
        for (int i = 0; i < measures.size(); i++) {
            Measure m = measures.get(i);
            if (m.base().isPresent()) {
                sql.append(", case when ").append(m.base().get().sql()).append(" then 1 else 0 end as base_").append(i);
                parameters.addAll(m.base().get().parameters());
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
        Scan scan = new Scan(specs, measures, builders);
        readOnly.executeWithoutResult(tx -> jdbc.query(sql.toString(), scan::row, parameters.toArray()));
        scan.flush();
        Map<TableSpec, FrequencyTable> tables = new LinkedHashMap<>();
        builders.forEach((s, b) -> tables.put(s, b.build()));
        return tables;
    }

    /** The person being read: rows of one pseudo_id arrive together (ordered scan). */
    private static final class Scan {
        private final List<TableSpec> specs;
        private final List<Measure> measures;
        private final Map<TableSpec, FrequencyTable.Builder> builders;
        private String pseudoId;
        private String cohort;
        private final Map<Breakdown, String> labels = new EnumMap<>(Breakdown.class);
        private final boolean[] inBase;
        private final boolean[] outcome;

        Scan(List<TableSpec> specs, List<Measure> measures, Map<TableSpec, FrequencyTable.Builder> builders) {
            this.specs = specs;
            this.measures = measures;
            this.builders = builders;
            this.inBase = new boolean[measures.size()];
            this.outcome = new boolean[measures.size()];
        }

        void row(ResultSet rs) throws SQLException {
            String id = rs.getString("pseudo_id");
            if (!id.equals(pseudoId)) {
                flush();
                pseudoId = id;
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
            for (TableSpec spec : specs) {
                int m = measures.indexOf(spec.measure());
                if (!inBase[m]) {
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
