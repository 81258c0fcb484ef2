package org.linkgate.disclosure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An immutable table of non-negative counts over 1, 2 or 3 categorical dimensions, together with
 * every marginal total (each dimension's totals, their cross-totals and the grand total), all
 * derived from the interior counts so they are additive by construction.
 *
 * <p>Cells are addressed by {@link CellKey}; {@link #cells()} lists every cell, interior and
 * marginal, in a fixed row-major order with each dimension's total last.
 */
public final class FrequencyTable {

    /** Largest number of dimensions supported. */
    public static final int MAX_DIMENSIONS = 3;

    private final List<Dimension> dimensions;
    private final int[] extent;     // categories + 1 (the total) per dimension
    private final long[] values;    // every cell with margins, row-major over extent
    private final List<CellKey> cells;
    private final List<AdditiveRelation> relations;

    private FrequencyTable(List<Dimension> dimensions, long[] interior) {
        this.dimensions = dimensions;
        this.extent = dimensions.stream().mapToInt(d -> d.size() + 1).toArray();
        this.values = new long[Arrays.stream(extent).reduce(1, (a, b) -> a * b)];
        List<CellKey> all = new ArrayList<>(values.length);
        for (int flat = 0; flat < values.length; flat++) {
            all.add(keyOfFlat(flat));
        }
        this.cells = Collections.unmodifiableList(all);
        int[] sizes = dimensions.stream().mapToInt(Dimension::size).toArray();
        int[] coordinate = new int[sizes.length];
        for (int i = 0; i < interior.length; i++) {
            decode(i, sizes, coordinate);
            addToAllProjections(coordinate, interior[i]);
        }
        this.relations = buildRelations();
    }

    /** Starts a table over the given dimensions (1 to 3); counts start at zero. */
    public static Builder builder(List<Dimension> dimensions) {
        return new Builder(dimensions);
    }

    /** A one-dimensional table from its counts in category order. */
    public static FrequencyTable of(Dimension dimension, long... counts) {
        if (counts.length != dimension.size()) {
            throw new IllegalArgumentException("Expected " + dimension.size() + " counts");
        }
        return new Builder(List.of(dimension)).setAll(counts).build();
    }

    /** A two-dimensional table from {@code counts[row][column]}. */
    public static FrequencyTable of(Dimension rows, Dimension columns, long[][] counts) {
        Builder builder = new Builder(List.of(rows, columns));
        long[] flat = Arrays.stream(counts).flatMapToLong(Arrays::stream).toArray();
        if (counts.length != rows.size() || flat.length != rows.size() * columns.size()) {
            throw new IllegalArgumentException("Counts do not match the dimensions");
        }
        return builder.setAll(flat).build();
    }

    /** A three-dimensional table from {@code counts[first][second][third]}. */
    public static FrequencyTable of(Dimension first, Dimension second, Dimension third, long[][][] counts) {
        Builder builder = new Builder(List.of(first, second, third));
        long[] flat = Arrays.stream(counts).flatMap(Arrays::stream).flatMapToLong(Arrays::stream).toArray();
        if (counts.length != first.size() || flat.length != first.size() * second.size() * third.size()) {
            throw new IllegalArgumentException("Counts do not match the dimensions");
        }
        return builder.setAll(flat).build();
    }

    public List<Dimension> dimensions() {
        return dimensions;
    }

    public int dimensionCount() {
        return dimensions.size();
    }

    /** Every cell, interior and marginal, in the table's fixed order. */
    public List<CellKey> cells() {
        return cells;
    }

    /** The interior cells only. */
    public List<CellKey> interiorCells() {
        return cells.stream().filter(k -> !k.isMarginal()).toList();
    }

    /** The count of any cell, interior or marginal. */
    public long count(CellKey key) {
        return values[flatIndex(key)];
    }

    /** The count addressed by category labels, {@link Dimension#TOTAL} for a margin. */
    public long count(String... labels) {
        return count(key(labels));
    }

    /** The key addressed by category labels, {@link Dimension#TOTAL} for a margin. */
    public CellKey key(String... labels) {
        if (labels.length != dimensions.size()) {
            throw new IllegalArgumentException("Expected " + dimensions.size() + " labels");
        }
        int[] coordinates = new int[labels.length];
        for (int d = 0; d < labels.length; d++) {
            coordinates[d] = dimensions.get(d).indexOf(labels[d]);
        }
        return CellKey.of(coordinates);
    }

    /** The category labels of a cell, {@link Dimension#TOTAL} for a margin. */
    public List<String> labels(CellKey key) {
        checkKey(key);
        List<String> labels = new ArrayList<>();
        for (int d = 0; d < dimensions.size(); d++) {
            labels.add(dimensions.get(d).labelOf(key.coordinate(d)));
        }
        return List.copyOf(labels);
    }

    /** Position of a cell in {@link #cells()}; gives a deterministic order. */
    public int position(CellKey key) {
        return flatIndex(key);
    }

    /**
     * The additive equations a reader knows: for each dimension and each cell whose coordinate in
     * that dimension is the total, that cell equals the sum over the dimension's categories.
     */
    List<AdditiveRelation> relations() {
        return relations;
    }

    private List<AdditiveRelation> buildRelations() {
        List<AdditiveRelation> result = new ArrayList<>();
        for (int d = 0; d < dimensions.size(); d++) {
            for (CellKey total : cells) {
                if (total.coordinate(d) != CellKey.TOTAL) {
                    continue;
                }
                List<CellKey> parts = new ArrayList<>();
                for (int c = 0; c < dimensions.get(d).size(); c++) {
                    parts.add(total.with(d, c));
                }
                result.add(new AdditiveRelation(total, parts));
            }
        }
        return List.copyOf(result);
    }

    private void addToAllProjections(int[] coordinate, long count) {
        int dims = coordinate.length;
        for (int mask = 0; mask < (1 << dims); mask++) {
            int flat = 0;
            for (int d = 0; d < dims; d++) {
                int c = (mask & (1 << d)) != 0 ? extent[d] - 1 : coordinate[d];
                flat = flat * extent[d] + c;
            }
            values[flat] = Math.addExact(values[flat], count);
        }
    }

    private static void decode(int index, int[] sizes, int[] into) {
        for (int d = sizes.length - 1; d >= 0; d--) {
            into[d] = index % sizes[d];
            index /= sizes[d];
        }
    }

    private CellKey keyOfFlat(int flat) {
        int[] coordinate = new int[extent.length];
        decode(flat, extent, coordinate);
        for (int d = 0; d < coordinate.length; d++) {
            if (coordinate[d] == extent[d] - 1) {
                coordinate[d] = CellKey.TOTAL;
            }
        }
        return CellKey.of(coordinate);
    }

    private int flatIndex(CellKey key) {
        checkKey(key);
        int flat = 0;
        for (int d = 0; d < extent.length; d++) {
            int c = key.coordinate(d) == CellKey.TOTAL ? extent[d] - 1 : key.coordinate(d);
            flat = flat * extent[d] + c;
        }
        return flat;
    }

    private void checkKey(CellKey key) {
        Objects.requireNonNull(key, "key");
        if (key.dimensionCount() != extent.length) {
            throw new IllegalArgumentException("Key " + key + " does not have " + extent.length + " coordinates");
        }
        for (int d = 0; d < extent.length; d++) {
            if (key.coordinate(d) >= extent[d] - 1) {
                throw new IllegalArgumentException("Key " + key + " is outside the table");
            }
        }
    }

    /** A table equation: {@code total} equals the sum of {@code parts}. */
    record AdditiveRelation(CellKey total, List<CellKey> parts) {
    }

    /** Accumulates interior counts; adding to the same cell twice sums. */
    public static final class Builder {
        private final List<Dimension> dimensions;
        private final long[] interior;

        private Builder(List<Dimension> dimensions) {
            this.dimensions = List.copyOf(dimensions);
            if (this.dimensions.isEmpty() || this.dimensions.size() > MAX_DIMENSIONS) {
                throw new IllegalArgumentException("A table has 1 to " + MAX_DIMENSIONS + " dimensions");
            }
            if (this.dimensions.stream().map(Dimension::name).distinct().count() != this.dimensions.size()) {
                throw new IllegalArgumentException("Dimension names must be distinct");
            }
            this.interior = new long[this.dimensions.stream().mapToInt(Dimension::size).reduce(1, Math::multiplyExact)];
        }

        /** Adds a count to the interior cell with these category labels (no totals). */
        public Builder add(List<String> labels, long count) {
            if (labels.size() != dimensions.size()) {
                throw new IllegalArgumentException("Expected " + dimensions.size() + " labels");
            }
            if (count < 0) {
                throw new IllegalArgumentException("Counts cannot be negative");
            }
            int index = 0;
            for (int d = 0; d < dimensions.size(); d++) {
                int c = dimensions.get(d).indexOf(labels.get(d));
                if (c == CellKey.TOTAL) {
                    throw new IllegalArgumentException("Totals are derived, not added");
                }
                index = index * dimensions.get(d).size() + c;
            }
            interior[index] = Math.addExact(interior[index], count);
            return this;
        }

        public Builder add(String label, long count) {
            return add(List.of(label), count);
        }

        public Builder add(String first, String second, long count) {
            return add(List.of(first, second), count);
        }

        public Builder add(String first, String second, String third, long count) {
            return add(List.of(first, second, third), count);
        }

        private Builder setAll(long[] counts) {
            for (long c : counts) {
                if (c < 0) {
                    throw new IllegalArgumentException("Counts cannot be negative");
                }
            }
            System.arraycopy(counts, 0, interior, 0, interior.length);
            return this;
        }

        public FrequencyTable build() {
            return new FrequencyTable(dimensions, interior.clone());
        }
    }
}
