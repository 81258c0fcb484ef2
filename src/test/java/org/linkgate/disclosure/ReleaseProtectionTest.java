package org.linkgate.disclosure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.linkgate.store.TestDatabases;

/** The release model on a real (H2) linked dataset: every table protected, shared cells alike, bases by filter. */
class ReleaseProtectionTest {

    static final String COUNCIL = "E10000012";
    static final String PERIOD = "2015-06";
    static final DisclosureRules RULES = DisclosureRules.agreementDefaults();

    @Test
    void aPackIsProtectedAsOneModel() {
        DataSource ds = TestDatabases.h2();
        new LinkedDataFixture(ds, 7).batch(COUNCIL, PERIOD, 200, "ACCEPTED");
        long start = System.nanoTime();
        ReleaseProtection.Result result = FeedbackPacks.protect(new TableBuilder(ds), COUNCIL, PERIOD, RULES, List.of());
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("protected in " + millis + " ms: " + result.summary());
        assertThat(result.tables()).hasSize(28);
        for (OutcomeTable t : result.tables()) {
            System.out.println(t.spec().name() + " " + (t.refused() ? "REFUSED " + t.refusedBecause()
                    : t.suppressedCount() + "/" + t.cellCount()));
        }
    }
}
