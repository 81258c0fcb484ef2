package org.linkgate.disclosure;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A count table ready for release: sensitive cells primarily suppressed, complements chosen by
 * {@link SecondarySuppression}, and the whole pattern passed by {@link ProtectionAudit} — a table
 * that fails the audit is never constructed. Derived statistics are computed only from published
 * numerators over published bases larger than the threshold.
 */
public final class SafeTable {

    /**
     * Mean dominance limit: a mean is withheld when one record contributes more than this share of
     * the sum of absolute values, since the mean then mostly reports that record (an outlier).
     */
    public static final double MEAN_DOMINANCE_LIMIT = 0.5;

    private final FrequencyTable source;
    private final DisclosureRules rules;
    private final Map<CellKey, Suppression> suppressions;
    private final AuditReport audit;
    /** Shown cells whose figure is not their count (the cell key method); empty for exact tables. */
    private final Map<CellKey, Long> published;

    private SafeTable(FrequencyTable source, DisclosureRules rules, Map<CellKey, Suppression> suppressions,
            AuditReport audit, Map<CellKey, Long> published) {
        this.source = source;
        this.rules = rules;
        this.suppressions = suppressions;
        this.audit = audit;
        this.published = Map.copyOf(published);
        for (CellKey key : this.published.keySet()) {
            if (suppressions.containsKey(key)) {
                throw new IllegalArgumentException("a withheld cell has no published figure");
            }
        }
    }

    /**
     * Applies primary and secondary suppression and audits the result.
     *
     * @throws DisclosureRefusedException if the audit finds a cell it cannot protect
     */
    public static SafeTable protect(FrequencyTable table, DisclosureRules rules) {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(rules, "rules");
        Set<CellKey> primary = new PrimarySuppression(rules).apply(table);
        Map<CellKey, Suppression> pattern = new SecondarySuppression(rules).apply(table, primary);
        AuditReport report = new ProtectionAudit(rules).audit(table, pattern);
        if (!report.passed()) {
            throw new DisclosureRefusedException("Protection audit failed for cells "
                    + report.failures().stream().map(f -> f.cell().toString()).toList());
        }
        return new SafeTable(table, rules, pattern, report, Map.of());
    }

    /** A table with a suppression pattern already chosen and audited (the audit must have passed). */
    static SafeTable of(FrequencyTable table, DisclosureRules rules, Map<CellKey, Suppression> pattern, AuditReport audit) {
        return of(table, rules, pattern, audit, Map.of());
    }

    /** The same, some shown cells showing {@code published} figures instead of their counts (perturbed, not additive). */
    static SafeTable of(FrequencyTable table, DisclosureRules rules, Map<CellKey, Suppression> pattern, AuditReport audit,
                        Map<CellKey, Long> published) {
        if (!audit.passed()) {
            throw new DisclosureRefusedException("Protection audit failed");
        }
        return new SafeTable(table, rules, pattern, audit, published);
    }

    /** Whether some shown figure is perturbed (so the table is not additive). */
    public boolean perturbed() {
        return !published.isEmpty();
    }

    /** What a shown cell shows: its count, or its perturbed figure. */
    private long shown(CellKey key) {
        Long figure = published.get(key);
        return figure != null ? figure : source.count(key);
    }

    public DisclosureRules rules() {
        return rules;
    }

    public List<Dimension> dimensions() {
        return source.dimensions();
    }

    /** The withheld cells and why, in table order. */
    public Map<CellKey, Suppression> suppressions() {
        return suppressions;
    }

    /** The audit this table passed. */
    public AuditReport audit() {
        return audit;
    }

    public SafeCell cell(CellKey key) {
        Suppression suppression = suppressions.get(key);
        OptionalLong value = suppression == null ? OptionalLong.of(shown(key)) : OptionalLong.empty();
        return new SafeCell(key, source.labels(key), value, suppression);
    }

    public SafeCell cell(String... labels) {
        return cell(source.key(labels));
    }

    /** Every cell with margins, in table order. */
    public List<SafeCell> cells() {
        return source.cells().stream().map(this::cell).toList();
    }

    /** {@code 100 * numerator / base}, both cells of this table. */
    public DerivedValue percentage(CellKey numerator, CellKey base) {
        Statistic.PERCENTAGE.requireReleasable();
        if (suppressions.containsKey(numerator)) {
            return DerivedValue.suppressed(Statistic.PERCENTAGE, "numerator suppressed");
        }
        if (suppressions.containsKey(base)) {
            return DerivedValue.suppressed(Statistic.PERCENTAGE, "base suppressed");
        }
        long b = source.count(base);
        if (!rules.isSafeBase(b)) {
            return DerivedValue.suppressed(Statistic.PERCENTAGE, "base at or below threshold");
        }
        // from the figures shown: a perturbed numerator over its exact base
        return DerivedValue.of(Statistic.PERCENTAGE, 100.0 * shown(numerator) / shown(base));
    }

    /** {@code per * numerator / population}, the population coming from outside the table. */
    public DerivedValue rate(CellKey numerator, long population, double per) {
        Statistic.RATE.requireReleasable();
        if (population < 0 || per <= 0) {
            throw new IllegalArgumentException("Population must be non-negative and per positive");
        }
        if (suppressions.containsKey(numerator)) {
            return DerivedValue.suppressed(Statistic.RATE, "numerator suppressed");
        }
        if (!rules.isSafeBase(population)) {
            return DerivedValue.suppressed(Statistic.RATE, "population base at or below threshold");
        }
        return DerivedValue.of(Statistic.RATE, per * shown(numerator) / population);
    }

    /**
     * Mean of a measure over the records counted in a cell; {@code values} are those records'
     * values and must number exactly the cell's count. Withheld when the cell is suppressed, its
     * count is at or below the threshold, or one record dominates (see {@link #MEAN_DOMINANCE_LIMIT}).
     */
    public DerivedValue mean(CellKey base, double[] values) {
        Statistic.MEAN.requireReleasable();
        if (suppressions.containsKey(base)) {
            return DerivedValue.suppressed(Statistic.MEAN, "base suppressed");
        }
        long n = source.count(base);
        if (values.length != n) {
            throw new IllegalArgumentException("The values do not match the cell's count");
        }
        if (!rules.isSafeBase(n)) {
            return DerivedValue.suppressed(Statistic.MEAN, "base at or below threshold");
        }
        double sum = 0;
        double absoluteSum = 0;
        double largest = 0;
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("Values must be finite");
            }
            sum += v;
            absoluteSum += Math.abs(v);
            largest = Math.max(largest, Math.abs(v));
        }
        if (absoluteSum > 0 && largest > MEAN_DOMINANCE_LIMIT * absoluteSum) {
            return DerivedValue.suppressed(Statistic.MEAN, "one record dominates");
        }
        return DerivedValue.of(Statistic.MEAN, sum / n);
    }

    /**
     * Entry point for statistics by kind: refuses those clause 11 bars (MIN, MAX, SINGLE_VALUE,
     * RESIDUAL, OUTLIER) with {@link DisclosureRefusedException}.
     */
    public void requireReleasable(Statistic statistic) {
        statistic.requireReleasable();
    }

    /** The unprotected table, for the audit only. */
    FrequencyTable source() {
        return source;
    }
}
