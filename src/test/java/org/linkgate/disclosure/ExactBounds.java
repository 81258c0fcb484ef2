package org.linkgate.disclosure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Independent check of a suppression pattern: enumerates every table of non-negative integer
 * interior counts consistent with what is published (published cells and margins equal, suppressed
 * cells at least {@code floor}) and records each suppressed cell's smallest and largest value.
 * Shares nothing with the LP code but the table's published counts; for small tables only.
 */
final class ExactBounds {

    private final FrequencyTable table;
    private final Set<CellKey> suppressed;
    private final long floor;
    private final List<CellKey> unknown = new ArrayList<>();
    private final long[] upper;
    private final List<CellKey> published = new ArrayList<>();
    private final List<List<Integer>> checkAt = new ArrayList<>();   // published aggregates to check after assigning unknown k
    private final Map<CellKey, long[]> bounds = new HashMap<>();
    private final long[] assignment;
    private long consistentTables;
    private final boolean[][] containsUnknown;
    private final long[] knownSum;

    private ExactBounds(FrequencyTable table, Set<CellKey> suppressed, long floor) {
        this.table = table;
        this.suppressed = suppressed;
        this.floor = floor;
        for (CellKey cell : table.cells()) {
            if (suppressed.contains(cell)) {
                bounds.put(cell, new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
                if (!cell.isMarginal()) {
                    unknown.add(cell);
                }
            } else {
                published.add(cell);
            }
        }
        upper = new long[unknown.size()];
        assignment = new long[unknown.size()];
        for (int k = 0; k < unknown.size(); k++) {
            long bound = Long.MAX_VALUE;
            for (CellKey p : published) {
                if (contains(p, unknown.get(k))) {
                    bound = Math.min(bound, table.count(p));
                }
            }
            if (bound == Long.MAX_VALUE) {
                throw new IllegalStateException("Cell " + unknown.get(k) + " is unbounded; too big to enumerate");
            }
            upper[k] = bound;
            checkAt.add(new ArrayList<>());
        }
        containsUnknown = new boolean[published.size()][unknown.size()];
        knownSum = new long[published.size()];
        for (int p = 0; p < published.size(); p++) {
            for (int k = 0; k < unknown.size(); k++) {
                containsUnknown[p][k] = contains(published.get(p), unknown.get(k));
            }
            for (CellKey interior : table.interiorCells()) {
                if (!suppressed.contains(interior) && contains(published.get(p), interior)) {
                    knownSum[p] += table.count(interior);
                }
            }
        }
        for (int p = 0; p < published.size(); p++) {
            int last = -1;
            for (int k = 0; k < unknown.size(); k++) {
                if (contains(published.get(p), unknown.get(k))) {
                    last = k;
                }
            }
            if (last >= 0) {
                checkAt.get(last).add(p);
            }
        }
    }

    /** Cell to {min, max} over every consistent integer table. */
    static Map<CellKey, long[]> of(FrequencyTable table, Set<CellKey> suppressed, long floor) {
        ExactBounds search = new ExactBounds(table, suppressed, floor);
        search.enumerate(0);
        if (search.consistentTables == 0) {
            throw new IllegalStateException("The true table should be consistent");
        }
        return search.bounds;
    }

    private void enumerate(int k) {
        if (k == unknown.size()) {
            record();
            return;
        }
        // every published aggregate caps what is left for this cell; the last unknown of an
        // aggregate is forced to the remainder
        long max = upper[k];
        long forced = -1;
        for (int p = 0; p < published.size(); p++) {
            if (containsUnknown[p][k]) {
                long remaining = table.count(published.get(p)) - partialSum(p, k);
                max = Math.min(max, remaining);
                if (checkAt.get(k).contains(p)) {
                    forced = remaining;
                }
            }
        }
        long from = forced >= 0 ? forced : 0;
        long to = forced >= 0 ? Math.min(forced, max) : max;
        for (long v = from; v <= to; v++) {
            assignment[k] = v;
            if (publishedAggregatesHold(k)) {
                enumerate(k + 1);
            }
        }
    }

    /** Published interior cells plus unknowns assigned before k, inside aggregate p. */
    private long partialSum(int p, int k) {
        long sum = knownSum[p];
        for (int j = 0; j < k; j++) {
            if (containsUnknown[p][j]) {
                sum += assignment[j];
            }
        }
        return sum;
    }

    private boolean publishedAggregatesHold(int k) {
        for (int p : checkAt.get(k)) {
            CellKey aggregate = published.get(p);
            if (valueOf(aggregate) != table.count(aggregate)) {
                return false;
            }
        }
        return true;
    }

    private void record() {
        for (CellKey cell : bounds.keySet()) {
            if (valueOf(cell) < floor) {
                return;
            }
        }
        consistentTables++;
        for (Map.Entry<CellKey, long[]> e : bounds.entrySet()) {
            long v = valueOf(e.getKey());
            e.getValue()[0] = Math.min(e.getValue()[0], v);
            e.getValue()[1] = Math.max(e.getValue()[1], v);
        }
    }

    /** Sum of the interior cells an (interior or marginal) cell covers, under the current assignment. */
    private long valueOf(CellKey cell) {
        long sum = 0;
        for (CellKey interior : table.interiorCells()) {
            if (contains(cell, interior)) {
                int k = unknown.indexOf(interior);
                sum += k >= 0 ? assignment[k] : table.count(interior);
            }
        }
        return sum;
    }

    private static boolean contains(CellKey aggregate, CellKey interior) {
        for (int d = 0; d < aggregate.dimensionCount(); d++) {
            int c = aggregate.coordinate(d);
            if (c != CellKey.TOTAL && c != interior.coordinate(d)) {
                return false;
            }
        }
        return true;
    }
}
