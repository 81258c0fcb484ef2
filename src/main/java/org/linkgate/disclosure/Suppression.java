package org.linkgate.disclosure;

/**
 * Why a cell was withheld. The reason is kept for the audit trail; a published rendering shows
 * one symbol ({@link SafeCell#SUPPRESSED_SYMBOL}) for both, since "primary" alone would tell the
 * reader the cell is small.
 */
public enum Suppression {
    /** The cell itself is sensitive (1..N, or 0 when zeros are disclosive). */
    PRIMARY,
    /** Withheld only so that a primary cell cannot be recovered from totals. */
    SECONDARY,
    /**
     * Nobody in the cell is ever sent to the measure's department (outside its filter), so the
     * outcome cannot occur there; shown as {@link SafeCell#NOT_APPLICABLE_SYMBOL}, known to all.
     */
    NOT_APPLICABLE
}
