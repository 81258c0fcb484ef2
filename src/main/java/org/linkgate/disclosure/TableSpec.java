package org.linkgate.disclosure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One outcome table to build: a {@link Measure} by cohort and up to two {@link Breakdown}s,
 * within a {@link Scope} (council, period, filters). Everything here is an entry of a fixed list
 * or checked against a pattern; nothing a request sends is used as SQL text.
 */
public record TableSpec(Scope scope, Measure measure, List<Breakdown> breakdowns) {

    /** Most breakdowns in one table (cohort × breakdowns × outcome stays within three dimensions). */
    public static final int MAX_BREAKDOWNS = 2;
    public static final String COHORT = "cohort";
    public static final String OUTCOME = "outcome";
    public static final String WITH_OUTCOME = "yes";
    public static final String WITHOUT_OUTCOME = "no";
    public static final Dimension COHORTS = Dimension.of(COHORT, "Treatment", "Comparison");
    public static final Dimension OUTCOMES = Dimension.of(OUTCOME, WITH_OUTCOME, WITHOUT_OUTCOME);

    public TableSpec {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(measure, "measure");
        breakdowns = List.copyOf(breakdowns);
        if (breakdowns.size() > MAX_BREAKDOWNS) {
            throw new IllegalArgumentException("at most " + MAX_BREAKDOWNS + " breakdowns");
        }
        if (breakdowns.stream().distinct().count() != breakdowns.size()) {
            throw new IllegalArgumentException("a breakdown is repeated");
        }
        for (Breakdown b : breakdowns) {
            if (scope.filter().containsKey(b)) {
                throw new IllegalArgumentException("cannot both filter and break down by " + b.key());
            }
        }
    }

    /** The breakdown dimension (two breakdowns combined into one), or null for cohort only. */
    public Dimension breakdownDimension() {
        if (breakdowns.isEmpty()) {
            return null;
        }
        if (breakdowns.size() == 1) {
            return breakdowns.get(0).dimension();
        }
        List<String> combined = new ArrayList<>();
        for (String a : breakdowns.get(0).categories()) {
            for (String b : breakdowns.get(1).categories()) {
                combined.add(a + " / " + b);
            }
        }
        return new Dimension(breakdownName(), combined);
    }

    /** The breakdowns' keys joined, e.g. {@code age_band x sex}; empty for none. */
    public String breakdownName() {
        return breakdowns.stream().map(Breakdown::key).collect(Collectors.joining(" x "));
    }

    /** The table's dimensions: cohort, the breakdown if any, outcome. */
    public List<Dimension> dimensions() {
        Dimension breakdown = breakdownDimension();
        return breakdown == null ? List.of(COHORTS, OUTCOMES) : List.of(COHORTS, breakdown, OUTCOMES);
    }

    /** A short, file-name-safe name, e.g. {@code any_offence-by-age_band}. */
    public String name() {
        return breakdowns.isEmpty() ? measure.key() + "-by-cohort"
                : measure.key() + "-by-" + breakdowns.stream().map(Breakdown::key).collect(Collectors.joining("-"));
    }

    /** What a table is restricted to: a council (null: every council), a period (null: all), filters. */
    public record Scope(String council, String period, Map<Breakdown, String> filter) {

        static final Pattern COUNCIL = Pattern.compile("[EWSN]\\d{8}");
        static final Pattern PERIOD = Pattern.compile("(19|20)\\d{2}-(0[1-9]|1[0-2])");

        public Scope {
            if (council != null && !COUNCIL.matcher(council).matches()) {
                throw new IllegalArgumentException("council must be a GSS code");
            }
            if (period != null && !PERIOD.matcher(period).matches()) {
                throw new IllegalArgumentException("period must be YYYY-MM");
            }
            Map<Breakdown, String> copy = new EnumMap<>(Breakdown.class);
            copy.putAll(filter);
            copy.forEach(Breakdown::filter); // refuses an unknown category
            filter = Collections.unmodifiableMap(copy);
        }

        public static Scope of(String council, String period) {
            return new Scope(council, period, Map.of());
        }

        /** The filter as request keys to categories, in a fixed order. */
        public Map<String, String> filterByKey() {
            Map<String, String> byKey = new LinkedHashMap<>();
            filter.forEach((b, v) -> byKey.put(b.key(), v));
            return byKey;
        }
    }
}
