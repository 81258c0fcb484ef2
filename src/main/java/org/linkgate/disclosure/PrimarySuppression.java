package org.linkgate.disclosure;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Finds the sensitive cells of a table: every cell, interior or marginal, counting 1 to N cases
 * (and 0 when zeros are disclosive). Returns them in table order.
 */
public final class PrimarySuppression {

    private final DisclosureRules rules;

    public PrimarySuppression(DisclosureRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    public Set<CellKey> apply(FrequencyTable table) {
        Set<CellKey> sensitive = new LinkedHashSet<>();
        for (CellKey cell : table.cells()) {
            if (rules.isSensitive(table.count(cell))) {
                sensitive.add(cell);
            }
        }
        return java.util.Collections.unmodifiableSet(sensitive);
    }
}
