package org.linkgate.benchmark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Linkage benchmark (not part of the test suite): links a noisy batch against a store of people on
 * a real database and prints precision, recall, candidate pairs and the time linking adds. Run:
 * {@code ./mvnw -o -Dtest=LinkageBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -Dbenchmark.linkage=true [-Dbenchmark.store=100000] [-Dbenchmark.batch=20000]
 * [-Dbenchmark.database=h2|postgres] test}. See docs/linkage.md for figures.
 */
@EnabledIfSystemProperty(named = "benchmark.linkage", matches = "true")
class LinkageBenchmark {

    @Test
    void linkANoisyBatchAgainstAStore() {
        int store = Integer.getInteger("benchmark.store", 100_000);
        int batch = Integer.getInteger("benchmark.batch", 20_000);
        String database = System.getProperty("benchmark.database", "h2");
        org.linkgate.linkage.LinkageBench.run(store, batch, database);
    }
}
