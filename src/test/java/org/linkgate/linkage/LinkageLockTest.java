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

    private static NoisyPopulation.Row john(String surname, String dob, String postcode, String nhs) {
        return new NoisyPopulation.Row(2, new IdentityRecord("John", null, surname, dob, "M", null, null, null,
                postcode, null, nhs, null));
    }

    @Test
    void anUndoOfAnAutomaticMergeTakenWhileABatchLinksThroughItWaitsAndSplitsThatRecordToo() {
        AuditLog audit = new AuditLog(store.jdbc, Clock.systemUTC());
        MergeUndo undo = new MergeUndo(store.jdbc, store.transactions, audit, Clock.systemUTC(),
                new org.linkgate.store.ResearchStore(store.jdbc), new org.linkgate.fanout.Extracts(store.jdbc));
        store.acceptAndLink("even", List.of(john("Smith", "2010-03-04", "NE1 4ST", null)));
        String b = store.acceptAndLink("even", List.of(john("Smyth", "2010-04-03", "BS1 4DJ", "9434765919")));
        String bridge = store.acceptAndLink("even", List.of(john("Smith", "2010-03-04", "BS1 4DJ", "9434765919")));
        long merge = store.jdbc.queryForObject("select id from linkage_merge where intake_id = ?", Long.class, bridge);
        String idB = store.jdbc.queryForObject("select pseudo_id from research_record where intake_id = ?", String.class, b);

        // b's record again, linked through b (so given the survivor's id) while the undo is asked for.
        AtomicReference<Future<?>> undoing = new AtomicReference<>();
        store.whileLinking = () -> {
            undoing.set(admin.submit(() -> undo.undo(merge, "admin", "LM-8 wrong merge")));
            awaitBlockedSession(undoing.get());
        };
        String again = store.acceptAndLink("even", List.of(john("Smyth", "2010-04-03", "BS1 4DJ", "9434765919")));
        store.whileLinking = null;

        assertThat(undoing.get()).succeedsWithin(java.time.Duration.ofSeconds(10));
        assertThat(store.jdbc.queryForObject("select pseudo_id from research_record where intake_id = ?", String.class,
                again)).as("the undo waited for the batch and split its record too").isEqualTo(idB);
        assertThat(store.jdbc.queryForObject("select merged_into from linkage_person where person_id = ?", String.class,
                idB)).isNull();
    }

    /** Until another session waits on a lock this one holds (H2 names its blocker), at most 10 s. */
    private void awaitBlockedSession(Future<?> waiting) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (store.jdbc.queryForObject("select count(*) from information_schema.sessions where blocker_id is not null",
                Integer.class) == 0) {
            if (System.nanoTime() > deadline || waiting.isDone()) {
                throw new AssertionError("the decision or undo did not wait for the batch being linked");
            }
            Thread.onSpinWait();
        }
    }
}
