package org.linkgate.disclosure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.linkgate.store.TestDatabases;

/**
 * The cost of disclosure control of one feedback pack (28 tables) for a large batch: protection
 * as one release model, then the council attacker's exact check of every withheld cell and group.
 * {@code ./mvnw -o -Dtest=DisclosureBenchmark -Dbenchmark=true -Dbenchmark.people=5000 test}.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class DisclosureBenchmark {

    @Test
    void oneLargePack() {
        int people = Integer.getInteger("benchmark.people", 5000);
        DataSource ds = TestDatabases.h2();
        LinkedDataFixture data = new LinkedDataFixture(ds, 99);
        data.batch("E10000012", "2015-06", people, "ACCEPTED");
        TableBuilder builder = new TableBuilder(ds);
        long start = System.nanoTime();
        ReleaseProtection.Result result = FeedbackPacks.protect(builder, "E10000012", "2015-06",
                DisclosureRules.agreementDefaults(), List.of());
        double protectSeconds = (System.nanoTime() - start) / 1e9;
        Map<String, List<List<String>>> release = new LinkedHashMap<>();
        result.tables().stream().filter(t -> !t.refused()).forEach(t -> release.put(t.spec().name(), t.csvRecords()));
        start = System.nanoTime();
        CouncilAttacker attacker = new CouncilAttacker();
        attacker.attack(data.people.stream().map(p -> new CouncilKnowledge.Known(p.period(),
                CouncilKnowledge.cohort(p.cohort()), p.sex(), p.age(), p.problemCount())).toList(), List.of(release));
        double attackSeconds = (System.nanoTime() - start) / 1e9;
        long refused = result.tables().stream().filter(OutcomeTable::refused).count();
        System.out.printf("disclosure benchmark: %d people, 28 tables (%d withheld whole): protected in %.1f s (%s);"
                + " attacker checked %d withheld cells in %.1f s (%d solves), %d groups told%n", people, refused,
                protectSeconds, result.summary(), attacker.cells.size(), attackSeconds, attacker.cp.solves(),
                attacker.groups.size());
        assertThat(attacker.groups).isEmpty();
    }
}
