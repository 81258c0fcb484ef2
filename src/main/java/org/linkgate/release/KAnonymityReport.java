package org.linkgate.release;

import java.util.List;

/**
 * The record-level safety check of a release, shown to the approver: over which quasi-identifiers
 * and with which k, what each generalisation level would leave under k, which level was chosen, how
 * many rows that suppresses, and whether the release is refused (with the reason). Counts only:
 * never the values of a small class.
 *
 * @param level             the generalisation level used (see {@link Generalisation}); -1 when refused
 * @param smallestClass     people in the smallest class released (0 when nothing is released)
 */
public record KAnonymityReport(int k, List<String> quasiIdentifiers, int level, List<String> generalisations,
                               long rowsConsidered, long peopleConsidered, long rowsSuppressed, long classesReleased,
                               long smallestClass, double maxSuppressedShare, List<Level> levels, boolean refused,
                               String reason) {

    public KAnonymityReport {
        quasiIdentifiers = List.copyOf(quasiIdentifiers);
        generalisations = List.copyOf(generalisations);
        levels = List.copyOf(levels);
    }

    /** What one level of the ladder would do. */
    public record Level(int level, List<String> generalisations, long classes, long classesUnderK, long rowsUnderK) {
        public Level {
            generalisations = List.copyOf(generalisations);
        }
    }
}
