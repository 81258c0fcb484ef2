package org.linkgate.linkage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.linkgate.audit.AuditLog;
import org.linkgate.pseudonymisation.IdentityRecord;
import org.linkgate.store.TestDatabases;

/**
 * Undoing a merge that linking made on its own, with real linking (H2 here, PostgreSQL in
 * {@link MergeUndoPostgresTest}): split forward as for an accepted pair, unless a department has seen a
 * record whose id would change or a later merge carried the persons on; and the next batch does not merge
 * the two again.
 */
class MergeUndoTest {

    private final LinkageStoreFixture store = fixture();
    private final AuditLog audit = new AuditLog(store.jdbc, Clock.systemUTC());
    private final MergeUndo undo = new MergeUndo(store.jdbc, store.transactions, audit, Clock.systemUTC(),
            new org.linkgate.store.ResearchStore(store.jdbc), new org.linkgate.fanout.Extracts(store.jdbc));
    private final LinkageDecisions decisions = new LinkageDecisions(store.jdbc, store.transactions, audit,
            Clock.systemUTC());
    private final DecisionUndo decisionUndo = new DecisionUndo(store.jdbc, store.transactions, audit, Clock.systemUTC(),
            new org.linkgate.store.ResearchStore(store.jdbc), new org.linkgate.fanout.Extracts(store.jdbc));

    /** The database the tests run on. */
    LinkageStoreFixture fixture() {
        return new LinkageStoreFixture(TestDatabases.h2());
    }

    private static NoisyPopulation.Row john(String surname, String dob, String postcode, String nhs) {
        return new NoisyPopulation.Row(1, new IdentityRecord("John", null, surname, dob, "M", null, null, null,
                postcode, null, nhs, null));
    }

    /** The same man recorded so that the first two share no key; the third shares keys with both. */
    private static final NoisyPopulation.Row A = john("Smith", "2010-03-04", "NE1 4ST", null);
    private static final NoisyPopulation.Row B = john("Smyth", "2010-04-03", "BS1 4DJ", "9434765919");
    private static final NoisyPopulation.Row BRIDGE = john("Smith", "2010-03-04", "BS1 4DJ", "9434765919");

    private String personOf(String intake) {
        return store.jdbc.queryForObject("select pseudo_id from research_record where intake_id = ?", String.class, intake);
    }

    private String vaultOf(String intake) {
        return store.jdbc.queryForObject("select pseudo_id from identity_vault where intake_id = ?", String.class, intake);
    }

    private String rowOf(String intake) {
        return store.jdbc.queryForObject("select person_id from linkage_row where intake_id = ?", String.class, intake);
    }

    private String mergedInto(String person) {
        return store.jdbc.queryForObject("select merged_into from linkage_person where person_id = ?", String.class, person);
    }

    private long mergeOf(String intake) {
        return store.jdbc.queryForObject("select id from linkage_merge where intake_id = ?", Long.class, intake);
    }

    private int count(String sql, Object... args) {
        return store.jdbc.queryForObject(sql, Integer.class, args);
    }

    /** a, b (two persons), the bridge (merges b into a), then b's record again, linked through b. */
    private String[] mergedThenLinkedThrough() {
        String a = store.acceptAndLink("even", List.of(A));
        String b = store.acceptAndLink("even", List.of(B));
        String bridge = store.acceptAndLink("even", List.of(BRIDGE));
        String again = store.acceptAndLink("even", List.of(B));
        return new String[] {a, b, bridge, again};
    }

    @Test
    void undoingAnAutomaticMergeSplitsForwardAndTheNextBatchDoesNotMergeThemAgain() {
        String[] x = mergedThenLinkedThrough();
        String idA = personOf(x[0]);
        String idB = personOf(x[1]);
        long merge = mergeOf(x[2]);
        assertThat(mergedInto(idB)).isEqualTo(idA);
        assertThat(personOf(x[3])).as("linked through the merged person: the survivor's id").isEqualTo(idA);
        List<Map<String, Object>> before = store.jdbc.queryForList("select intake_id, pseudo_id from research_record"
                + " where intake_id in (?, ?) order by intake_id", x[0], x[1]);

        undo.undo(merge, "admin", "LM-2026/001 wrong merge");

        assertThat(mergedInto(idB)).isNull();
        assertThat(personOf(x[3])).as("split forward: its own person's id again").isEqualTo(idB);
        assertThat(vaultOf(x[3])).isEqualTo(idB);
        assertThat(rowOf(x[3])).isEqualTo(idB);
        assertThat(personOf(x[2])).as("the bridge itself linked best through b: b's id again too").isEqualTo(idB);
        assertThat(store.jdbc.queryForList("select intake_id, pseudo_id from research_record where intake_id in (?, ?)"
                + " order by intake_id", x[0], x[1])).as("records known before the merge keep their ids").isEqualTo(before);
        assertThat(store.jdbc.queryForMap("select undone_by, undo_reference from linkage_merge where id = ?", merge))
                .containsEntry("undone_by", "admin").containsEntry("undo_reference", "LM-2026/001 wrong merge");
        assertThat(store.jdbc.queryForMap("select person_a, person_b, review_id, merge_id from linkage_non_link"))
                .containsEntry("person_a", idA.compareTo(idB) < 0 ? idA : idB).containsEntry("review_id", null)
                .containsEntry("merge_id", merge);
        assertThat(store.jdbc.queryForList("select actor || ' ' || subject_id || ' ' || detail from audit_event"
                + " where event_type = 'LINKAGE_MERGE_UNDONE'", String.class)).singleElement().asString()
                .startsWith("admin merge-" + merge + " automatic merge " + merge + " (person " + idB + " into " + idA)
                .contains("take their id again=2", "non-link recorded=true", "ref=LM-2026/001 wrong merge");

        // The next batch finds both persons again, as the bridge did: it links to one and merges nothing.
        String next = store.acceptAndLink("even", List.of(BRIDGE));
        assertThat(store.lastOutcome.merges()).isZero();
        assertThat(count("select count(*) from linkage_merge")).isOne();
        assertThat(mergedInto(idB)).as("the undo sticks").isNull();
        assertThat(personOf(next)).isIn(idA, idB);
        assertThat(count("select count(*) from linkage_review where intake_id = ?", next))
                .as("decided not one: not listed for review either").isZero();
        assertThatThrownBy(() -> undo.undo(merge, "admin", "LM-2026/001 again"))
                .isInstanceOf(LinkageDecisions.AlreadyDecidedException.class).hasMessageContaining("undone already");
    }

