package org.linkgate.disclosure;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Analysts' tables in the release ledger ({@code released_cell}): records an approved table's
 * rows as released, with its scope ({@code '*'} for every council or period, its filter as
 * {@code key=category;…}), and finds the earlier released figures over any of a new table's
 * people — analysts' tables and packs whose council, period and filter leave people in common
 * with it — as known cells of its model ({@link ReleaseProtection.KnownCell}).
 */
final class AnalystLedger {

    static final String ALL = "*";

    private final JdbcTemplate jdbc;

    AnalystLedger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Earlier released tables sharing people with {@code spec}, for the measures modelled with its measure. */
    Earlier earlierOver(TableSpec spec) {
        return earlierOver(spec.scope(), List.of(spec.measure()));
    }

    /**
     * Earlier released tables sharing people with tables of {@code scope} (a pack: its council and
     * period, no filter) for {@code ofMeasures} and the measures modelled with them.
     */
    Earlier earlierOver(TableSpec.Scope scope, java.util.Collection<Measure> ofMeasures) {
        Set<String> measures = new TreeSet<>();
        for (Measure m : ofMeasures) {
            measures.add(m.key());
            ReleaseProtection.IMPLIES.forEach((from, to) -> {
                if (from == m) {
                    measures.add(to.key());
                } else if (to == m) {
                    measures.add(from.key());
                }
            });
        }
        StringBuilder sql = new StringBuilder("select release_id, council_code, period, scope_filter, measure, breakdown,"
                + " cohort, category, persons, with_outcome, perturbed,"
                + " (select count(*) from disclosure_request d where d.id = c.release_id) as analysts"
                + " from released_cell c where measure in (");
        List<Object> parameters = new ArrayList<>();
        for (String m : measures) {
            sql.append(parameters.isEmpty() ? "?" : ", ?");
            parameters.add(m);
        }
        sql.append(")");
        if (scope.council() != null) {
            sql.append(" and council_code in (?, ?)");
            parameters.add(scope.council());
            parameters.add(ALL);
        }
        if (scope.period() != null) {
            sql.append(" and period in (?, ?)");
            parameters.add(scope.period());
            parameters.add(ALL);
        }
        Set<String> releases = new TreeSet<>();
        Set<Breakdown> attributes = new TreeSet<>();
        List<ReleaseProtection.KnownCell> known = new ArrayList<>();
        List<PersonsProtection.KnownPersons> persons = new ArrayList<>();
        boolean[] otherCouncils = {false};
        boolean[] otherPeriods = {false};
        jdbc.query(sql.toString(), rs -> {
            Map<Breakdown, String> filter = parseFilter(rs.getString("scope_filter"));
            if (conflicts(filter, scope.filter())) {
                return; // no person in common: a different category of the same attribute
            }
            releases.add(rs.getString("release_id"));
            String council = rs.getString("council_code");
            String period = rs.getString("period");
            otherCouncils[0] |= !council.equals(scope.council());
            otherPeriods[0] |= !period.equals(scope.period());
            String breakdown = rs.getString("breakdown");
            Map<Breakdown, String> categories = new EnumMap<>(filter);
            if (!breakdown.isEmpty()) {
                String[] keys = breakdown.split(" x ");
                for (String key : keys) {
                    attributes.add(Breakdown.byKey(key).orElseThrow());
                }
                String category = rs.getString("category");
                if (!Dimension.TOTAL.equals(category)) {
                    String[] parts = keys.length == 1 ? new String[] {category} : category.split(" / ", 2);
                    for (int b = 0; b < keys.length && b < parts.length; b++) {
                        categories.put(Breakdown.byKey(keys[b]).orElseThrow(), parts[b]);
                    }
                }
            }
            attributes.addAll(filter.keySet());
            String value = rs.getString("with_outcome");
            Measure measure = Measure.byKey(rs.getString("measure")).orElse(null);
            String knownCouncil = ALL.equals(council) ? null : council;
            String knownPeriod = ALL.equals(period) ? null : period;
            if (measure != null && (isCount(value) || SafeCell.SUPPRESSED_SYMBOL.equals(value))) {
                // a perturbed figure (cell key method) is read as a p-table preimage, not as the count
                known.add(new ReleaseProtection.KnownCell(knownCouncil, knownPeriod, measure, rs.getString("cohort"),
                        categories, isCount(value) ? Long.parseLong(value) : ReleaseProtection.KnownCell.WITHHELD,
                        isCount(value) && rs.getBoolean("perturbed")));
            }
            // persons figures of analysts' tables (a pack's go to the council, which knows every one)
            String personsValue = rs.getString("persons");
            if (measure != null && rs.getInt("analysts") > 0 && isCount(personsValue)) {
                persons.add(new PersonsProtection.KnownPersons(knownCouncil, knownPeriod, measure, rs.getString("cohort"),
                        categories, Long.parseLong(personsValue)));
            }
        }, parameters.toArray());
        // the people modelled: every council (period) if an earlier table reaches beyond the new one's
        TableSpec.Scope universe = new TableSpec.Scope(otherCouncils[0] ? null : scope.council(),
                otherPeriods[0] ? null : scope.period(), Map.of());
        return new Earlier(List.copyOf(releases), known, persons, attributes, universe);
    }

