package org.linkgate.disclosure;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * An attacker apart from the protection: it sees two overlapping published tables (a cell, and the same cell
 * with one more person) and differences them to learn whether the extra person is there, or the small cell's
 * size; the cell key method must stop it doing better than chance allows.
 */
class CellKeyAttackTest {

    @Test
    void differencingTwoOverlappingCellsRarelyRevealsTheExtraPerson() {
        CellKeyPerturbation method = new CellKeyPerturbation(key());
        Random random = new Random(11);
        int trials = 4000;
        int exact = 0;
        for (int t = 0; t < trials; t++) {
            List<String> cell = people("t" + t + "-", 10 + random.nextInt(40));
            List<String> plusOne = new ArrayList<>(cell);
            plusOne.add("t" + t + "-extra");
            // the attacker's guess of the difference is the published difference
            if (method.publish(plusOne) - method.publish(cell) == 1) {
                exact++;
            }
        }
        // unperturbed the difference is 1 every time; under the p-table (the extra record key makes the
        // two cell keys independent) it is 1 with probability sum of p^2 = 0.33
        assertThat((double) exact / trials).isLessThan(0.4);
    }

    @Test
    void aSmallCellIsNotPinnedFromItsPublishedFigure() {
        CellKeyPerturbation method = new CellKeyPerturbation(key());
        int trials = 3000;
        int pinned = 0;
        int published12 = 0;
        for (int t = 0; t < trials; t++) {
            int size = 1 + t % 4; // true count 1..4
            long shown = method.publish(people("s" + t + "-", size));
            if (shown == 1 || shown == 2) {
                published12++;
            }
            // best the attacker can do: guess the shown figure is true (0 shown: guess the cell is empty)
            if (shown == size) {
                pinned++;
            }
        }
        assertThat(published12).isZero();
        assertThat((double) pinned / trials).isLessThan(0.5);
    }

    private static List<String> people(String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(prefix + i);
        }
        return ids;
    }

    private static byte[] key() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