    @Test
    void aMergeWhoseRecordsADepartmentHasSeenUnderTheMergedIdStays() {
        String[] x = mergedThenLinkedThrough();
        String idA = personOf(x[0]);
        String idB = personOf(x[1]);
        long merge = mergeOf(x[2]);
        store.jdbc.update("insert into extract (id, department_code, intake_id, period, file_name, status, created_at)"
                + " values ('x1', 'MOJ', ?, '2026-01', 'x1.csv', 'SENT', ?)", x[3], Timestamp.from(Instant.now()));
        store.jdbc.update("insert into extract_member (extract_id, department_token, pseudo_id, intake_id, row_number,"
                + " cohort) values ('x1', 'tok', ?, ?, 1, 'TREATMENT')", idA, x[3]);

        assertThatThrownBy(() -> undo.undo(merge, "admin", "LM-2026/002"))
                .isInstanceOf(LinkageDecisions.AlreadyDecidedException.class)
                .hasMessageContaining("MOJ (batch " + x[3] + ")").hasMessageContaining("never changes");

        assertThat(mergedInto(idB)).as("nothing changed").isEqualTo(idA);
        assertThat(personOf(x[3])).isEqualTo(idA);
        assertThat(count("select count(*) from linkage_merge where undone_at is not null")).isZero();
        assertThat(count("select count(*) from linkage_non_link")).isZero();
        assertThat(count("select count(*) from audit_event where event_type = 'LINKAGE_MERGE_UNDONE'")).isZero();
    }

    @Test
    void aMergeCarriedOnByALaterMergeWaitsForThatOneToBeUndone() {
        String a = store.acceptAndLink("even", List.of(A));
        String b = store.acceptAndLink("even", List.of(B));
        String bridge = store.acceptAndLink("even", List.of(BRIDGE));
        String idA = personOf(a);
        String idB = personOf(b);
        long merge = mergeOf(bridge);
        // An earlier person an ADMIN then decides is the same as a (synthetic ids, as a review pair lists them).
        store.jdbc.update("insert into linkage_person (person_id, first_intake_id, first_seen_at) values"
                + " ('p-earliest', 'i-0', ?)", Timestamp.from(Instant.parse("2000-01-01T00:00:00Z")));
        store.jdbc.update("insert into linkage_review (intake_id, row_number, person_id, candidate_id, pattern,"
                + " match_weight, probability, created_at) values (?, 1, ?, 'p-earliest', 'fn3 sn3 dob3 sex1 pc0 nhs-',"
                + " 4.0, 0.8, ?)", bridge, idA, Timestamp.from(Instant.now()));
        long review = store.jdbc.queryForObject("select id from linkage_review where candidate_id = 'p-earliest'", Long.class);
        decisions.accept(review, "admin", "LR-10");
        assertThat(mergedInto(idB)).isEqualTo("p-earliest");

        assertThatThrownBy(() -> undo.undo(merge, "admin", "LM-3"))
                .isInstanceOf(LinkageDecisions.AlreadyDecidedException.class)
                .hasMessageContaining("merged on since (into p-earliest)");
        assertThat(mergedInto(idB)).as("nothing changed").isEqualTo("p-earliest");

        decisionUndo.undo(review, "admin", "LR-10 undo");
        assertThat(mergedInto(idA)).isNull();
        assertThat(mergedInto(idB)).as("the review's undo restored the automatic merge").isEqualTo(idA);
        undo.undo(merge, "admin", "LM-3");
        assertThat(mergedInto(idB)).isNull();
    }

    @Test
    void refusesWhatCannotBeUndone() {
        assertThatThrownBy(() -> undo.undo(424242, "admin", "LM-9")).isInstanceOf(NoSuchElementException.class);
        store.acceptAndLink("even", List.of(A));
        store.acceptAndLink("even", List.of(B));
        String bridge = store.acceptAndLink("even", List.of(BRIDGE));
        long merge = mergeOf(bridge);
        assertThatThrownBy(() -> undo.undo(merge, "admin", "x\ny")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> undo.undo(merge, "admin", null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(count("select count(*) from linkage_merge where undone_at is null")).isOne();
    }
}
