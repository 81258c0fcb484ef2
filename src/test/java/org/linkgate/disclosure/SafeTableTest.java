package org.linkgate.disclosure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SafeTableTest {

    private static final DisclosureRules RULES = DisclosureRules.agreementDefaults();
    private final FrequencyTable families = FrequencyTable.builder(List.of(TableFixtures.AREA, TableFixtures.TYPE))
            .add("north", "lone", 20).add("north", "couple", 3).add("north", "other", 15)
            .add("south", "lone", 12).add("south", "couple", 18).add("south", "other", 25)
            .add("east", "lone", 9).add("east", "couple", 14).add("east", "other", 30)
            .add("west", "lone", 40).add("west", "couple", 35).add("west", "other", 22)
            .build();
    private final SafeTable safe = SafeTable.protect(families, RULES);

    @Test
    void suppressedCellsCarryAMarkerAndNoValue() {
        SafeCell small = safe.cell("north", "couple");
        assertThat(small.isSuppressed()).isTrue();
        assertThat(small.suppression()).isEqualTo(Suppression.PRIMARY);
        assertThat(small.value()).isEmpty();
        assertThat(small.publishedText()).isEqualTo(SafeCell.SUPPRESSED_SYMBOL);
        assertThat(safe.cells()).filteredOn(c -> c.suppression() == Suppression.SECONDARY).hasSize(3)
                .allMatch(c -> c.publishedText().equals(SafeCell.SUPPRESSED_SYMBOL));
        assertThat(safe.cell(Dimension.TOTAL, Dimension.TOTAL).value()).hasValue(243);
    }

    @Test
    void theReleasedTablePassesTheAudit() {
        assertThat(safe.audit().passed()).isTrue();
        new ProtectionAudit(RULES).requirePassed(safe);
    }

    @Nested
    class DerivedStatistics {

        @Test
        void percentageOfPublishedCellsOverALargeBase() {
            DerivedValue p = safe.percentage(families.key("west", "lone"), families.key("west", Dimension.TOTAL));
            assertThat(p.value()).hasValue(100.0 * 40 / 97);
        }

        @Test
        void percentageWithASuppressedNumeratorOrBaseIsSuppressed() {
            assertThat(safe.percentage(families.key("north", "couple"), families.key("north", Dimension.TOTAL))
                    .isSuppressed()).isTrue();
            CellKey secondary = safe.suppressions().entrySet().stream()
                    .filter(e -> e.getValue() == Suppression.SECONDARY).findFirst().orElseThrow().getKey();
            assertThat(safe.percentage(families.key("west", "lone"), secondary).isSuppressed()).isTrue();
        }

        @Test
        void rateOverASmallPopulationIsSuppressed() {
            CellKey westLone = families.key("west", "lone");
            assertThat(safe.rate(westLone, 5, 1000).isSuppressed()).isTrue();
            assertThat(safe.rate(westLone, 5, 1000).suppressedBecause()).contains("threshold");
            assertThat(safe.rate(westLone, 8000, 1000).value()).hasValue(5.0);
            assertThat(safe.rate(families.key("north", "couple"), 8000, 1000).isSuppressed()).isTrue();
        }

        @Test
        void meanOverASmallOrSuppressedBaseIsSuppressed() {
            FrequencyTable small = TableFixtures.table1(5, 40);
            SafeTable t = SafeTable.protect(small, new DisclosureRules(4, true));
            // base 5 is above threshold 4 but equal-to-threshold bases are refused under threshold 5
            assertThat(t.mean(CellKey.of(0), new double[] {1, 2, 3, 4, 5}).value()).hasValue(3.0);
            SafeTable strict = SafeTable.protect(small, RULES);
            assertThat(strict.mean(CellKey.of(0), new double[] {1, 2, 3, 4, 5}).isSuppressed()).isTrue();
        }

        @Test
        void meanDominatedByOneRecordIsSuppressed() {
            SafeTable t = SafeTable.protect(TableFixtures.table1(6, 40), RULES);
            assertThat(t.mean(CellKey.of(0), new double[] {1, 1, 1, 1, 1, 500}).isSuppressed()).isTrue();
            assertThat(t.mean(CellKey.of(0), new double[] {10, 11, 9, 12, 10, 8}).value()).hasValue(10.0);
        }
    }

    @Nested
    class UnitRecordStatistics {

        @ParameterizedTest
        @EnumSource(value = Statistic.class, names = {"MIN", "MAX", "SINGLE_VALUE", "RESIDUAL", "OUTLIER"})
        void areRefused(Statistic statistic) {
            assertThat(statistic.isReleasable()).isFalse();
            assertThatThrownBy(() -> safe.requireReleasable(statistic))
                    .isInstanceOf(DisclosureRefusedException.class)
                    .hasMessageContaining(statistic.name())
                    .hasMessageContaining("clause 11");
        }

        @ParameterizedTest
        @EnumSource(value = Statistic.class, names = {"COUNT", "PERCENTAGE", "RATE", "MEAN"})
        void aggregatesAreAllowed(Statistic statistic) {
            safe.requireReleasable(statistic);
            assertThat(statistic.isReleasable()).isTrue();
        }
    }
}