    private static boolean isCount(String value) {
        return value != null && !value.isEmpty() && value.chars().allMatch(Character::isDigit);
    }

    /**
     * What a new table is protected against: the earlier releases sharing people with it (their
     * ids, sorted), their published with-outcome figures, the analysts' tables' published
     * persons figures, the attributes their cells are told
     * apart by, and the people to model (the new table's council and period, or every one an
     * earlier table reaches).
     */
    record Earlier(List<String> releaseIds, List<ReleaseProtection.KnownCell> known,
                   List<PersonsProtection.KnownPersons> persons, Set<Breakdown> attributes,
                   TableSpec.Scope universe) {

        String releaseList() {
            return String.join(",", releaseIds);
        }
    }

    /** Records a released table's rows under its release id. */
    void record(String releaseId, TableSpec spec, List<OutcomeTable.Row> rows) {
        List<Object[]> batch = new ArrayList<>();
        for (OutcomeTable.Row row : rows) {
            batch.add(new Object[] {releaseId, orAll(spec.scope().council()), orAll(spec.scope().period()),
                    filterText(spec.scope().filter()), spec.measure().key(), spec.breakdownName(), row.cohort(),
                    row.category() == null ? Dimension.TOTAL : row.category(), row.persons(), row.withOutcome(), row.percent()});
        }
        jdbc.batchUpdate("insert into released_cell (release_id, council_code, period, scope_filter, measure, breakdown,"
                + " cohort, category, persons, with_outcome, percent) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", batch);
    }

    private static String orAll(String value) {
        return value == null ? ALL : value;
    }

    static String filterText(Map<Breakdown, String> filter) {
        StringBuilder text = new StringBuilder();
        filter.forEach((b, v) -> text.append(text.isEmpty() ? "" : ";").append(b.key()).append('=').append(v));
        return text.toString();
    }

    static Map<Breakdown, String> parseFilter(String text) {
        Map<Breakdown, String> filter = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return new EnumMap<>(Breakdown.class);
        }
        for (String part : text.split(";")) {
            String[] kv = part.split("=", 2);
            filter.put(Breakdown.byKey(kv[0]).orElseThrow(() -> new IllegalStateException("unknown filter in the ledger")),
                    kv[1]);
        }
        return new EnumMap<>(filter);
    }

    private static boolean conflicts(Map<Breakdown, String> a, Map<Breakdown, String> b) {
        for (Map.Entry<Breakdown, String> e : a.entrySet()) {
            String other = b.get(e.getKey());
            if (other != null && !other.equals(e.getValue())) {
                return true;
            }
        }
        return false;
    }
}
