package org.linkgate.disclosure;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Chooses complementary cells so that every primary cell meets {@link DisclosureRules}' protection
 * requirement against all published cells and margins, by audit and repair:
 * <ol>
 *   <li>for each primary cell in table order, if its LP interval is too narrow, consider every
 *       hypercube through it (the cell plus, per dimension, one other category or the total:
 *       2, 4 or 8 corners — the patterns of tau-ARGUS's hypercube method) and add the cheapest
 *       whose corners make it protected, checked by LP rather than by the hypercube's own bound;
 *       if no single hypercube suffices, add the one that widens the interval most and repeat;
 *       if none widens it, suppress every published cell sharing an equation with it;</li>
 *   <li>then drop, most expensive first, any complementary cell whose removal keeps every primary
 *       cell protected.</li>
 * </ol>
 * Cost of a complement, compared in order: number of newly suppressed cells, how many of them are
 * margins, their total count, then table position (so the result is deterministic). Suppressing
 * a cell only widens every interval, so protected cells stay protected and each repair adds at
 * least one cell: the loop ends, at worst with the whole table suppressed. Zero cells are never
 * complements when zeros are published (a reader knows suppressed cells are not zero).
 */
public final class SecondarySuppression {

    private final DisclosureRules rules;

    public SecondarySuppression(DisclosureRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    /** The full suppression pattern: the primaries marked PRIMARY plus complements marked SECONDARY. */
    public Map<CellKey, Suppression> apply(FrequencyTable table, Set<CellKey> primary) {
        return apply(table, primary, Set.of());
    }

    /**
     * As {@link #apply(FrequencyTable, Set)}, with {@code fixed} cells withheld from the start and
     * never pruned (marked SECONDARY unless primary): cells another table of the same release
     * withholds, so they must be withheld here too.
     */
    public Map<CellKey, Suppression> apply(FrequencyTable table, Set<CellKey> primary, Set<CellKey> fixed) {
        Comparator<CellKey> order = Comparator.comparingInt(table::position);
        Set<CellKey> suppressed = new TreeSet<>(order);
        suppressed.addAll(primary);
        suppressed.addAll(fixed);
        List<CellKey> primaries = new ArrayList<>(primary);
        primaries.sort(order);
        for (CellKey cell : primaries) {
            protect(table, cell, suppressed);
        }
        prune(table, primaries, fixed, suppressed);
        Map<CellKey, Suppression> result = new LinkedHashMap<>();
        for (CellKey cell : suppressed) {
            result.put(cell, primary.contains(cell) ? Suppression.PRIMARY : Suppression.SECONDARY);
        }
        return java.util.Collections.unmodifiableMap(result);
    }

    private void protect(FrequencyTable table, CellKey cell, Set<CellKey> suppressed) {
        FeasibleInterval current = interval(table, suppressed, cell);
        while (!rules.isProtected(current)) {
            List<Set<CellKey>> candidates = hypercubeComplements(table, cell, suppressed);
            Set<CellKey> best = null;
            double bestShortfall = shortfall(current);
            for (Set<CellKey> complement : candidates) {
                Set<CellKey> trial = new LinkedHashSet<>(suppressed);
                trial.addAll(complement);
                FeasibleInterval widened = interval(table, trial, cell);
                if (rules.isProtected(widened)) {
                    best = complement;
                    break;
                }
                double s = shortfall(widened);
                if (s < bestShortfall - FeasibleInterval.TOLERANCE) {
                    bestShortfall = s;
                    best = complement;
                }
            }
            if (best == null) {
                best = publishedNeighbours(table, cell, suppressed);
                if (best.isEmpty()) {
                    best = new LinkedHashSet<>(eligible(table, table.cells(), suppressed));
                }
                if (best.isEmpty()) {
                    return;   // nothing left to suppress; the audit will refuse the table
                }
            }
            suppressed.addAll(best);
            current = interval(table, suppressed, cell);
        }
    }

    private void prune(FrequencyTable table, List<CellKey> primaries, Set<CellKey> fixed, Set<CellKey> suppressed) {
        List<CellKey> secondaries = new ArrayList<>(suppressed);
        secondaries.removeAll(primaries);
        secondaries.removeAll(fixed);
        secondaries.sort(Comparator.comparing((CellKey c) -> c.isMarginal())
                .thenComparingLong(table::count)
                .thenComparingInt(table::position).reversed());
        for (CellKey candidate : secondaries) {
            Set<CellKey> trial = new TreeSet<>(Comparator.comparingInt(table::position));
            trial.addAll(suppressed);
            trial.remove(candidate);
            if (allProtected(table, primaries, trial)) {
                suppressed.remove(candidate);
            }
        }
    }

    private boolean allProtected(FrequencyTable table, List<CellKey> primaries, Set<CellKey> suppressed) {
        FeasibleRegion region = new FeasibleRegion(table, suppressed, rules.floor());
        for (CellKey p : primaries) {
            if (!rules.isProtected(region.bounds(p))) {
                return false;
            }
        }
        return true;
    }

    /** Hypercubes through the cell, as the cells each would add, cheapest first. */
    private List<Set<CellKey>> hypercubeComplements(FrequencyTable table, CellKey cell, Set<CellKey> suppressed) {
        int dims = table.dimensionCount();
        List<List<Integer>> alternatives = new ArrayList<>();
        for (int d = 0; d < dims; d++) {
            List<Integer> options = new ArrayList<>();
            for (int c = 0; c < table.dimensions().get(d).size(); c++) {
                options.add(c);
            }
            options.add(CellKey.TOTAL);
            options.remove(Integer.valueOf(cell.coordinate(d)));
            alternatives.add(options);
        }
        List<Candidate> candidates = new ArrayList<>();
        int sequence = 0;
        for (List<Integer> choice : cartesian(alternatives)) {
            Set<CellKey> added = new TreeSet<>(Comparator.comparingInt(table::position));
            boolean usable = true;
            for (int mask = 1; mask < (1 << dims) && usable; mask++) {
                CellKey corner = cell;
                for (int d = 0; d < dims; d++) {
                    if ((mask & (1 << d)) != 0) {
                        corner = corner.with(d, choice.get(d));
                    }
                }
                if (!suppressed.contains(corner)) {
                    usable = isEligible(table, corner);
                    added.add(corner);
                }
            }
            if (usable && !added.isEmpty()) {
                candidates.add(new Candidate(added, cost(table, added), sequence++));
            }
        }
        candidates.sort(Comparator.comparing(Candidate::cost).thenComparingInt(Candidate::sequence));
        return candidates.stream().map(Candidate::cells).toList();
    }

    private Cost cost(FrequencyTable table, Collection<CellKey> cells) {
        int margins = 0;
        long total = 0;
        for (CellKey c : cells) {
            margins += c.isMarginal() ? 1 : 0;
            total += table.count(c);
        }
        return new Cost(cells.size(), margins, total);
    }

    private Set<CellKey> publishedNeighbours(FrequencyTable table, CellKey cell, Set<CellKey> suppressed) {
        Set<CellKey> neighbours = new LinkedHashSet<>();
        for (FrequencyTable.AdditiveRelation relation : table.relations()) {
            List<CellKey> members = new ArrayList<>(relation.parts());
            members.add(relation.total());
            if (members.contains(cell)) {
                neighbours.addAll(eligible(table, members, suppressed));
            }
        }
        return neighbours;
    }

    private List<CellKey> eligible(FrequencyTable table, Collection<CellKey> cells, Set<CellKey> suppressed) {
        return cells.stream().filter(c -> !suppressed.contains(c) && isEligible(table, c)).toList();
    }

    /** A published zero is no complement when zeros are published: a reader knows suppressed cells are not zero. */
    private boolean isEligible(FrequencyTable table, CellKey cell) {
        return table.count(cell) >= rules.floor();
    }

    private double shortfall(FeasibleInterval interval) {
        if (!interval.isKnown()) {
            return Double.POSITIVE_INFINITY;
        }
        double below = rules.zerosDisclosive() ? Math.max(0, interval.lower()) : 0;
        double above = Math.max(0, rules.requiredUpperBound() - interval.upper());
        return below + above;
    }

    private FeasibleInterval interval(FrequencyTable table, Collection<CellKey> suppressed, CellKey cell) {
        return new FeasibleRegion(table, suppressed, rules.floor()).bounds(cell);
    }

    private static List<List<Integer>> cartesian(List<List<Integer>> lists) {
        List<List<Integer>> result = new ArrayList<>();
        result.add(List.of());
        for (List<Integer> options : lists) {
            List<List<Integer>> next = new ArrayList<>();
            for (List<Integer> prefix : result) {
                for (Integer option : options) {
                    List<Integer> extended = new ArrayList<>(prefix);
                    extended.add(option);
                    next.add(extended);
                }
            }
            result = next;
        }
        return result;
    }

    private record Cost(int cells, int margins, long total) implements Comparable<Cost> {
        @Override
        public int compareTo(Cost other) {
            return Comparator.comparingInt(Cost::cells).thenComparingInt(Cost::margins)
                    .thenComparingLong(Cost::total).compare(this, other);
        }
    }

    private record Candidate(Set<CellKey> cells, Cost cost, int sequence) {
    }
}
