package org.linkgate.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RowHandOffTest {

    private final RowHandOff handOff = new RowHandOff("test");

    @AfterEach
    void close() {
        handOff.close();
    }

    @Test
    void everyRowArrivesInOrderOnTheCallingThreadAndTheReaderRanElsewhere() {
        AtomicLong next = new AtomicLong();
        AtomicReference<Thread> readerThread = new AtomicReference<>();
        long total = RowHandOff.BLOCK * 5L + 17;
        RowSource<Long> source = () -> {
            readerThread.set(Thread.currentThread());
            long n = next.getAndIncrement();
            return n < total ? n : null;
        };
        List<Long> seen = new ArrayList<>();
        List<Thread> sinkThreads = new ArrayList<>();
        handOff.drain(source, row -> {
            seen.add(row);
            if (sinkThreads.isEmpty()) {
                sinkThreads.add(Thread.currentThread());
            }
        });
        assertThat(seen).hasSize((int) total);
        for (int i = 0; i < seen.size(); i++) {
            assertThat(seen.get(i)).isEqualTo(i);
        }
        assertThat(sinkThreads).containsExactly(Thread.currentThread());
        assertThat(readerThread.get()).isNotEqualTo(Thread.currentThread());
    }

    @Test
    void aFailingSourceFailsTheCallerWithItsOwnException() {
        AtomicLong next = new AtomicLong();
        RowSource<Long> source = () -> {
            long n = next.getAndIncrement();
            if (n == 1000) {
                throw new IllegalArgumentException("bad row 1000");
            }
            return n;
        };
        List<Long> seen = new ArrayList<>();
        assertThatThrownBy(() -> handOff.drain(source, seen::add))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("bad row 1000");
        assertThat(seen).hasSizeLessThanOrEqualTo(1000);
    }

    @Test
    void aFailingSinkStopsTheReaderWithinTheQueueBound() throws InterruptedException {
        AtomicLong read = new AtomicLong();
        RowSource<Long> endless = read::getAndIncrement;
        assertThatThrownBy(() -> handOff.drain(endless, row -> {
            if (row == 10) {
                throw new IllegalStateException("cannot stage");
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("cannot stage");
        Thread.sleep(200);
        long after = read.get();
        Thread.sleep(200);
        assertThat(read.get()).isEqualTo(after);
        assertThat(after).isLessThanOrEqualTo((long) RowHandOff.BLOCK * (RowHandOff.DEPTH + 2));
    }
}
