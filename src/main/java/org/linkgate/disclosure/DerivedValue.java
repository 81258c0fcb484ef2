package org.linkgate.disclosure;

import java.util.OptionalDouble;

/**
 * A percentage, rate or mean computed from a {@link SafeTable}: its value, or empty with the
 * rule that withheld it (no numbers in the reason).
 */
public record DerivedValue(Statistic statistic, OptionalDouble value, String suppressedBecause) {

    static DerivedValue of(Statistic statistic, double value) {
        return new DerivedValue(statistic, OptionalDouble.of(value), null);
    }

    static DerivedValue suppressed(Statistic statistic, String because) {
        return new DerivedValue(statistic, OptionalDouble.empty(), because);
    }

    public boolean isSuppressed() {
        return value.isEmpty();
    }

    public String publishedText() {
        return isSuppressed() ? SafeCell.SUPPRESSED_SYMBOL : Double.toString(value.getAsDouble());
    }
}
