package org.linkgate.disclosure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * An outcome table as it may be released: per cohort and breakdown category (each with its
 * total), the number of people in the base, the number with the outcome and the percentage —
 * every figure either published or shown as {@link SafeCell#SUPPRESSED_SYMBOL}. Built only from
 * a {@link SafeTable} (so the protection audit has passed); when protection is impossible the
 * table is refused whole and carries only the reason. A suppressed cell's count never leaves
 * this class.
 */
public final class OutcomeTable {

    private final TableSpec spec;
    private final SafeTable safe;
    private final String refusedBecause;
    private final boolean perturbed;

    private OutcomeTable(TableSpec spec, SafeTable safe, String refusedBecause) {
        this(spec, safe, refusedBecause, false);
    }

    private OutcomeTable(TableSpec spec, SafeTable safe, String refusedBecause, boolean perturbed) {
        this.spec = spec;
        this.safe = safe;
        this.refusedBecause = refusedBecause;
        this.perturbed = perturbed;
    }

    /** Applies primary and secondary suppression and the protection audit. */
    public static OutcomeTable protect(TableSpec spec, FrequencyTable counts, DisclosureRules rules) {
        Objects.requireNonNull(counts, "counts");
        String mostly = mostlySensitive(spec, counts, rules);
        if (mostly != null) {
            return new OutcomeTable(spec, null, mostly);
        }
        try {
            SafeTable safe = SafeTable.protect(counts, rules);
            new ProtectionAudit(rules).requirePassed(safe);
            // a request whose breakdowns leave almost every cell withheld is refused with the reason
            return ReleaseProtection.refuseIfMostlySuppressed(new OutcomeTable(spec, safe, null));
        } catch (DisclosureRefusedException e) {
            return new OutcomeTable(spec, null, "no suppression pattern passes the protection audit");
        }
    }

    /** Why a table is refused before any complement is searched (its sensitive cells alone are almost all of it), or null. */
    static String mostlySensitive(TableSpec spec, FrequencyTable counts, DisclosureRules rules) {
        int counted = 0;
        int sensitive = 0;
        for (CellKey key : counts.cells()) {
            List<String> labels = counts.labels(key);
            if (TableSpec.WITH_OUTCOME.equals(labels.get(labels.size() - 1))) {
                counted++;
                sensitive += rules.isSensitive(counts.count(key)) ? 1 : 0;
            }
        }
        return ReleaseProtection.mostlySuppressed(spec, sensitive, counted);
    }

    /** A table protected as part of a release ({@link ReleaseProtection}). */
    static OutcomeTable released(TableSpec spec, SafeTable safe) {
        return released(spec, safe, false);
    }

    /** The same; {@code cellKey}: its shown with-outcome counts are the cell key method's figures. */
    static OutcomeTable released(TableSpec spec, SafeTable safe, boolean cellKey) {
        return new OutcomeTable(spec, Objects.requireNonNull(safe, "safe"), null, cellKey);
    }

    /** Whether the shown with-outcome counts are perturbed (cell key method): then the table is not additive. */
    public boolean perturbed() {
        return perturbed;
    }

    /** A table withheld whole, with the reason (never a cell value). */
    static OutcomeTable withheld(TableSpec spec, String reason) {
        return new OutcomeTable(spec, null, Objects.requireNonNull(reason, "reason"));
    }

    public TableSpec spec() {
        return spec;
    }

    public boolean refused() {
        return safe == null;
    }

    public String refusedBecause() {
        return refusedBecause;
    }

    /** The protected table; only for audit and tests. */
    public SafeTable safeTable() {
        if (safe == null) {
            throw new IllegalStateException("the table was refused");
        }
        return safe;
    }

    /** Cells in the protected table (interior and margins) and how many are withheld. */
    public int cellCount() {
        return safe == null ? 0 : safe.cells().size();
    }

    public int suppressedCount() {
        return safe == null ? 0 : (int) safe.suppressions().values().stream().filter(s -> s != Suppression.NOT_APPLICABLE).count();
    }

    /** Withheld with-outcome cells by reason (PRIMARY, SECONDARY, NOT_APPLICABLE), as the manifest lists them. */
    public Map<Suppression, List<Map<String, String>>> withheldCells() {
        Map<Suppression, List<Map<String, String>>> cells = new java.util.EnumMap<>(Suppression.class);
        if (safe == null) {
            return cells;
        }
        safe.suppressions().forEach((key, reason) -> {
            List<String> labels = safe.source().labels(key);
            if (!TableSpec.WITH_OUTCOME.equals(labels.get(labels.size() - 1))) {
                return;
            }
            Map<String, String> cell = new LinkedHashMap<>();
            cell.put("cohort", labels.get(0));
            if (labels.size() == 3) {
                cell.put(spec.breakdownName(), labels.get(1));
            }
            cells.computeIfAbsent(reason, r -> new ArrayList<>()).add(cell);
        });
        return cells;
    }

    /**
     * This table's base ("persons") cells, each keyed by which people it counts: scope, the
     * measure's base as it applies to the cell ({@link MeasureBases#identity}), cohort and the
     * breakdown categories and filters (totals left out, so a cohort's total is the same cell in
     * every table, and a sex-filtered age table's cell is a sex × age table's). Empty for a
     * refused table. Persons cells of the same people must be shown alike in every table.
     */
    Map<List<Object>, CellKey> baseCells(MeasureBases bases) {
        Map<List<Object>, CellKey> cells = new LinkedHashMap<>();
        if (safe == null) {
            return cells;
        }
        FrequencyTable source = safe.source();
        Dimension breakdown = spec.breakdownDimension();
        List<String> categories = new ArrayList<>();
        if (breakdown != null) {
            categories.addAll(breakdown.categories());
            categories.add(Dimension.TOTAL);
        }
        for (String cohort : withTotal(TableSpec.COHORTS)) {
            if (breakdown == null) {
                cells.put(baseIdentity(bases, cohort, Map.of()), source.key(cohort, Dimension.TOTAL));
                continue;
            }
            for (String category : categories) {
                Map<String, String> fixedCategories = new java.util.TreeMap<>();
                if (!Dimension.TOTAL.equals(category)) {
                    String[] parts = spec.breakdowns().size() == 1 ? new String[] {category} : category.split(" / ", 2);
                    for (int b = 0; b < parts.length; b++) {
                        fixedCategories.put(spec.breakdowns().get(b).key(), parts[b]);
                    }
                }
                cells.put(baseIdentity(bases, cohort, fixedCategories), source.key(cohort, category, Dimension.TOTAL));
            }
        }
        return cells;
    }

    private List<Object> baseIdentity(MeasureBases bases, String cohort, Map<String, String> categories) {
        Map<String, String> all = new java.util.TreeMap<>(spec.scope().filterByKey());
        all.putAll(categories);
        String band = all.get(Breakdown.AGE_BAND.key());
        String base = bases.identity(spec.measure(),
                band == null ? null : org.linkgate.pseudonymisation.AgeBand.byLabel(band).orElseThrow());
        return List.of(String.valueOf(spec.scope().council()), String.valueOf(spec.scope().period()), base, cohort,
                all.toString());
    }

    private static List<String> withTotal(Dimension dimension) {
        List<String> labels = new ArrayList<>(dimension.categories());
        labels.add(Dimension.TOTAL);
        return labels;
    }

    /** The released rows: each cohort (then the total) by each breakdown category (then the total). */
    public List<Row> rows() {
        if (safe == null) {
            return List.of();
        }
        List<Row> rows = new ArrayList<>();
        List<String> cohorts = new ArrayList<>(TableSpec.COHORTS.categories());
        cohorts.add(Dimension.TOTAL);
        Dimension breakdown = spec.breakdownDimension();
        List<String> categories = new ArrayList<>();
        if (breakdown != null) {
            categories.addAll(breakdown.categories());
            categories.add(Dimension.TOTAL);
        }
        for (String cohort : cohorts) {
            if (breakdown == null) {
                rows.add(row(cohort, null, safe.cell(cohort, Dimension.TOTAL), safe.cell(cohort, TableSpec.WITH_OUTCOME)));
            } else {
                for (String category : categories) {
                    rows.add(row(cohort, category, safe.cell(cohort, category, Dimension.TOTAL),
                            safe.cell(cohort, category, TableSpec.WITH_OUTCOME)));
                }
            }
        }
        return List.copyOf(rows);
    }

    private Row row(String cohort, String category, SafeCell persons, SafeCell withOutcome) {
        if (withOutcome.isNotApplicable()) {
            return new Row(cohort, category, SafeCell.NOT_APPLICABLE_SYMBOL, SafeCell.NOT_APPLICABLE_SYMBOL,
                    SafeCell.NOT_APPLICABLE_SYMBOL, OptionalDouble.empty());
        }
        DerivedValue percentage = safe.percentage(withOutcome.key(), persons.key());
        return new Row(cohort, category, persons.publishedText(), withOutcome.publishedText(),
                percentage.isSuppressed() ? SafeCell.SUPPRESSED_SYMBOL : String.format(java.util.Locale.ROOT, "%.1f",
                        percentage.value().getAsDouble()),
                percentage.isSuppressed() ? OptionalDouble.empty() : percentage.value());
    }

    /** CSV header and rows as released; suppressed figures as {@code [c]}. */
    public List<List<String>> csvRecords() {
        List<List<String>> records = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("council", "period", "measure", "cohort"));
        if (!spec.breakdowns().isEmpty()) {
            header.add(spec.breakdownName().replace(" x ", "_x_"));
        }
        header.addAll(List.of("persons", "with_outcome", "percent_with_outcome"));
        records.add(header);
        for (Row row : rows()) {
            List<String> record = new ArrayList<>(List.of(orAll(spec.scope().council()), orAll(spec.scope().period()),
                    spec.measure().key(), row.cohort()));
            if (row.category() != null) {
                record.add(row.category());
            }
            record.addAll(List.of(row.persons(), row.withOutcome(), row.percent()));
            records.add(record);
        }
        return records;
    }

    /** The table as JSON-ready maps: spec, protection summary and released rows. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("measure", spec.measure().key());
        json.put("title", spec.measure().title());
        json.put("council", spec.scope().council());
        json.put("period", spec.scope().period());
        json.put("breakdowns", spec.breakdowns().stream().map(Breakdown::key).toList());
        json.put("filter", spec.scope().filterByKey());
        json.put("suppressedSymbol", SafeCell.SUPPRESSED_SYMBOL);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Row row : rows()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("cohort", row.cohort());
            if (row.category() != null) {
                r.put(spec.breakdownName(), row.category());
            }
            r.put("persons", row.persons());
            r.put("withOutcome", row.withOutcome());
            r.put("percentWithOutcome", row.percent());
            rows.add(r);
        }
        json.put("rows", rows);
        return json;
    }

    /** What the protection check found, without any cell value: for the requester before release. */
    public Map<String, Object> checkSummary() {
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("passed", safe != null);
        if (safe == null) {
            check.put("refusedBecause", refusedBecause);
            return check;
        }
        check.put("threshold", safe.rules().threshold());
        check.put("zerosDisclosive", safe.rules().zerosDisclosive());
        check.put("cells", cellCount());
        check.put("suppressedCells", suppressedCount());
        check.put("auditPassed", safe.audit().passed());
        return check;
    }

    private static String orAll(String value) {
        return value == null ? "all" : value;
    }

    /**
     * One released row. {@code category} is null for a cohort-only table. {@code percentValue} is
     * present exactly when the percentage is published.
     */
    public record Row(String cohort, String category, String persons, String withOutcome, String percent,
                      OptionalDouble percentValue) {
    }
}
