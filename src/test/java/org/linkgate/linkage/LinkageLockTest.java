package org.linkgate.linkage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.linkgate.audit.AuditLog;
import org.linkgate.pseudonymisation.IdentityRecord;
import org.linkgate.store.TestDatabases;

/**
 * A reject taken while a batch is being linked: it waits for the batch (the linkage lock) and then
 * sees what the batch did, instead of being recorded beside a merge the batch made without it.
 */
class LinkageLockTest {

    private final LinkageStoreFixture store = new LinkageStoreFixture(TestDatabases.h2());
    private final LinkageDecisions decisions = new LinkageDecisions(store.jdbc, store.transactions,
            new AuditLog(store.jdbc, Clock.systemUTC()), Clock.systemUTC());
    private final ExecutorService admin = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        admin.shutdownNow();
    }

    private static NoisyPopulation.Row row(String surname, String dob, String postcode, String nhs) {
        return new NoisyPopulation.Row(1, new IdentityRecord("John", null, surname, dob, "M", null, null, null, postcode,
                null, nhs, null));
    }

    private String personOf(String intake) {
        return store.jdbc.queryForObject("select pseudo_id from research_record where intake_id = ?", String.class, intake);
    }

    @Test
    void aRejectTakenWhileABatchIsLinkedWaitsAndSeesItsMerge() throws Exception {
        // As in LinkageRulesTest: the third record links both earlier ones and merges B forward into A.
        String a = store.acceptAndLink("even", List.of(row("Smith", "2010-03-04", "NE1 4ST", null)));
        String b = store.acceptAndLink("even", List.of(row("Smyth", "2010-04-03", "BS1 4DJ", "9434765919")));
        String idA = personOf(a);
        String idB = personOf(b);
        store.jdbc.update("insert into linkage_review (intake_id, row_number, person_id, candidate_id, pattern, match_weight,"
                + " probability, created_at) values (?, 1, ?, ?, 'fn3 sn2 dob2 sex1 pc0 nhs-', 3.0, 0.7, ?)", b, idB, idA,
                Timestamp.from(Instant.now()));
        long review = store.jdbc.queryForObject("select max(id) from linkage_review", Long.class);

        AtomicReference<Future<?>> rejecting = new AtomicReference<>();
        store.whileLinking = () -> {
            rejecting.set(admin.submit(() -> decisions.reject(review, "admin", "LR-7 father and son")));
            awaitBlockedSession(rejecting.get());
        };
        store.acceptAndLink("even", List.of(row("Smith", "2010-03-04", "BS1 4DJ", "9434765919")));
        store.whileLinking = null;

        assertThatThrownBy(() -> rejecting.get().get()).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(LinkageDecisions.AlreadyDecidedException.class).hasMessageContaining("already one");
        assertThat(store.jdbc.queryForObject("select merged_into from linkage_person where person_id = ?", String.class, idB))
                .isEqualTo(idA);
        assertThat(store.jdbc.queryForObject("select count(*) from linkage_non_link", Integer.class))
                .as("no non-link beside the merge it contradicts").isZero();
    }

    /** Until another session waits on a lock this one holds (H2 names its blocker), at most 10 s. */
    private void awaitBlockedSession(Future<?> rejecting) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (store.jdbc.queryForObject("select count(*) from information_schema.sessions where blocker_id is not null",
                Integer.class) == 0) {
            if (System.nanoTime() > deadline || rejecting.isDone()) {
                throw new AssertionError("the reject did not wait for the batch being linked");
            }
            Thread.onSpinWait();
        }
    }
}
