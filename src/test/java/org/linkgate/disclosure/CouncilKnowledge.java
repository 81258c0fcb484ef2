package org.linkgate.disclosure;

import com.google.ortools.Loader;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.IntVar;
import com.google.ortools.sat.LinearArgument;
import com.google.ortools.sat.LinearExpr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the council knows, as the council attackers ({@link CouncilAttacker}, {@link CellKeyCouncilAttacker}) model
 * it, written apart from the gateway's protection code (none of it is used: its own grouping, its own reading of the
 * released CSV text, OR-Tools' CP-SAT directly).
 *
 * <p>The council knows every person it sent (period, cohort, sex, age, number of problems), whom each department
 * receives (the agreement's department filters) and what the measures mean (every emergency admission is a hospital
 * admission). {@link #read} turns released CSV records into rows per period and measure (emergency read together
 * with hospital); a {@link Model} is, for one period, one unknown per group of people the council can tell apart
 * (cohort, sex, age band, problems band, within the department's filter) and measure — how many of them have the
 * outcome, between 0 and the group's size — with the implication per group. What a published figure says of its
 * cell's unknowns is the attacker's own part.
 */
final class CouncilKnowledge {

    /** One person as the council knows them. */
    record Known(String period, String cohort, String sex, int age, int problems) {
    }

    /** A group all or none of whom the attacker can show to have the outcome. */
    record GroupFinding(String period, String measure, List<String> group, long persons, boolean all) {
    }

    /** A released row as the council reads it: cohort, breakdown name ("" if none), category, with-outcome figure, measure. */
    record Row(String cohort, String breakdown, String category, String figure, String measure) {
    }

    /** The departments' filters as the agreement's department configuration states them (demo departments). */
    static final Map<String, int[]> BASES = Map.of("any_offence", new int[] {10, 999}, "custody", new int[] {10, 999},
            "any_benefit_spell", new int[] {16, 999}, "persistent_absence", new int[] {4, 19},
            "hospital_admission", new int[] {0, 999}, "emergency_admission", new int[] {0, 999},
            "drug_treatment", new int[] {18, 999});

    /** A measure whose outcome implies another's for the same person (emergency admission: a hospital admission). */
    static final Map<String, String> IMPLIES = Map.of("emergency_admission", "hospital_admission");

    private static final int[][] BANDS = {{0, 4}, {5, 10}, {11, 15}, {16, 17}, {18, 24}, {25, 34}, {35, 49}, {50, 64},
            {65, 999}};
    private static final String[] BAND_LABELS = {"0-4", "5-10", "11-15", "16-17", "18-24", "25-34", "35-49", "50-64", "65+"};

    private CouncilKnowledge() {
    }

    /**
     * The rows of every release (each: file name to CSV records) by period and measure, a measure implying another
     * read with it: key {period, implied-or-own measure}, rows in the order read.
     */
    static Map<List<String>, List<Row>> read(List<Map<String, List<List<String>>>> releases) {
        Map<List<String>, List<Row>> joint = new LinkedHashMap<>();
        for (Map<String, List<List<String>>> release : releases) {
            for (List<List<String>> table : release.values()) {
                List<String> header = table.get(0);
                boolean breakdown = header.size() == 8;
                for (List<String> r : table.subList(1, table.size())) {
                    String measure = r.get(2);
                    Row row = new Row(r.get(3), breakdown ? header.get(4) : "", breakdown ? r.get(4) : "Total",
                            r.get(header.size() - 2), measure);
                    joint.computeIfAbsent(List.of(r.get(1), IMPLIES.getOrDefault(measure, measure)), k -> new ArrayList<>())
                            .add(row);
                }
            }
        }
        return joint;
    }

    /** One period's unknowns: a group (cohort, sex, band, problems, measure) per key, in [0, its size]. */
    static final class Model {
        final String period;
        final List<List<String>> keys;
        final Map<List<String>, Integer> sizes = new LinkedHashMap<>();
        final CpModel cp = new CpModel();
        final IntVar[] y;

        static {
            Loader.loadNativeLibraries();
        }

        /** The groups of the people the period's rows' measures cover, and the implication per group. */
        Model(List<Known> people, String period, List<Row> rows) {
            this.period = period;
            for (String measure : rows.stream().map(Row::measure).distinct().toList()) {
                int[] base = BASES.get(measure);
                for (Known p : people) {
                    if (p.period().equals(period) && p.age() >= base[0] && p.age() <= base[1]) {
                        sizes.merge(List.of(p.cohort(), p.sex(), band(p.age()), problems(p.problems()), measure), 1,
                                Integer::sum);
                    }
                }
            }
            keys = new ArrayList<>(sizes.keySet());
            y = new IntVar[keys.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = cp.newIntVar(0, sizes.get(keys.get(i)), "g" + i);
            }
            for (int i = 0; i < keys.size(); i++) {
                String implied = IMPLIES.get(keys.get(i).get(4));
                if (implied != null) {
                    List<String> other = new ArrayList<>(keys.get(i).subList(0, 4));
                    other.add(implied);
                    int j = keys.indexOf(other);
                    if (j >= 0) {
                        cp.addLessOrEqual(y[i], y[j]);
                    }
                }
            }
        }

        /** The row's with-outcome count: the sum of its groups' unknowns. */
        LinearExpr expression(Row row) {
            List<LinearArgument> terms = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                if (matches(keys.get(i), row)) {
                    terms.add(y[i]);
                }
            }
            return LinearExpr.sum(terms.toArray(new LinearArgument[0]));
        }

        /** How many people the row covers, counted from the council's own people. */
        long persons(Row row) {
            long n = 0;
            for (List<String> k : keys) {
                n += matches(k, row) ? sizes.get(k) : 0;
            }
            return n;
        }

        /**
         * Every group all or none of whom have the outcome in every table the model allows: exact, by feasibility,
         * reusing every solution found so far.
         */
        List<GroupFinding> toldGroups(AttackSolver solver, List<long[]> solutions) {
            List<GroupFinding> told = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                long n = sizes.get(keys.get(i));
                AttackSolver.Group group = solver.group(cp, y, i, n, solutions);
                if (group.told()) {
                    told.add(new GroupFinding(period, keys.get(i).get(4), keys.get(i).subList(0, 4), n, !group.someWithout()));
                }
            }
            return told;
        }
    }

    /** Whether a group (cohort, sex, band, problems, measure) is in a row. */
    private static boolean matches(List<String> group, Row row) {
        if (!group.get(4).equals(row.measure()) || !"Total".equals(row.cohort()) && !row.cohort().equals(group.get(0))) {
            return false;
        }
        if ("Total".equals(row.category())) {
            return true;
        }
        return switch (row.breakdown()) {
            case "sex" -> group.get(1).equals(row.category());
            case "age_band" -> group.get(2).equals(row.category());
            case "problems" -> group.get(3).equals(row.category());
            default -> throw new IllegalArgumentException("breakdown the attacker does not know: " + row.breakdown());
        };
    }

    static String band(int age) {
        for (int i = 0; i < BANDS.length; i++) {
            if (age >= BANDS[i][0] && age <= BANDS[i][1]) {
                return BAND_LABELS[i];
            }
        }
        throw new IllegalArgumentException("age");
    }

    static String problems(int count) {
        return count <= 1 ? "0-1" : count == 2 ? "2" : count == 3 ? "3" : "4-6";
    }

    static String cohort(String stored) {
        return "TREATMENT".equals(stored) ? "Treatment" : "Comparison";
    }
}
