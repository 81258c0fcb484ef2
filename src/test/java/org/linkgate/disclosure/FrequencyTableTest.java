package org.linkgate.disclosure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.linkgate.disclosure.TableFixtures.AGE;
import static org.linkgate.disclosure.TableFixtures.AREA;
import static org.linkgate.disclosure.TableFixtures.TYPE;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FrequencyTableTest {

    @Test
    void derivesEveryMarginOfATwoDimensionalTable() {
        FrequencyTable t = FrequencyTable.builder(List.of(AREA, AGE))
                .add("north", "0-4", 7).add("north", "5-10", 2).add("south", "11-17", 9).add("north", "0-4", 1)
                .build();
        assertThat(t.count("north", "0-4")).isEqualTo(8);
        assertThat(t.count("north", Dimension.TOTAL)).isEqualTo(10);
        assertThat(t.count(Dimension.TOTAL, "11-17")).isEqualTo(9);
        assertThat(t.count(Dimension.TOTAL, Dimension.TOTAL)).isEqualTo(19);
        assertThat(t.count("east", Dimension.TOTAL)).isZero();
        assertThat(t.cells()).hasSize(5 * 4);
        assertThat(t.labels(t.key("west", Dimension.TOTAL))).containsExactly("west", "Total");
    }

    @Test
    void threeDimensionalMarginsAreAdditive() {
        FrequencyTable t = TableFixtures.table3(new long[][][] {{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}});
        assertThat(t.count(CellKey.of(-1, -1, -1))).isEqualTo(36);
        assertThat(t.count(CellKey.of(0, -1, -1))).isEqualTo(10);
        assertThat(t.count(CellKey.of(-1, 1, -1))).isEqualTo(22);
        assertThat(t.count(CellKey.of(-1, -1, 0))).isEqualTo(16);
        assertThat(t.count(CellKey.of(1, -1, 1))).isEqualTo(14);
        for (FrequencyTable.AdditiveRelation r : t.relations()) {
            assertThat(r.parts().stream().mapToLong(t::count).sum()).isEqualTo(t.count(r.total()));
        }
    }

    @Nested
    class Refused {
        @Test
        void negativeCounts() {
            assertThatThrownBy(() -> FrequencyTable.builder(List.of(AREA)).add("north", -1))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void addingToATotal() {
            assertThatThrownBy(() -> FrequencyTable.builder(List.of(AREA)).add(Dimension.TOTAL, 3))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void moreThanThreeDimensions() {
            assertThatThrownBy(() -> FrequencyTable.builder(List.of(AREA, AGE, TYPE, Dimension.of("sex", "f", "m"))))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void unknownCategoryAndReservedLabel() {
            assertThatThrownBy(() -> FrequencyTable.builder(List.of(AREA)).add("nowhere", 1))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Dimension.of("x", "a", Dimension.TOTAL)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
