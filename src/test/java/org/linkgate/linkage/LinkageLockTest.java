package org.linkgate.linkage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
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
 * A reject taken while a batch is being linked waits for the batch (the linkage lock) and then sees
 * what the batch did: here, a new listing of the same pair, which it settles too, instead of leaving
 * it undecided beside the reject.
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

    private static NoisyPopulation.Row olivia(String nhs) {
        return new NoisyPopulation.Row(1, new IdentityRecord("Olivia", null, "Smith", "2012-03-04", "F", null, null, null,
                "SW1A 1AA", null, nhs, null));
    }

    @Test
    void aRejectTakenWhileABatchListsThePairAgainWaitsAndSettlesThatListingToo() {
        store.acceptAndLink("even", List.of(olivia("9434765919")));
        // Everything agrees but the NHS number: a new person, listed for review against the first.
        String second = store.acceptAndLink("even", List.of(olivia("4010232137")));
        long review = store.jdbc.queryForObject("select id from linkage_review where intake_id = ?", Long.class, second);

        // The third batch lists the same two persons again; the reject is taken while it is being linked.
        AtomicReference<Future<?>> rejecting = new AtomicReference<>();
        store.whileLinking = () -> {
            rejecting.set(admin.submit(() -> decisions.reject(review, "admin", "LR-7 twins")));
            awaitBlockedSession(rejecting.get());
        };
        String third = store.acceptAndLink("even", List.of(olivia("4010232137")));
        store.whileLinking = null;

        assertThat(rejecting.get()).succeedsWithin(java.time.Duration.ofSeconds(10));
        assertThat(store.jdbc.queryForObject("select count(*) from linkage_review where intake_id = ?", Integer.class,
                third)).as("the batch listed the pair").isOne();
        assertThat(store.jdbc.queryForObject("select count(*) from linkage_review where decision is null", Integer.class))
                .as("the reject, taken after the batch, settled its listing too: never listed again").isZero();
        assertThat(store.jdbc.queryForObject("select count(*) from linkage_non_link", Integer.class)).isOne();
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
