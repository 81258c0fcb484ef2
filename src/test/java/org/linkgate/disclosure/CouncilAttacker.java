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
 * The council as an attacker, written apart from the gateway's protection code (it uses none of
 * it: its own grouping, its own reading of the released CSV text, OR-Tools' CP-SAT directly).
 *
 * <p>It knows what the council knows: every person it sent (period, cohort, sex, age, number of
 * problems) and whom each department receives (the agreement's department filters). It reads
 * every released table of every release it was sent, and for each period and measure builds an
 * integer model: one unknown per group of people it can tell apart (cohort, sex, age band,
 * problems band, within the department's filter) — how many of them have the outcome, between 0
 * and the group's size — and one equation per published with-outcome figure. It then computes,
 * exactly, the interval of every withheld ({@code [c]}) with-outcome cell (minimum and maximum),
 * and for every group whether any table it cannot rule out has one of them with, and one without,
 * the outcome (feasibility; every table found on the way counts as such a proof).
 */
final class CouncilAttacker {

    /** One person as the council knows them. */
    record Known(String period, String cohort, String sex, int age, int problems) {
    }

    /** What the attacker found about one withheld cell. */
    record Finding(String period, String measure, String cohort, String breakdown, String category, long lower,
                   long upper, long persons) {
    }

    /** A group all or none of whom the attacker can show to have the outcome. */
    record GroupFinding(String period, String measure, List<String> group, long persons, boolean all) {
    }

    /** The departments' filters as the agreement's department configuration states them (demo departments). */
    static final Map<String, int[]> BASES = Map.of("any_offence", new int[] {10, 999}, "custody", new int[] {10, 999},
            "any_benefit_spell", new int[] {16, 999}, "persistent_absence", new int[] {4, 19},
            "hospital_admission", new int[] {0, 999}, "emergency_admission", new int[] {0, 999},
            "drug_treatment", new int[] {18, 999});

    private static final int[][] BANDS = {{0, 4}, {5, 10}, {11, 15}, {16, 17}, {18, 24}, {25, 34}, {35, 49}, {50, 64},
            {65, 999}};
    private static final String[] BAND_LABELS = {"0-4", "5-10", "11-15", "16-17", "18-24", "25-34", "35-49", "50-64", "65+"};

    final List<Finding> cells = new ArrayList<>();
    final List<GroupFinding> groups = new ArrayList<>();
    final AttackSolver cp = new AttackSolver();

    CouncilAttacker() {
        Loader.loadNativeLibraries();
    }

    /** Attacks every period and measure found in the releases (each release: file name to CSV records). */
    void attack(List<Known> people, List<Map<String, List<List<String>>>> releases) {
        Map<List<String>, List<List<String>>> rowsByScope = new LinkedHashMap<>();
        Map<List<String>, List<String>> headers = new LinkedHashMap<>();
        for (Map<String, List<List<String>>> release : releases) {
            for (List<List<String>> table : release.values()) {
                List<String> header = table.get(0);
                for (List<String> row : table.subList(1, table.size())) {
                    List<String> scope = List.of(row.get(1), row.get(2)); // period, measure
                    rowsByScope.computeIfAbsent(scope, k -> new ArrayList<>()).add(withHeader(header, row));
                }
            }
        }
        // the council also knows what the measures mean: every emergency admission is a hospital
        // admission, so those two are attacked as one model with that implication per group
        Map<List<String>, List<List<String>>> joint = new LinkedHashMap<>();
        rowsByScope.forEach((scope, rows) -> {
            String together = IMPLIES.containsKey(scope.get(1)) ? IMPLIES.get(scope.get(1)) : scope.get(1);
            List<List<String>> into = joint.computeIfAbsent(List.of(scope.get(0), together), k -> new ArrayList<>());
            for (List<String> row : rows) {
                List<String> tagged = new ArrayList<>(row);
                tagged.add(scope.get(1));
                into.add(tagged);
            }
        });
        joint.forEach((scope, rows) -> attack(people, scope.get(0), rows));
    }

    /** A measure whose outcome implies another's for the same person (emergency admission: a hospital admission). */
    static final Map<String, String> IMPLIES = Map.of("emergency_admission", "hospital_admission");

    /** A row as name=value pairs: "breakdown" names the breakdown column, if any. */
    private static List<String> withHeader(List<String> header, List<String> row) {
        List<String> out = new ArrayList<>(List.of(row.get(3), header.size() == 8 ? header.get(4) : "",
                header.size() == 8 ? row.get(4) : "Total"));
        out.add(row.get(header.size() - 2)); // with_outcome
        return out;
    }

    /** One model for the period's rows (each tagged with its measure last), groups per measure. */
    private void attack(List<Known> people, String period, List<List<String>> rows) {
        List<String> measures = rows.stream().map(r -> r.get(4)).distinct().toList();
        Map<List<String>, Integer> sizes = new LinkedHashMap<>();
        for (String measure : measures) {
            int[] base = BASES.get(measure);
            for (Known p : people) {
                if (p.period().equals(period) && p.age() >= base[0] && p.age() <= base[1]) {
                    sizes.merge(List.of(p.cohort(), p.sex(), band(p.age()), problems(p.problems()), measure), 1, Integer::sum);
                }
            }
        }
        List<List<String>> keys = new ArrayList<>(sizes.keySet());
        CpModel model = new CpModel();
        IntVar[] y = new IntVar[keys.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = model.newIntVar(0, sizes.get(keys.get(i)), "g" + i);
        }
        for (int i = 0; i < keys.size(); i++) {
            String implied = IMPLIES.get(keys.get(i).get(4));
            if (implied != null) {
                List<String> other = new ArrayList<>(keys.get(i).subList(0, 4));
                other.add(implied);
                int j = keys.indexOf(other);
                if (j >= 0) {
                    model.addLessOrEqual(y[i], y[j]);
                }
            }
        }
        List<List<String>> withheld = new ArrayList<>();
        for (List<String> row : rows) {
            String value = row.get(3);
            if ("n/a".equals(value)) {
                continue;
            }
            LinearExpr e = expression(y, keys, row);
            if ("[c]".equals(value)) {
                withheld.add(row);
            } else {
                model.addEquality(e, Long.parseLong(value));
            }
        }
        List<long[]> solutions = new ArrayList<>();
        for (List<String> row : withheld) {
            long[] b = cp.bounds(model, expression(y, keys, row), y, solutions);
            long persons = 0;
            for (int i = 0; i < keys.size(); i++) {
                persons += matches(keys.get(i), row) ? sizes.get(keys.get(i)) : 0;
            }
            cells.add(new Finding(period, row.get(4), row.get(0), row.get(1), row.get(2), b[0], b[1], persons));
        }
        // a group is told if no table consistent with what the council knows has one of them with
        // the outcome (or one without): exact, by feasibility, reusing every solution found so far
        for (int i = 0; i < keys.size(); i++) {
            long n = sizes.get(keys.get(i));
            AttackSolver.Group group = cp.group(model, y, i, n, solutions);
            if (group.told()) {
                groups.add(new GroupFinding(period, keys.get(i).get(4), keys.get(i).subList(0, 4), n, !group.someWithout()));
            }
        }
    }

    private static LinearExpr expression(IntVar[] y, List<List<String>> keys, List<String> row) {
        List<LinearArgument> terms = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if (matches(keys.get(i), row)) {
                terms.add(y[i]);
            }
        }
        return LinearExpr.sum(terms.toArray(new LinearArgument[0]));
    }

    /** Whether a group (cohort, sex, band, problems) is in a row (cohort, breakdown name, category). */
    private static boolean matches(List<String> group, List<String> row) {
        if (!group.get(4).equals(row.get(4))) {
            return false;
        }
        if (!"Total".equals(row.get(0)) && !row.get(0).equals(group.get(0))) {
            return false;
        }
        if ("Total".equals(row.get(2))) {
            return true;
        }
        return switch (row.get(1)) {
            case "sex" -> group.get(1).equals(row.get(2));
            case "age_band" -> group.get(2).equals(row.get(2));
            case "problems" -> group.get(3).equals(row.get(2));
            default -> throw new IllegalArgumentException("breakdown the attacker does not know: " + row.get(1));
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
