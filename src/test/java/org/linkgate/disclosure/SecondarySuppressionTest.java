package org.linkgate.disclosure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.linkgate.disclosure.TableFixtures.assertProtected;
import static org.linkgate.disclosure.TableFixtures.primaryOnly;
import static org.linkgate.disclosure.TableFixtures.protect;
import static org.linkgate.disclosure.TableFixtures.table1;
import static org.linkgate.disclosure.TableFixtures.table2;
import static org.linkgate.disclosure.TableFixtures.table3;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SecondarySuppressionTest {

    private static final DisclosureRules ZEROS_DISCLOSIVE = new DisclosureRules(5, true);
    private static final DisclosureRules ZEROS_PUBLISHED = new DisclosureRules(5, false);

    @Nested
    class OneDimension {

        @Test
        void aSingleSmallCellGetsOneComplement() {
            FrequencyTable t = table1(3, 12, 20, 40);
            Map<CellKey, Suppression> pattern = protect(t, ZEROS_DISCLOSIVE);
            assertThat(pattern).containsEntry(CellKey.of(0), Suppression.PRIMARY)
                    .containsEntry(CellKey.of(1), Suppression.SECONDARY).hasSize(2);
            assertProtected(t, ZEROS_DISCLOSIVE, pattern);
        }

        @Test
        void twoSmallCellsDoNotProtectEachOther() {
            // x0 + x1 = 2 would tell the reader both are small: a large complement is needed
            FrequencyTable t = table1(1, 1, 50);
            Map<CellKey, Suppression> pattern = protect(t, ZEROS_DISCLOSIVE);
            assertThat(pattern).hasSize(3);
            assertProtected(t, ZEROS_DISCLOSIVE, pattern);
        }

        @Test
        void aSmallTotalSuppressesTheWholeLine() {
            FrequencyTable t = table1(1, 2, 1);
            Map<CellKey, Suppression> pattern = protect(t, ZEROS_DISCLOSIVE);
            assertThat(pattern.keySet()).containsExactlyInAnyOrderElementsOf(t.cells());
            assertThat(new ProtectionAudit(ZEROS_DISCLOSIVE).audit(t, pattern).passed()).isTrue();
        }

        @Test
        void smallCellsSummingAboveTheThresholdProtectEachOther() {
            FrequencyTable t = table1(2, 4, 3);
            Map<CellKey, Suppression> pattern = protect(t, ZEROS_DISCLOSIVE);
            assertThat(pattern.values()).containsOnly(Suppression.PRIMARY).hasSize(3);
            assertProtected(t, ZEROS_DISCLOSIVE, pattern);
        }
    }

    @Nested
    class TwoDimensions {

        @Test
        void oneSmallCellNeedsARectangle() {
            FrequencyTable t = table2(new long[][] {{20, 3, 15}, {12, 18, 25}, {9, 14, 30}});
            Map<CellKey, Suppression> pattern = protect(t, ZEROS_DISCLOSIVE);
            assertThat(pattern).hasSize(4);
            assertProtected(t, ZEROS_DISCLOSIVE, pattern);
        }

        @Test
        void smallCellsAcrossRowsAndColumns() {
            FrequencyTable t = table2(new long[][] {{2, 30, 4, 25}, {18, 1, 16, 19}, {11, 17, 13, 3}});
            Map<CellKey, Suppression> pattern = protect(t, ZEROS_DISCLOSIVE);
            assertProtected(t, ZEROS_DISCLOSIVE, pattern);
        }

        @Test
        void aSmallMarginIsProtectedThroughTheOtherMargins() {
            // row 0 totals 4: the row total and its cells are primary
            FrequencyTable t = table2(new long[][] {{1, 3, 0}, {12, 18, 25}, {9, 14, 30}});
            Map<CellKey, Suppression> pattern = protect(t, ZEROS_PUBLISHED);
            assertThat(pattern).containsEntry(CellKey.of(0, -1), Suppression.PRIMARY);
            assertProtected(t, ZEROS_PUBLISHED, pattern);
        }

        @Test
        void aTableOfSmallCellsIsSuppressedUntilSafe() {
            FrequencyTable t = table2(new long[][] {{1, 2}, {2, 1}});
            Map<CellKey, Suppression> pattern = protect(t, ZEROS_DISCLOSIVE);
            assertThat(new ProtectionAudit(ZEROS_DISCLOSIVE).audit(t, pattern).passed()).isTrue();
            assertProtected(t, ZEROS_DISCLOSIVE, pattern);
        }
    }

    @Nested
    class ThreeDimensions {

        @Test
        void oneSmallCellInACube() {
            FrequencyTable t = table3(new long[][][] {{{10, 3}, {12, 9}}, {{8, 11}, {7, 14}}});
            Map<CellKey, Suppression> pattern = protect(t, ZEROS_DISCLOSIVE);
            assertProtected(t, ZEROS_DISCLOSIVE, pattern);
        }

        @Test
        void severalSmallCellsInALargerCube() {
            FrequencyTable t = table3(new long[][][] {
                {{10, 3, 9}, {12, 9, 8}},
                {{8, 11, 2}, {7, 14, 10}},
                {{1, 12, 9}, {9, 10, 11}}});
            Map<CellKey, Suppression> pattern = protect(t, ZEROS_PUBLISHED);
            assertProtected(t, ZEROS_PUBLISHED, pattern);
        }
    }

    /** Tables built to leak when only the small cells are withheld. */
    @Nested
    class Adversarial {

        @Test
        void oneSmallCellInARowIsRecoveredFromTheRowTotalUnderNaiveSuppression() {
            FrequencyTable t = table2(new long[][] {{20, 3, 15}, {12, 18, 25}, {9, 14, 30}});
            AuditReport naive = new ProtectionAudit(ZEROS_DISCLOSIVE).audit(t, primaryOnly(t, ZEROS_DISCLOSIVE));
            CellProtection leaked = naive.finding(CellKey.of(0, 1));
            assertThat(naive.passed()).isFalse();
            assertThat(leaked.interval().lower()).isCloseTo(3, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(leaked.interval().upper()).isCloseTo(3, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(ExactBounds.of(t, Map.of(CellKey.of(0, 1), Suppression.PRIMARY).keySet(), 0)
                    .get(CellKey.of(0, 1))).containsExactly(3, 3);
            assertProtected(t, ZEROS_DISCLOSIVE, protect(t, ZEROS_DISCLOSIVE));
        }

        @Test
        void twoSmallCellsInOneRowAndColumnPairLeakTheirSum() {
            // suppressing (0,0),(0,1),(1,0),(1,1) — all small — is a rectangle, yet every value is
            // pinned below 6 by the margins; complements must bring in large cells
            FrequencyTable t = table2(new long[][] {{2, 3, 40}, {4, 1, 35}, {30, 25, 20}});
            AuditReport naive = new ProtectionAudit(ZEROS_DISCLOSIVE).audit(t, primaryOnly(t, ZEROS_DISCLOSIVE));
            assertThat(naive.passed()).isFalse();
            assertProtected(t, ZEROS_DISCLOSIVE, protect(t, ZEROS_DISCLOSIVE));
        }

        @Test
        void aComplementThatIsItselfSmallDoesNotCount() {
            // the cheapest-looking rectangle uses the other small cells; it leaves the primary under 6
            FrequencyTable t = table2(new long[][] {{1, 2, 50}, {2, 1, 60}, {70, 80, 90}});
            assertProtected(t, ZEROS_DISCLOSIVE, protect(t, ZEROS_DISCLOSIVE));
        }

        @Test
        void aPublishedZeroWouldPinTheCellWhenZerosArePublished() {
            // with zeros published a reader knows suppressed cells are at least 1
            FrequencyTable t = table2(new long[][] {{0, 2, 9}, {7, 0, 8}, {6, 10, 0}});
            Map<CellKey, Suppression> pattern = protect(t, ZEROS_PUBLISHED);
            assertThat(pattern.keySet()).noneMatch(c -> t.count(c) == 0);
            assertProtected(t, ZEROS_PUBLISHED, pattern);
        }

        @Test
        void threeDimensionalTableWhereTwoDimensionalRepairIsNotEnough() {
            // a rectangle inside one layer leaves the cell recoverable from the layer-crossing margins
            FrequencyTable t = table3(new long[][][] {{{4, 20}, {20, 20}}, {{20, 20}, {20, 20}}});
            Map<CellKey, Suppression> layerRectangle = new java.util.LinkedHashMap<>();
            layerRectangle.put(CellKey.of(0, 0, 0), Suppression.PRIMARY);
            layerRectangle.put(CellKey.of(0, 1, 0), Suppression.SECONDARY);
            layerRectangle.put(CellKey.of(1, 0, 0), Suppression.SECONDARY);
            layerRectangle.put(CellKey.of(1, 1, 0), Suppression.SECONDARY);
            assertThat(new ProtectionAudit(ZEROS_DISCLOSIVE).audit(t, layerRectangle).passed()).isFalse();
            assertProtected(t, ZEROS_DISCLOSIVE, protect(t, ZEROS_DISCLOSIVE));
        }
    }

    @Nested
    class Zeros {

        private final FrequencyTable t = table2(new long[][] {{0, 14, 9}, {7, 12, 8}, {6, 10, 11}});

        @Test
        void aDisclosiveZeroIsProtectedLikeASmallCell() {
            Map<CellKey, Suppression> pattern = protect(t, ZEROS_DISCLOSIVE);
            assertThat(pattern).containsEntry(CellKey.of(0, 0), Suppression.PRIMARY);
            assertProtected(t, ZEROS_DISCLOSIVE, pattern);
        }

        @Test
        void aPublishableZeroIsPublished() {
            assertThat(protect(t, ZEROS_PUBLISHED)).isEmpty();
        }
    }

    @Nested
    class Determinism {

        @Test
        void sameInputSamePattern() {
            FrequencyTable t = table2(new long[][] {{2, 30, 4, 25}, {18, 1, 16, 19}, {11, 17, 13, 3}});
            assertThat(protect(t, ZEROS_DISCLOSIVE)).isEqualTo(protect(t, ZEROS_DISCLOSIVE));
            assertThat(List.copyOf(protect(t, ZEROS_DISCLOSIVE).keySet()))
                    .containsExactlyElementsOf(protect(t, ZEROS_DISCLOSIVE).keySet());
        }

        @Test
        void builderOrderDoesNotMatter() {
            List<Dimension> dims = List.of(TableFixtures.AREA, TableFixtures.AGE);
            List<Object[]> entries = new ArrayList<>();
            long v = 1;
            for (String area : TableFixtures.AREA.categories()) {
                for (String age : TableFixtures.AGE.categories()) {
                    entries.add(new Object[] {area, age, (v * 7) % 23});
                    v++;
                }
            }
            FrequencyTable.Builder forward = FrequencyTable.builder(dims);
            entries.forEach(e -> forward.add((String) e[0], (String) e[1], (Long) e[2]));
            Collections.shuffle(entries, new Random(42));
            FrequencyTable.Builder shuffled = FrequencyTable.builder(dims);
            entries.forEach(e -> shuffled.add((String) e[0], (String) e[1], (Long) e[2]));
            assertThat(protect(forward.build(), ZEROS_DISCLOSIVE)).isEqualTo(protect(shuffled.build(), ZEROS_DISCLOSIVE));
        }
    }

    /** Seeded random small tables, each checked by LP and by exact enumeration. */
    @Nested
    class RandomTables {

        @Test
        void twoDimensional() {
            Random random = new Random(20240611);
            for (int i = 0; i < 12; i++) {
                long[][] counts = new long[3][3];
                for (long[] row : counts) {
                    for (int c = 0; c < row.length; c++) {
                        row[c] = randomCount(random);
                    }
                }
                FrequencyTable t = table2(counts);
                for (DisclosureRules rules : List.of(ZEROS_DISCLOSIVE, ZEROS_PUBLISHED)) {
                    assertProtected(t, rules, protect(t, rules));
                }
            }
        }

        @Test
        void threeDimensional() {
            Random random = new Random(7);
            for (int i = 0; i < 12; i++) {
                long[][][] counts = new long[2][2][2];
                for (long[][] layer : counts) {
                    for (long[] row : layer) {
                        for (int c = 0; c < row.length; c++) {
                            row[c] = randomCount(random);
                        }
                    }
                }
                FrequencyTable t = table3(counts);
                assertProtected(t, ZEROS_PUBLISHED, protect(t, ZEROS_PUBLISHED));
            }
        }

        private long randomCount(Random random) {
            int kind = random.nextInt(10);
            if (kind == 0) {
                return 0;
            }
            return kind <= 3 ? 1 + random.nextInt(5) : 6 + random.nextInt(10);
        }
    }
}
