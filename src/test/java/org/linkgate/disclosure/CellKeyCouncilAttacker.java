package org.linkgate.disclosure;

import com.google.ortools.util.Domain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The council attacking a pack shown by the cell key method, written apart from the gateway (none of its
 * protection or perturbation code): the council's knowledge is {@link CouncilKnowledge}; its own reading of the
 * public p-table resource; CP-SAT directly. What it adds to the council's model: a shown figure p says the cell's
 * true count is one the p-table could publish as p (and, when {@code shownAreSafe}, not sensitive: the gateway
 * withholds those); a [c] says nothing. For every cell, shown or withheld, the exact interval of its true count; for
 * every group whether all or none can be shown to have it.
 */
final class CellKeyCouncilAttacker {

    /** One cell as attacked: its exact feasible interval of true counts. */
    record Finding(String period, String measure, String cohort, String breakdown, String category, boolean withheld,
                   long lower, long upper, long persons) {
    }

    final List<Finding> cells = new ArrayList<>();
    final List<CouncilKnowledge.GroupFinding> groups = new ArrayList<>();
    final AttackSolver cp = new AttackSolver();
    /** The p-table as published: per count row, every perturbation some cell key gets. */
    private final TreeMap<Integer, List<Integer>> ptable = readPtable();
    private final int threshold;
    private final boolean shownAreSafe;

    CellKeyCouncilAttacker(int threshold, boolean shownAreSafe) {
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

    void attack(List<CouncilKnowledge.Known> people, Map<String, List<List<String>>> release) {
        CouncilKnowledge.read(List.of(release)).forEach((scope, rows) -> attack(people, scope.get(0), rows));
    }

    private void attack(List<CouncilKnowledge.Known> people, String period, List<CouncilKnowledge.Row> rows) {
        CouncilKnowledge.Model model = new CouncilKnowledge.Model(people, period, rows);
        List<CouncilKnowledge.Row> attacked = new ArrayList<>();
        for (CouncilKnowledge.Row row : rows) {
            long n = model.persons(row);
            if ("n/a".equals(row.figure()) || n == 0) {
                continue;
            }
            attacked.add(row);
            if (!"[c]".equals(row.figure())) {
                long[] allowed = Arrays.stream(preimage(Long.parseLong(row.figure()), n))
                        .filter(t -> !shownAreSafe || !sensitive(t, n)).toArray();
                if (allowed.length == 0) {
                    throw new IllegalStateException("a shown figure no true count explains: " + row);
                }
                model.cp.addLinearExpressionInDomain(model.expression(row), Domain.fromValues(allowed));
            }
        }
        List<long[]> solutions = new ArrayList<>();
        for (CouncilKnowledge.Row row : attacked) {
            long[] b = cp.bounds(model.cp, model.expression(row), model.y, solutions);
            cells.add(new Finding(period, row.measure(), row.cohort(), row.breakdown(), row.category(),
                    "[c]".equals(row.figure()), b[0], b[1], model.persons(row)));
        }
        groups.addAll(model.toldGroups(cp, solutions));
    }
}
