package org.linkgate.disclosure;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Address of one cell of a table with margins: one coordinate per dimension, each a category
 * index or {@link #TOTAL}. A key with at least one {@code TOTAL} coordinate is a marginal cell.
 */
public record CellKey(List<Integer> coordinates) {

    /** Coordinate value that stands for a dimension's marginal total. */
    public static final int TOTAL = -1;

    public CellKey {
        coordinates = List.copyOf(coordinates);
        for (int c : coordinates) {
            if (c < TOTAL) {
                throw new IllegalArgumentException("Bad coordinate " + c);
            }
        }
    }

    public static CellKey of(int... coordinates) {
        return new CellKey(java.util.Arrays.stream(coordinates).boxed().toList());
    }

    public int dimensionCount() {
        return coordinates.size();
    }

    public int coordinate(int dimension) {
        return coordinates.get(dimension);
    }

    public boolean isMarginal() {
        return coordinates.contains(TOTAL);
    }

    /** The key with one coordinate replaced. */
    public CellKey with(int dimension, int coordinate) {
        Integer[] copy = coordinates.toArray(new Integer[0]);
        copy[dimension] = coordinate;
        return new CellKey(List.of(copy));
    }

    @Override
    public String toString() {
        return coordinates.stream().map(c -> c == TOTAL ? "T" : Integer.toString(c))
                .collect(Collectors.joining(",", "(", ")"));
    }
}
