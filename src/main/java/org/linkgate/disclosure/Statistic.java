package org.linkgate.disclosure;

/**
 * Statistics a release may carry. Aggregates over a base larger than the threshold are allowed;
 * anything that refers to one unit record — an extreme, a single value, a model residual, a
 * flagged outlier — is barred by clause 11 and refused with {@link DisclosureRefusedException}.
 */
public enum Statistic {
    COUNT(true, "a frequency, subject to cell suppression"),
    PERCENTAGE(true, "numerator and base unsuppressed, base above the threshold"),
    RATE(true, "numerator unsuppressed, population base above the threshold"),
    MEAN(true, "base above the threshold and no single record dominating the sum"),
    MIN(false, "the minimum is one person's value"),
    MAX(false, "the maximum is one person's value"),
    SINGLE_VALUE(false, "a single value is a unit record"),
    RESIDUAL(false, "a model residual is computed from one person's record"),
    OUTLIER(false, "an extreme outlier points at one person");

    private final boolean releasable;
    private final String rule;

    Statistic(boolean releasable, String rule) {
        this.releasable = releasable;
        this.rule = rule;
    }

    public boolean isReleasable() {
        return releasable;
    }

    /** Throws for a statistic clause 11 bars, saying why. */
    public void requireReleasable() {
        if (!releasable) {
            throw new DisclosureRefusedException(name() + " may not be released (clause 11: no unit-record values): " + rule);
        }
    }
}
