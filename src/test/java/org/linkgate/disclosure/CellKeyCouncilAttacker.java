package org.linkgate.disclosure;

import com.google.ortools.Loader;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.IntVar;
import com.google.ortools.sat.LinearArgument;
import com.google.ortools.sat.LinearExpr;
import com.google.ortools.util.Domain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The council attacking a pack shown by the cell key method, written apart from the gateway (none of its
 * protection or perturbation code): its own reading of the public p-table resource, its own reading of the CSV,
 * CP-SAT directly. Per period and measure (emergency tied to hospital), one unknown per group it can tell apart,
 * in [0, size]; a shown figure p says the cell's true count is one the p-table could publish as p (and, when
 * {@code shownAreSafe}, not sensitive: the gateway withholds those); a [c] says nothing. For every cell, shown or
 * withheld, the exact interval of its true count; for every group whether all or none can be shown to have it.
 */
final class CellKeyCouncilAttacker {

    /** One cell as attacked: its exact feasible interval of true counts. */
    record Finding(String period, String measure, String cohort, String breakdown, String category, boolean withheld,
                   long lower, long upper, long persons) {
    }

    final List<Finding> cells = new ArrayList<>();
    final List<CouncilAttacker.GroupFinding> groups = new ArrayList<>();
    final AttackSolver cp = new AttackSolver();
    /** The p-table as published: per count row, every perturbation some cell key gets. */
    private final TreeMap<Integer, List<Integer>> ptable = readPtable();
    private final int threshold;
    private final boolean shownAreSafe;

    CellKeyCouncilAttacker(int threshold, boolean shownAreSafe) {
        Loader.loadNativeLibraries();
        this.threshold = threshold;
        this.shownAreSafe = shownAreSafe;
    }

    private static TreeMap<Integer, List<Integer>> readPtable() {
        TreeMap<Integer, List<Integer>> rows = new TreeMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                CellKeyCouncilAttacker.class.getResourceAsStream("/disclosure/ptable.csv"), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank() || line.startsWith("#") || line.startsWith("count")) {
                    continue;
                }
                String[] f = line.split(",");
                if (Integer.parseInt(f[2].strip()) > 0) {
                    rows.computeIfAbsent(Integer.parseInt(f[0].strip()), k -> new ArrayList<>())
                            .add(Integer.parseInt(f[1].strip()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /** True counts in [0, n] the p-table could publish as {@code p}. */
    long[] preimage(long p, long n) {
        List<Long> out = new ArrayList<>();
        for (long t = 0; t <= n; t++) {
            for (int d : ptable.floorEntry((int) Math.min(t, Integer.MAX_VALUE)).getValue()) {
                if (t + d == p) {
                    out.add(t);
                    break;
                }
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private boolean sensitive(long t, long n) {
        return t <= threshold || n - t <= threshold;
    }

    void attack(List<CouncilAttacker.Known> people, Map<String, List<List<String>>> release) {
        Map<List<String>, List<List<String>>> joint = new LinkedHashMap<>();
        for (List<List<String>> table : release.values()) {
            List<String> header = table.get(0);
            for (List<String> row : table.subList(1, table.size())) {
                String measure = row.get(2);
                String together = CouncilAttacker.IMPLIES.getOrDefault(measure, measure);
                List<String> r = new ArrayList<>(List.of(row.get(3), header.size() == 8 ? header.get(4) : "",
                        header.size() == 8 ? row.get(4) : "Total", row.get(header.size() - 2), measure));
                joint.computeIfAbsent(List.of(row.get(1), together), k -> new ArrayList<>()).add(r);
            }
        }
        joint.forEach((scope, rows) -> attack(people, scope.get(0), rows));
    }

    private void attack(List<CouncilAttacker.Known> people, String period, List<List<String>> rows) {
        List<String> measures = rows.stream().map(r -> r.get(4)).distinct().toList();
        Map<List<String>, Integer> sizes = new LinkedHashMap<>();
        for (String measure : measures) {
            int[] base = CouncilAttacker.BASES.get(measure);
            for (CouncilAttacker.Known p : people) {
                if (p.period().equals(period) && p.age() >= base[0] && p.age() <= base[1]) {
                    sizes.merge(List.of(p.cohort(), p.sex(), CouncilAttacker.band(p.age()),
                            CouncilAttacker.problems(p.problems()), measure), 1, Integer::sum);
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
            String implied = CouncilAttacker.IMPLIES.get(keys.get(i).get(4));
            if (implied != null) {
                List<String> other = new ArrayList<>(keys.get(i).subList(0, 4));
                other.add(implied);
                int j = keys.indexOf(other);
                if (j >= 0) {
                    model.addLessOrEqual(y[i], y[j]);
                }
            }
        }
        List<List<String>> attacked = new ArrayList<>();
        for (List<String> row : rows) {
            if ("n/a".equals(row.get(3))) {
                continue;
            }
            long n = persons(keys, sizes, row);
            if (n == 0) {
                continue;
            }
            attacked.add(row);
            if (!"[c]".equals(row.get(3))) {
                long[] allowed = java.util.Arrays.stream(preimage(Long.parseLong(row.get(3)), n))
                        .filter(t -> !shownAreSafe || !sensitive(t, n)).toArray();
                if (allowed.length == 0) {
                    throw new IllegalStateException("a shown figure no true count explains: " + row);
                }
                model.addLinearExpressionInDomain(expression(y, keys, row), Domain.fromValues(allowed));
            }
        }
        List<long[]> solutions = new ArrayList<>();
        for (List<String> row : attacked) {
            long[] b = cp.bounds(model, expression(y, keys, row), y, solutions);
            cells.add(new Finding(period, row.get(4), row.get(0), row.get(1), row.get(2), "[c]".equals(row.get(3)), b[0],
                    b[1], persons(keys, sizes, row)));
        }
        for (int i = 0; i < keys.size(); i++) {
            long n = sizes.get(keys.get(i));
            AttackSolver.Group group = cp.group(model, y, i, n, solutions);
            if (group.told()) {
                groups.add(new CouncilAttacker.GroupFinding(period, keys.get(i).get(4), keys.get(i).subList(0, 4), n,
                        !group.someWithout()));
            }
        }
    }

    private static long persons(List<List<String>> keys, Map<List<String>, Integer> sizes, List<String> row) {
        long n = 0;
        for (List<String> k : keys) {
            n += matches(k, row) ? sizes.get(k) : 0;
        }
        return n;
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

    private static boolean matches(List<String> group, List<String> row) {
        if (!group.get(4).equals(row.get(4)) || !"Total".equals(row.get(0)) && !row.get(0).equals(group.get(0))) {
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
}
