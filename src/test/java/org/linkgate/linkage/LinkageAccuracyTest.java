package org.linkgate.linkage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.linkgate.store.TestDatabases;

/**
 * Precision and recall of linkage on generated batches with realistic noise (the truth known), at
 * a size that runs in seconds; the benchmark runs bigger. Goal: at least 99.5 % each.
 */
class LinkageAccuracyTest {

    @Test
    void linksNoisyBatchesWithHighPrecisionAndRecall() {
        measure(new LinkageStoreFixture(TestDatabases.h2()), 3000);
    }

    /** The same SQL on PostgreSQL 15 (smaller: the point is the dialect, the figures are above). */
    @Test
    void linksOnPostgresToo() {
        measure(new LinkageStoreFixture(TestDatabases.postgres()), 1200);
    }

    private static void measure(LinkageStoreFixture store, int size) {
        NoisyPopulation population = new NoisyPopulation(20261203L, size);
        List<NoisyPopulation.Person> first = new ArrayList<>(population.people.subList(0, size * 2 / 3));
        // Same-name-different-person look-alikes go in the second batch, beside the original in the first.
        List<NoisyPopulation.Person> second = new ArrayList<>(population.people.subList(size / 3, size));
        second.addAll(population.people.subList(size, population.people.size()));
        store.acceptAndLink("even", population.clean(first));
        store.acceptAndLink("even", population.noisy(second, 0.35));
        double[] pr = store.precisionRecall();
        System.out.printf("linkage precision %.4f recall %.4f (tp %d fp %d fn %d; term frequency %s)%n", pr[0], pr[1],
                (long) pr[2], (long) pr[3], (long) pr[4], System.getProperty("linkage.termFrequency", "true"));
        assertThat(pr[2]).as("true links found").isGreaterThan(size / 3.5);
        assertThat(pr[0]).as("precision").isGreaterThanOrEqualTo(0.995);
        assertThat(pr[1]).as("recall").isGreaterThanOrEqualTo(0.995);
    }
}
