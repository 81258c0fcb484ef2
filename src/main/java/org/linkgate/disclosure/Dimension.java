package org.linkgate.disclosure;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * One categorical dimension of a {@link FrequencyTable}: a name and its ordered, distinct
 * category labels. The label {@link #TOTAL} is reserved for the marginal total and may not be a
 * category.
 */
public record Dimension(String name, List<String> categories) {

    /** Label that addresses the marginal total of a dimension. */
    public static final String TOTAL = "Total";

    public Dimension {
        Objects.requireNonNull(name, "name");
        categories = List.copyOf(categories);
        if (name.isBlank()) {
            throw new IllegalArgumentException("A dimension needs a name");
        }
        if (categories.isEmpty()) {
            throw new IllegalArgumentException("Dimension " + name + " has no categories");
        }
        if (new HashSet<>(categories).size() != categories.size()) {
            throw new IllegalArgumentException("Dimension " + name + " repeats a category");
        }
        if (categories.contains(TOTAL)) {
            throw new IllegalArgumentException("Dimension " + name + " may not use the reserved label " + TOTAL);
        }
    }

    public static Dimension of(String name, String... categories) {
        return new Dimension(name, List.of(categories));
    }

    public int size() {
        return categories.size();
    }

    /** Index of a category, or {@link CellKey#TOTAL} for {@link #TOTAL}; unknown labels are refused. */
    int indexOf(String label) {
        if (TOTAL.equals(label)) {
            return CellKey.TOTAL;
        }
        int index = categories.indexOf(label);
        if (index < 0) {
            throw new IllegalArgumentException("Dimension " + name + " has no category " + label);
        }
        return index;
    }

    String labelOf(int index) {
        return index == CellKey.TOTAL ? TOTAL : categories.get(index);
    }
}
