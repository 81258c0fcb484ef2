package org.linkgate.disclosure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrimarySuppressionTest {

    private final FrequencyTable table = TableFixtures.table2(new long[][] {{0, 1, 5}, {6, 20, 30}, {2, 2, 0}});

    @Test
    void suppressesOneToThresholdAndZerosWhenDisclosive() {
        var primary = new PrimarySuppression(new DisclosureRules(5, true)).apply(table);
        assertThat(primary).containsExactly(
                CellKey.of(0, 0), CellKey.of(0, 1), CellKey.of(0, 2),
                CellKey.of(2, 0), CellKey.of(2, 1), CellKey.of(2, 2), CellKey.of(2, -1));
    }

    @Test
    void publishesZerosWhenNotDisclosive() {
        var primary = new PrimarySuppression(new DisclosureRules(5, false)).apply(table);
        assertThat(primary).containsExactly(
                CellKey.of(0, 1), CellKey.of(0, 2), CellKey.of(2, 0), CellKey.of(2, 1), CellKey.of(2, -1));
    }

    @Test
    void smallMarginsArePrimaryToo() {
        // row total 4 and column total 4: the margins themselves are small
        FrequencyTable t = TableFixtures.table2(new long[][] {{1, 3}, {3, 40}});
        var primary = new PrimarySuppression(new DisclosureRules(5, false)).apply(t);
        assertThat(primary).contains(CellKey.of(0, -1), CellKey.of(-1, 0));
    }

    @Test
    void agreementDefaultsAreFiveAndZerosDisclosive() {
        DisclosureRules rules = DisclosureRules.agreementDefaults();
        assertThat(rules.threshold()).isEqualTo(5);
        assertThat(rules.isSensitive(0)).isTrue();
        assertThat(rules.isSensitive(5)).isTrue();
        assertThat(rules.isSensitive(6)).isFalse();
    }
}
