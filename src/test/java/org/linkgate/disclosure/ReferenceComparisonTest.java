package org.linkgate.disclosure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.linkgate.disclosure.TableFixtures.assertProtected;
import static org.linkgate.disclosure.TableFixtures.protect;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Our patterns against reference patterns worked by hand with the hypercube method (Repsilber;
 * tau-ARGUS "HYPERCUBE", sdcTable {@code method = "HYPERCUBE"}): for each primary cell, in turn,
 * choose the cheapest 2^k-corner hypercube through it (corners may be margins) whose corners are
 * large enough to give the protection required, already-suppressed corners costing nothing. The
 * protection levels are ours ({@link DisclosureRules}, N = 5, zeros disclosive): the lower
 * protection of a cell of value v is v, the upper 6 − v. In a hypercube the primary can move by t
 * while corners of the same parity move with it and the others against it, so it is protected when
 * the same-parity corners allow a decrease of v and the opposite-parity corners an increase of 6 − v.
 * We assert that every cell is protected and that we suppress no more cells than the reference.
 */
class ReferenceComparisonTest {

    private static final DisclosureRules RULES = new DisclosureRules(5, true);

    /**
     * Example A, one dimension: 3 | 12 | 20 | 40 (total 75). The primary 3 pairs with its cheapest
     * partner, 12: x + y = 15 gives [0, 15]. Reference: {A, B}, 2 cells.
     */
    @Test
    void exampleA_oneDimension() {
        FrequencyTable t = TableFixtures.table1(3, 12, 20, 40);
        compare(t, Set.of(CellKey.of(0), CellKey.of(1)));
    }

    /**
     * Example B, 3 x 3: rows (20, 3, 15), (12, 18, 25), (9, 14, 30). Primary (0,1) = 3. Cheapest
     * rectangle by total value: corners (0,0) = 20, (2,1) = 14, (2,0) = 9. Same-parity corner (2,0) = 9
     * allows decrease 3; opposite corners min(20, 14) = 14 allow increase 3 ≥ 3. Reference: 4 cells.
     */
    @Test
    void exampleB_twoDimensionsOneSmallCell() {
        FrequencyTable t = TableFixtures.table2(new long[][] {{20, 3, 15}, {12, 18, 25}, {9, 14, 30}});
        compare(t, Set.of(CellKey.of(0, 1), CellKey.of(0, 0), CellKey.of(2, 1), CellKey.of(2, 0)));
    }

    /**
     * Example C, 3 x 4 with two primaries in one row: (2, 30, 4, 25), (18, 22, 16, 19), (11, 17, 13, 21).
     * Primary (0,0) = 2: rectangle with (0,2) (already suppressed, free) and row 2: (2,0) = 11,
     * (2,2) = 13 — decrease 2 against 13, increase up to min(4, 11) = 4 ≥ 4. Primary (0,2) = 4 is then
     * covered by the same rectangle: decrease against 11, increase up to min(2, 13) = 2 ≥ 2.
     * Reference: 4 cells.
     */
    @Test
    void exampleC_twoPrimariesShareARectangle() {
        FrequencyTable t = TableFixtures.table2(new long[][] {{2, 30, 4, 25}, {18, 22, 16, 19}, {11, 17, 13, 21}});
        compare(t, Set.of(CellKey.of(0, 0), CellKey.of(0, 2), CellKey.of(2, 0), CellKey.of(2, 2)));
    }

    /**
     * Example D, 1 x 3 line of two small cells and one large: 1 | 1 | 50. The pair {1, 1} is a
     * hypercube but x + y = 2 caps the upper protection at 2 &lt; 5, so the method takes the 50:
     * Reference: all 3 cells.
     */
    @Test
    void exampleD_smallPartnersDoNotCount() {
        FrequencyTable t = TableFixtures.table1(1, 1, 50);
        compare(t, Set.of(CellKey.of(0), CellKey.of(1), CellKey.of(2)));
    }

    /**
     * Example E, 2 x 2 x 2: layers {(10, 3), (12, 9)} and {(8, 11), (7, 14)}. Primary (0,0,1) = 3.
     * The only interior cube is the whole table: same-parity corners 12, 8, 14 allow decrease 3,
     * opposite corners 10, 9, 11, 7 allow increase 7 ≥ 3. Cubes using a total in place of a
     * category also have 8 corners and more value. Reference: 8 cells.
     */
    @Test
    void exampleE_threeDimensions() {
        FrequencyTable t = TableFixtures.table3(new long[][][] {{{10, 3}, {12, 9}}, {{8, 11}, {7, 14}}});
        compare(t, Set.copyOf(t.interiorCells()));
    }

    private void compare(FrequencyTable t, Set<CellKey> reference) {
        Map<CellKey, Suppression> reference_ = new java.util.LinkedHashMap<>();
        Set<CellKey> primary = new PrimarySuppression(RULES).apply(t);
        reference.forEach(c -> reference_.put(c, primary.contains(c) ? Suppression.PRIMARY : Suppression.SECONDARY));
        assertProtected(t, RULES, reference_);   // the hand-worked reference is itself safe
        Map<CellKey, Suppression> ours = protect(t, RULES);
        assertProtected(t, RULES, ours);
        assertThat(ours.size()).as("cells we suppress vs the reference").isLessThanOrEqualTo(reference.size());
    }
}
