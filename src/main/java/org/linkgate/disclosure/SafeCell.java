package org.linkgate.disclosure;

import java.util.List;
import java.util.OptionalLong;

/**
 * One cell of a {@link SafeTable}: its labels and either its count or the reason it is withheld.
 * A suppressed cell never carries its value.
 */
public record SafeCell(CellKey key, List<String> labels, OptionalLong value, Suppression suppression) {

    /** What a published rendering shows for any withheld cell, primary or secondary alike. */
    public static final String SUPPRESSED_SYMBOL = "[c]";
    /** What a release shows where the outcome cannot occur (nobody there is sent to the department). */
    public static final String NOT_APPLICABLE_SYMBOL = "n/a";

    public SafeCell {
        labels = List.copyOf(labels);
        if (value.isPresent() == (suppression != null)) {
            throw new IllegalArgumentException("A cell has a value or a suppression, not both");
        }
    }

    public boolean isSuppressed() {
        return suppression != null;
    }

    public boolean isNotApplicable() {
        return suppression == Suppression.NOT_APPLICABLE;
    }

    /** The text a release shows: the count, or {@link #SUPPRESSED_SYMBOL}. */
    public String publishedText() {
        return isNotApplicable() ? NOT_APPLICABLE_SYMBOL : isSuppressed() ? SUPPRESSED_SYMBOL
                : Long.toString(value.getAsLong());
    }
}
