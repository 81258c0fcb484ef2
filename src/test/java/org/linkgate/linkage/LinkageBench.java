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
        List<NoisyPopulation.Row> first = population.clean(population.people.subList(0, storeSize));
        String firstIntake = store.acceptAndLink("even", first);
        long storeMillis = (System.nanoTime() - started) / 1_000_000;
        // Half the batch seen before (with noise), half new, plus the look-alikes.
        List<NoisyPopulation.Person> next = new ArrayList<>(population.people.subList(storeSize - batchSize / 2,
                storeSize + batchSize / 2));
        next.addAll(population.people.subList(storeSize + batchSize / 2, population.people.size()));
        started = System.nanoTime();
        List<NoisyPopulation.Row> rows = population.noisy(next, 0.35);
        String batchIntake = store.acceptAndLink("even", rows);
        long batchMillis = (System.nanoTime() - started) / 1_000_000;
        double[] pr = store.precisionRecall();
        BatchLinker.Outcome o = store.lastOutcome;
        System.out.printf("LINKAGE BENCHMARK %s: store %d people (staged+linked in %d ms), batch %d rows%n",
                database, storeSize, storeMillis, next.size());
        System.out.printf("  batch staged and linked in %d ms, of which linking %d ms; %d candidate pairs, %d linked,"
                + " %d new persons, %d merges, %d for review, EM iterations %d; term frequencies %d ms (%s)%n", batchMillis,
                store.lastLinkMillis, o.candidatePairs(), o.linked(), o.newPersons(), o.merges(), o.review(),
                o.model().iterations(), o.termFrequencyMillis(), System.getProperty("linkage.termFrequency", "true"));
        System.out.printf("  linking phases (ms): %s%n", o.phaseMillis());
        System.out.printf("  precision %.5f recall %.5f (true links %d, false %d, missed %d)%n", pr[0], pr[1],
                (long) pr[2], (long) pr[3], (long) pr[4]);
        if (Boolean.getBoolean("benchmark.explain")) {
            explain(store, first, firstIntake, rows, batchIntake);
        }
    }

    /** Prints up to 15 false links (synthetic people only), for tuning. */
    private static void explain(LinkageStoreFixture store, List<NoisyPopulation.Row> first, String firstIntake,
                                List<NoisyPopulation.Row> rows, String batchIntake) {
        java.util.Map<String, java.util.Map<Long, String>> ids = store.canonicalIds();
        java.util.Map<String, List<NoisyPopulation.Row>> firstByPerson = new java.util.HashMap<>();
        ids.get(firstIntake).forEach((row, person) -> firstByPerson.computeIfAbsent(person, k -> new ArrayList<>())
                .add(first.get(row.intValue() - 1)));
        int shown = 0;
        java.util.Map<Integer, NoisyPopulation.Row> firstByTruth = new java.util.HashMap<>();
        first.forEach(f -> firstByTruth.put(f.truth(), f));
        java.util.Map<Long, String> firstIds = ids.get(firstIntake);
        java.util.Map<Integer, String> idOfTruth = new java.util.HashMap<>();
        firstIds.forEach((row, person) -> idOfTruth.put(first.get(row.intValue() - 1).truth(), person));
        int missed = 0;
        for (long r = 1; r <= rows.size() && missed < 12; r++) {
            NoisyPopulation.Row row = rows.get((int) r - 1);
            String truthId = idOfTruth.get(row.truth());
            if (truthId != null && !truthId.equals(ids.get(batchIntake).get(r))) {
                missed++;
                System.out.println("  MISSED " + show(row) + " ~ " + show(firstByTruth.get(row.truth())) + " "
                        + store.jdbc.queryForList("select pattern, probability from linkage_review where intake_id = ?"
                        + " and row_number = ?", batchIntake, r));
            }
        }
        for (long r = 1; r <= rows.size() && shown < 15; r++) {
            NoisyPopulation.Row row = rows.get((int) r - 1);
            for (NoisyPopulation.Row other : firstByPerson.getOrDefault(ids.get(batchIntake).get(r), List.of())) {
                if (other.truth() != row.truth() && shown < 8) {
                    shown++;
                    System.out.println("  FALSE " + show(row) + " ~ " + show(other) + " " + store.jdbc.queryForMap(
                            "select link_level, link_probability from linkage_row where intake_id = ? and row_number = ?",
                            batchIntake, r));
                }
            }
        }
    }

    private static String show(NoisyPopulation.Row r) {
        var i = r.identity();
        return "[" + i.forename() + "/" + i.surname() + "/" + i.dateOfBirth() + "/" + i.sex() + "/" + i.postcode()
                + "/" + i.nhsNumber() + "]";
    }
}
