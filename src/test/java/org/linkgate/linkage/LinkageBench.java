package org.linkgate.linkage;

import java.util.ArrayList;
import java.util.List;
import org.linkgate.store.TestDatabases;

/** The body of {@code benchmark.LinkageBenchmark}, here for the package's fixture and generator. */
public final class LinkageBench {

    private LinkageBench() {
    }

    public static void run(int storeSize, int batchSize, String database) {
        LinkageStoreFixture store = new LinkageStoreFixture("postgres".equals(database)
                ? TestDatabases.postgres() : TestDatabases.h2());
        NoisyPopulation population = new NoisyPopulation(42L, storeSize + batchSize / 2);
        long started = System.nanoTime();
        store.acceptAndLink("even", population.clean(population.people.subList(0, storeSize)));
        long storeMillis = (System.nanoTime() - started) / 1_000_000;
        // Half the batch seen before (with noise), half new, plus the look-alikes.
        List<NoisyPopulation.Person> next = new ArrayList<>(population.people.subList(storeSize - batchSize / 2,
                storeSize + batchSize / 2));
        next.addAll(population.people.subList(storeSize + batchSize / 2, population.people.size()));
        started = System.nanoTime();
        store.acceptAndLink("even", population.noisy(next, 0.35));
        long batchMillis = (System.nanoTime() - started) / 1_000_000;
        double[] pr = store.precisionRecall();
        BatchLinker.Outcome o = store.lastOutcome;
        System.out.printf("LINKAGE BENCHMARK %s: store %d people (staged+linked in %d ms), batch %d rows%n",
                database, storeSize, storeMillis, next.size());
        System.out.printf("  batch staged and linked in %d ms, of which linking %d ms; %d candidate pairs, %d linked,"
                + " %d new persons, %d merges, %d for review, EM iterations %d%n", batchMillis, store.lastLinkMillis,
                o.candidatePairs(), o.linked(), o.newPersons(), o.merges(), o.review(), o.model().iterations());
        System.out.printf("  precision %.5f recall %.5f (true links %d, false %d, missed %d)%n", pr[0], pr[1],
                (long) pr[2], (long) pr[3], (long) pr[4]);
    }
}
