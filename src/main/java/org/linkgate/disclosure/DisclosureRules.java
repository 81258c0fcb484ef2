package org.linkgate.disclosure;

/**
 * The agreement's disclosure rules for count tables (data sharing agreement, clause 11).
 *
 * <p><b>Sensitive cell.</b> A cell (interior or marginal) counting 1 to {@code threshold} cases
 * is sensitive; a zero cell is sensitive too when {@code zerosDisclosive}.
 *
 * <p><b>Protection requirement.</b> For every sensitive suppressed cell a reader computes, from
 * everything published (unsuppressed cells, all unsuppressed margins, the additive equations of
 * the table) the interval {@code [L, U]} of values the cell can take, knowing that a suppressed
 * cell is never below {@link #floor()} (zero when zeros are suppressed; one when zeros are
 * published, because then a suppressed cell cannot be zero). The cell is protected when
 * <ul>
 *   <li>{@code U >= threshold + 1} — what is published is consistent with the cell being too
 *       large to need suppression, so the reader cannot learn that the group is small; and</li>
 *   <li>when zeros are disclosive, also {@code L <= 0} — the reader cannot learn that the group
 *       is not empty.</li>
 * </ul>
 * In tau-ARGUS terms these are cell-specific protection levels: upper protection
 * {@code threshold + 1 - v} for a cell of true value {@code v}, and lower protection {@code v}
 * when zeros are disclosive (the interval is then at least {@code threshold + 1} wide). When zeros
 * are published there is no lower requirement: the reader already knows every suppressed cell is
 * non-empty, and knowing "at least k" does not reveal a small cell. The requirement does not
 * depend on the true value, so it can be audited from the published table alone.
 *
 * <p>Derived statistics (percentages, rates, means) need an unsuppressed base larger than
 * {@code threshold}: a base of {@code threshold} or fewer is itself a small cell.
 *
 * @param threshold       largest disclosive count N (5 in the agreement); at least 1
 * @param zerosDisclosive whether a zero count is sensitive (fail-closed default: yes)
 */
public record DisclosureRules(int threshold, boolean zerosDisclosive) {

    /** Threshold of the data sharing agreement, clause 11. */
    public static final int AGREEMENT_THRESHOLD = 5;

    public DisclosureRules {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1, was " + threshold);
        }
    }

    /** Clause 11: cells of 5 or fewer suppressed, zeros treated as disclosive (fail closed). */
    public static DisclosureRules agreementDefaults() {
        return new DisclosureRules(AGREEMENT_THRESHOLD, true);
    }

    /** Whether a count must be primarily suppressed. */
    public boolean isSensitive(long count) {
        return count >= 1 && count <= threshold || count == 0 && zerosDisclosive;
    }

    /** Smallest value a reader knows any suppressed cell to have (zeros published: 1). */
    public long floor() {
        return zerosDisclosive ? 0 : 1;
    }

    /** {@code U} must reach at least this for a sensitive suppressed cell. */
    public long requiredUpperBound() {
        return (long) threshold + 1;
    }

    /** Whether a base (denominator) is large enough for a derived statistic. */
    public boolean isSafeBase(long base) {
        return base > threshold;
    }

    /** {@code L} must reach at most this for a sensitive suppressed cell (no limit when zeros are published). */
    public double requiredLowerBound() {
        return zerosDisclosive ? 0 : Double.POSITIVE_INFINITY;
    }

    /**
     * Whether an outcome count {@code withOutcome} over a base of {@code base} people the reader
     * already knows (the council knows whom it sent) is sensitive: few or none of the group have
     * the outcome, or few or none lack it (group disclosure both ways: "10 of 10" says every one
     * of ten people the council can name has a proven offence). A zero (either way) is sensitive
     * only when zeros are disclosive. An empty base is not sensitive: there is nobody to disclose.
     */
    public boolean isSensitiveOutcome(long withOutcome, long base) {
        if (base <= 0) {
            return false;
        }
        return isSensitive(withOutcome) || isSensitive(base - withOutcome);
    }

    /**
     * What the interval {@code [L, U]} a reader can narrow a suppressed, sensitive outcome count
     * to must still allow, given its known base: if few or none have the outcome, a value of
     * zero (so nobody is known to have it; when zeros are disclosive) and a value above the
     * threshold (so the group is not known to be small); if few or none lack it, the whole base
     * (nobody known to lack it) and a value at least {@code threshold + 1} below the base. With
     * zeros published and a base above the threshold the reader knows a withheld count is neither
     * 0 nor the base, so the ends move in by one. Null for a cell that is not sensitive.
     */
    public GroupRequirement groupRequirement(long withOutcome, long base) {
        if (!isSensitiveOutcome(withOutcome, base)) {
            return null;
        }
        // with zeros published, 0 and all of a group above the threshold are published, so a
        // withheld cell over such a group is known to be neither
        boolean inner = !zerosDisclosive && base > threshold;
        long lowest = inner ? 1 : 0;
        long highest = inner ? base - 1 : base;
        long lowerAtMost = Long.MAX_VALUE;
        long upperAtLeast = Long.MIN_VALUE;
        if (isSensitive(withOutcome)) {
            lowerAtMost = Math.min(lowerAtMost, lowest);
            upperAtLeast = Math.max(upperAtLeast, Math.min(highest, threshold + 1L));
        }
        if (isSensitive(base - withOutcome)) {
            upperAtLeast = Math.max(upperAtLeast, highest);
            lowerAtMost = Math.min(lowerAtMost, Math.max(lowest, base - threshold - 1L));
        }
        return new GroupRequirement(Math.max(lowerAtMost, lowest), Math.min(upperAtLeast, highest));
    }

    /**
     * A sensitive outcome cell's protection: its feasible interval must reach down to
     * {@code lowerAtMost} and up to {@code upperAtLeast}.
     */
    public record GroupRequirement(long lowerAtMost, long upperAtLeast) {
        public boolean isMetBy(long lower, long upper) {
            return lower <= lowerAtMost && upper >= upperAtLeast;
        }
    }

    /** Whether the interval meets the protection requirement (tolerance for LP rounding). */
    public boolean isProtected(FeasibleInterval interval) {
        return interval.lower() <= requiredLowerBound() + FeasibleInterval.TOLERANCE
                && interval.upper() >= requiredUpperBound() - FeasibleInterval.TOLERANCE;
    }
}
