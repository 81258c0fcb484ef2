package org.linkgate.release;

import java.util.ArrayList;
import java.util.List;

/**
 * The generalisation ladder k-anonymity climbs, as SQL expressions over {@code research_person p}
 * (fixed text, never from configuration). Level 0 releases the values as stored; each higher level
 * coarsens the quasi-identifiers that have an order: family size and problem count are top-coded
 * ever lower, and from level 2 age bands are merged into 0-17, 18-34, 35-64 and 65+. Sex, cohort,
 * council and the problem flags are never coarsened: a class still too small is suppressed.
 */
final class Generalisation {

    static final int TOP_LEVEL = 3;
    private static final int[] FAMILY_TOP = {0, 6, 4, 3};
    private static final int[] PROBLEM_TOP = {0, 4, 3, 2};

    private Generalisation() {
    }

    /** The released value of a variable at a level, as text. */
    static String expression(ReleaseVariable variable, int level) {
        String column = "p." + variable.column();
        return switch (variable) {
            case FAMILY_SIZE -> topCoded(column, FAMILY_TOP[level]);
            case PROBLEM_COUNT -> topCoded(column, PROBLEM_TOP[level]);
            case AGE_BAND -> level < 2 ? column : "case when " + column + " in ('0-4', '5-10', '11-15', '16-17') then '0-17'"
                    + " when " + column + " in ('18-24', '25-34') then '18-34'"
                    + " when " + column + " in ('35-49', '50-64') then '35-64' else '65+' end";
            default -> "cast(" + column + " as varchar(16))";
        };
    }

    private static String topCoded(String column, int top) {
        if (top == 0) {
            return "cast(" + column + " as varchar(8))";
        }
        return "case when " + column + " >= " + top + " then '" + top + "+' else cast(" + column + " as varchar(8)) end";
    }

    /** What a level does to the given variables, for the report and the data dictionary. */
    static List<String> describe(List<ReleaseVariable> variables, int level) {
        List<String> steps = new ArrayList<>();
        if (level > 0 && variables.contains(ReleaseVariable.FAMILY_SIZE)) {
            steps.add("family_size top-coded at " + FAMILY_TOP[level] + "+");
        }
        if (level > 0 && variables.contains(ReleaseVariable.PROBLEM_COUNT)) {
            steps.add("problem_count top-coded at " + PROBLEM_TOP[level] + "+");
        }
        if (level >= 2 && variables.contains(ReleaseVariable.AGE_BAND)) {
            steps.add("age_band merged into 0-17, 18-34, 35-64, 65+");
        }
        return List.copyOf(steps);
    }
}
