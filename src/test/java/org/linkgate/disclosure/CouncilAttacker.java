package org.linkgate.disclosure;

import com.google.ortools.Loader;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.CpSolver;
import com.google.ortools.sat.CpSolverStatus;
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
 * exactly, the interval of every withheld ({@code [c]}) with-outcome cell and of every group.
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
    int solves;

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
        rowsByScope.forEach((scope, rows) -> attack(people, scope.get(0), scope.get(1), rows));
    }

    /** A row as name=value pairs: "breakdown" names the breakdown column, if any. */
    private static List<String> withHeader(List<String> header, List<String> row) {
        List<String> out = new ArrayList<>(List.of(row.get(3), header.size() == 8 ? header.get(4) : "",
                header.size() == 8 ? row.get(4) : "Total"));
        out.add(row.get(header.size() - 2)); // with_outcome
        return out;
    }

    private void attack(List<Known> people, String period, String measure, List<List<String>> rows) {
        int[] base = BASES.get(measure);
        Map<List<String>, Integer> sizes = new LinkedHashMap<>();
        for (Known p : people) {
            if (p.period().equals(period) && p.age() >= base[0] && p.age() <= base[1]) {
                sizes.merge(List.of(p.cohort(), p.sex(), band(p.age()), problems(p.problems())), 1, Integer::sum);
            }
        }
        List<List<String>> keys = new ArrayList<>(sizes.keySet());
        CpModel model = new CpModel();
        IntVar[] y = new IntVar[keys.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = model.newIntVar(0, sizes.get(keys.get(i)), "g" + i);
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
        for (List<String> row : withheld) {
            long[] b = bounds(model, expression(y, keys, row));
            long persons = 0;
            for (int i = 0; i < keys.size(); i++) {
                persons += matches(keys.get(i), row) ? sizes.get(keys.get(i)) : 0;
            }
            cells.add(new Finding(period, measure, row.get(0), row.get(1), row.get(2), b[0], b[1], persons));
        }
        for (int i = 0; i < keys.size(); i++) {
            long[] b = bounds(model, LinearExpr.sum(new LinearArgument[] {y[i]}));
            long n = sizes.get(keys.get(i));
            if (b[1] == 0 || b[0] == n) {
                groups.add(new GroupFinding(period, measure, keys.get(i), n, b[0] == n));
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

    private long[] bounds(CpModel model, LinearExpr e) {
        long[] b = new long[2];
        for (int side = 0; side < 2; side++) {
            if (side == 0) {
                model.minimize(e);
            } else {
                model.maximize(e);
            }
            CpSolver solver = new CpSolver();
            solver.getParameters().setNumWorkers(1).setLinearizationLevel(2).setMaxTimeInSeconds(30);
            CpSolverStatus status = solver.solve(model);
            solves++;
            if (status != CpSolverStatus.OPTIMAL) {
                throw new IllegalStateException("the attacker's model did not solve: " + status);
            }
            b[side] = Math.round(solver.objectiveValue());
            model.clearObjective();
        }
        return b;
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
