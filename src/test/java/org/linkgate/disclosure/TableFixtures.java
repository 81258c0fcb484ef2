package org.linkgate.disclosure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

/** Shared tables and the two independent protection checks (LP audit, exact enumeration). */
final class TableFixtures {

    static final Dimension AREA = Dimension.of("area", "north", "south", "east", "west");
    static final Dimension AGE = Dimension.of("age", "0-4", "5-10", "11-17");
    static final Dimension TYPE = Dimension.of("type", "lone", "couple", "other");

    private TableFixtures() {
    }

    static Dimension dim(String name, int size) {
        String[] categories = new String[size];
        for (int i = 0; i < size; i++) {
            categories[i] = name + i;
        }
        return Dimension.of(name, categories);
    }

    static FrequencyTable table1(long... counts) {
        return FrequencyTable.of(dim("a", counts.length), counts);
    }

    static FrequencyTable table2(long[][] counts) {
        return FrequencyTable.of(dim("r", counts.length), dim("c", counts[0].length), counts);
    }

    static FrequencyTable table3(long[][][] counts) {
        return FrequencyTable.of(dim("x", counts.length), dim("y", counts[0].length), dim("z", counts[0][0].length), counts);
    }

    /**
     * Asserts every primary cell is protected by the LP audit and by exact integer enumeration, and
     * that the LP interval contains the integer one (and equals it below three dimensions).
     */
    static void assertProtected(FrequencyTable table, DisclosureRules rules, Map<CellKey, Suppression> pattern) {
        AuditReport report = new ProtectionAudit(rules).audit(table, pattern);
        assertThat(report.failures()).as("LP audit failures").isEmpty();
        Map<CellKey, long[]> exact = ExactBounds.of(table, pattern.keySet(), rules.floor());
        for (CellProtection finding : report.findings()) {
            long[] integer = exact.get(finding.cell());
            FeasibleInterval lp = finding.interval();
            assertThat(lp.lower()).as("LP lower of %s", finding.cell()).isLessThanOrEqualTo(integer[0] + 1e-6);
            assertThat(lp.upper()).as("LP upper of %s", finding.cell()).isGreaterThanOrEqualTo(integer[1] - 1e-6);
            if (table.dimensionCount() < 3) {
                assertThat(lp.lower()).as("LP lower of %s", finding.cell()).isCloseTo(integer[0], org.assertj.core.data.Offset.offset(1e-6));
                assertThat(lp.upper()).as("LP upper of %s", finding.cell()).isCloseTo(integer[1], org.assertj.core.data.Offset.offset(1e-6));
            }
            if (finding.suppression() == Suppression.PRIMARY) {
                if (rules.zerosDisclosive()) {
                    assertThat(integer[0]).as("exact lower of primary %s", finding.cell()).isZero();
                }
                assertThat(integer[1]).as("exact upper of primary %s", finding.cell())
                        .isGreaterThanOrEqualTo(rules.requiredUpperBound());
            }
        }
    }

    static Map<CellKey, Suppression> protect(FrequencyTable table, DisclosureRules rules) {
        return new SecondarySuppression(rules).apply(table, new PrimarySuppression(rules).apply(table));
    }

    static Map<CellKey, Suppression> primaryOnly(FrequencyTable table, DisclosureRules rules) {
        Map<CellKey, Suppression> pattern = new java.util.LinkedHashMap<>();
        new PrimarySuppression(rules).apply(table).forEach(c -> pattern.put(c, Suppression.PRIMARY));
        return pattern;
    }
}
