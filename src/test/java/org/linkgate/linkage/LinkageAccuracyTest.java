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
        LinkageStoreFixture store = new LinkageStoreFixture(TestDatabases.h2());
        NoisyPopulation population = new NoisyPopulation(20261203L, 3000);
        List<NoisyPopulation.Person> first = new ArrayList<>(population.people.subList(0, 2000));
        // Same-name-different-person look-alikes go in the second batch, beside the original in the first.
        List<NoisyPopulation.Person> second = new ArrayList<>(population.people.subList(1000, 3000));
        second.addAll(population.people.subList(3000, population.people.size()));
        store.acceptAndLink("even", population.clean(first));
        BatchLinker.Outcome[] outcome = new BatchLinker.Outcome[1];
        store.acceptAndLink("even", population.noisy(second, 0.35));
        double[] pr = store.precisionRecall();
        System.out.printf("linkage precision %.4f recall %.4f (tp %d fp %d fn %d)%n", pr[0], pr[1], (long) pr[2],
                (long) pr[3], (long) pr[4]);
        assertThat(pr[2]).as("true links found").isGreaterThan(900);
        assertThat(pr[0]).as("precision").isGreaterThanOrEqualTo(0.995);
        assertThat(pr[1]).as("recall").isGreaterThanOrEqualTo(0.995);
    }
}
