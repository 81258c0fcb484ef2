package org.linkgate.disclosure;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped p-table's properties and the cell key method's consistency. */
class CellKeyPerturbationTest {

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    @Test
    void zeroStaysZeroAndNoCountIsPublishedAsOneOrTwo() {
        CellKeyPerturbation method = new CellKeyPerturbation(randomKey());
        for (int key = 0; key < CellKeyPerturbation.KEYS; key++) {
            assertThat(method.publish(0, key)).isZero();
            for (long count = 1; count <= 40; count++) {
                long published = method.publish(count, key);
                assertThat(published).as("count %d key %d", count, key).isNotIn(1L, 2L).isNotNegative();
                assertThat(Math.abs(published - count)).isLessThanOrEqualTo(count <= 3 ? 3 : 2);
            }
        }
    }

    @Test
    void everyRowIsUnbiasedOverTheCellKeys() {
        CellKeyPerturbation method = new CellKeyPerturbation(randomKey());
        for (long count = 0; count <= 1000; count++) {
            long sum = 0;
            for (int key = 0; key < CellKeyPerturbation.KEYS; key++) {
                sum += method.publish(count, key) - count;
            }
            assertThat(sum).as("count %d", count).isZero();
        }
    }

    @Test
    void recordKeysAreRoughlyUniformAndStable() {
        CellKeyPerturbation method = new CellKeyPerturbation(randomKey());
        int[] seen = new int[CellKeyPerturbation.KEYS];
        for (int i = 0; i < 25_600; i++) {
            int key = method.recordKey("person-" + i);
            assertThat(method.recordKey("person-" + i)).isEqualTo(key);
            seen[key]++;
        }
        for (int n : seen) {
            assertThat(n).isBetween(40, 170); // expected 100 each
        }
    }

    @Test
    void theSameCellGetsTheSameFigureInAnyTableAndAnyOrder() {
        byte[] key = randomKey();
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            members.add("p" + i);
        }
        long first = new CellKeyPerturbation(key).publish(members);
        List<String> reversed = new ArrayList<>(members);
        java.util.Collections.reverse(reversed);
        assertThat(new CellKeyPerturbation(key).publish(reversed)).isEqualTo(first);
    }
}
