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
 * Undoing review decisions on H2 with real linking: a merge splits forward (rows linked through the
 * merged person since take its id again) unless a department has seen those rows; a rejection goes.
 */
class DecisionUndoTest {

    private final LinkageStoreFixture store = fixture();
    private final AuditLog audit = new AuditLog(store.jdbc, Clock.systemUTC());
    private final LinkageDecisions decisions = new LinkageDecisions(store.jdbc, store.transactions, audit,
            Clock.systemUTC());
    private final DecisionUndo undo = new DecisionUndo(store.jdbc, store.transactions, audit, Clock.systemUTC(),
            new org.linkgate.store.ResearchStore(store.jdbc), new org.linkgate.fanout.Extracts(store.jdbc));

    /** The database the tests run on (PostgreSQL in {@link DecisionUndoPostgresTest}). */
    LinkageStoreFixture fixture() {
        return new LinkageStoreFixture(TestDatabases.h2());
    }

    private static NoisyPopulation.Row row(int truth, String nhs) {
        return new NoisyPopulation.Row(truth, new IdentityRecord("Olivia", null, "Smith", "2012-03-04", "F", null, null,
                null, "SW1A 1AA", null, nhs, null));
    }

    private String personOf(String intake, long row) {
        return store.jdbc.queryForObject("select pseudo_id from research_record where intake_id = ? and row_number = ?",
                String.class, intake, row);
    }

    private String vaultOf(String intake, long row) {
        return store.jdbc.queryForObject("select pseudo_id from identity_vault where intake_id = ? and row_number = ?",
                String.class, intake, row);
    }

    private String mergedInto(String person) {
        return store.jdbc.queryForObject("select merged_into from linkage_person where person_id = ?", String.class, person);
    }

    private long reviewOf(String intake) {
        return store.jdbc.queryForObject("select id from linkage_review where intake_id = ?", Long.class, intake);
    }

    /** Two Olivia Smiths with other NHS numbers (listed, accepted as one), then the second again. */
    private String[] acceptedThenLinkedThrough() {
        String first = store.acceptAndLink("even", List.of(row(1, "9434765919")));
        String second = store.acceptAndLink("even", List.of(row(2, "4010232137")));
        decisions.accept(reviewOf(second), "admin", "LR-1");
        String third = store.acceptAndLink("even", List.of(row(2, "4010232137")));
        return new String[] {first, second, third};
    }

    @Test
    void undoingAMergeSplitsForwardRowsLinkedThroughTheMergedPersonSince() {
        String[] b = acceptedThenLinkedThrough();
        String earlier = personOf(b[0], 1);
        String later = personOf(b[1], 1);
        assertThat(mergedInto(later)).isEqualTo(earlier);
        assertThat(personOf(b[2], 1)).as("linked through the merged person: the survivor's id").isEqualTo(earlier);

        undo.undo(reviewOf(b[1]), "admin", "LR-1 undo");

        assertThat(mergedInto(later)).isNull();
        assertThat(personOf(b[2], 1)).as("split forward: its own person's id again").isEqualTo(later);
        assertThat(vaultOf(b[2], 1)).isEqualTo(later);
        assertThat(store.jdbc.queryForObject("select person_id from linkage_row where intake_id = ?", String.class, b[2]))
                .isEqualTo(later);
        assertThat(personOf(b[0], 1)).isEqualTo(earlier);
        assertThat(personOf(b[1], 1)).isEqualTo(later);
        Map<String, Object> pair = store.jdbc.queryForMap("select decision, decided_by from linkage_review where id = ?",
                reviewOf(b[1]));
        assertThat(pair.get("decision")).as("undecided again").isNull();
        assertThat(store.jdbc.queryForObject("select count(*) from linkage_merge_move", Integer.class)).isZero();
        assertThat(store.jdbc.queryForList("select detail from audit_event where event_type = 'LINKAGE_DECISION_UNDONE'",
                String.class)).singleElement().asString().contains("ACCEPTED undone", "take their id again=1", "ref=LR-1 undo");
        // Undone once: a second undo has nothing to undo; the pair can be decided again.
        assertThatThrownBy(() -> undo.undo(reviewOf(b[1]), "admin", "LR-1 again"))
                .isInstanceOf(LinkageDecisions.AlreadyDecidedException.class).hasMessageContaining("not decided");
        decisions.reject(reviewOf(b[1]), "admin", "LR-2");
        assertThat(store.jdbc.queryForObject("select count(*) from linkage_non_link", Integer.class)).isOne();
    }

    @Test
    void aMergeWhoseRowsADepartmentHasSeenUnderTheMergedIdStays() {
        String[] b = acceptedThenLinkedThrough();
        String earlier = personOf(b[0], 1);
        String later = personOf(b[1], 1);
        store.jdbc.update("insert into extract (id, department_code, intake_id, period, file_name, status, created_at)"
                + " values ('x1', 'DWP', ?, '2026-01', 'x1.csv', 'SENT', ?)", b[2], Timestamp.from(Instant.now()));
        store.jdbc.update("insert into extract_member (extract_id, department_token, pseudo_id, intake_id, row_number,"
                + " cohort) values ('x1', 'tok', ?, ?, 1, 'TREATMENT')", earlier, b[2]);

        assertThatThrownBy(() -> undo.undo(reviewOf(b[1]), "admin", "LR-1 undo"))
                .isInstanceOf(LinkageDecisions.AlreadyDecidedException.class)
                .hasMessageContaining("DWP (batch " + b[2] + ")").hasMessageContaining("never changes");

        assertThat(mergedInto(later)).as("nothing changed").isEqualTo(earlier);
        assertThat(personOf(b[2], 1)).isEqualTo(earlier);
        assertThat(store.jdbc.queryForObject("select decision from linkage_review where id = ?", String.class,
                reviewOf(b[1]))).isEqualTo("ACCEPTED");
        assertThat(store.jdbc.queryForObject("select count(*) from audit_event where event_type = 'LINKAGE_DECISION_UNDONE'",
                Integer.class)).isZero();
    }

    @Test
    void aMergeNoRowWasLinkedThroughSinceIsUndoneWithoutChangingAnyRecord() {
        String first = store.acceptAndLink("even", List.of(row(1, "9434765919")));
        String second = store.acceptAndLink("even", List.of(row(2, "4010232137")));
        decisions.accept(reviewOf(second), "admin", "LR-1");
        List<Map<String, Object>> before = store.jdbc.queryForList("select intake_id, row_number, pseudo_id from"
                + " research_record order by intake_id, row_number");
        undo.undo(reviewOf(second), "admin", "LR-1 undo");
        assertThat(mergedInto(personOf(second, 1))).isNull();
        assertThat(store.jdbc.queryForList("select intake_id, row_number, pseudo_id from research_record"
                + " order by intake_id, row_number")).isEqualTo(before);
        assertThat(personOf(first, 1)).isNotEqualTo(personOf(second, 1));
    }

    @Test
    void undoingARejectionLetsALaterBatchListThePairAgain() {
        store.acceptAndLink("even", List.of(row(1, "9434765919")));
        String second = store.acceptAndLink("even", List.of(row(2, "4010232137")));
        decisions.reject(reviewOf(second), "admin", "LR-3 twins");
        String third = store.acceptAndLink("even", List.of(row(2, "4010232137")));
        assertThat(store.jdbc.queryForObject("select count(*) from linkage_review where intake_id = ?", Integer.class,
                third)).as("rejected: not listed again").isZero();

        undo.undo(reviewOf(second), "admin", "LR-3 undo");

        assertThat(store.jdbc.queryForObject("select count(*) from linkage_non_link", Integer.class)).isZero();
        assertThat(store.jdbc.queryForObject("select decision from linkage_review where id = ?", String.class,
                reviewOf(second))).isNull();
        String fourth = store.acceptAndLink("even", List.of(row(2, "4010232137")));
        assertThat(store.jdbc.queryForObject("select count(*) from linkage_review where intake_id = ?", Integer.class,
                fourth)).as("the pair is listed again").isOne();
    }

    @Test
    void refusesWhatCannotBeUndone() {
        assertThatThrownBy(() -> undo.undo(424242, "admin", "LR-9")).isInstanceOf(NoSuchElementException.class);
        store.acceptAndLink("even", List.of(row(1, "9434765919")));
        String second = store.acceptAndLink("even", List.of(row(2, "4010232137")));
        assertThatThrownBy(() -> undo.undo(reviewOf(second), "admin", "x\ny")).isInstanceOf(IllegalArgumentException.class);
        // A decision taken before undo recorded what it changed.
        store.jdbc.update("update linkage_review set decision = 'ACCEPTED', decided_by = 'admin' where id = ?",
                reviewOf(second));
        assertThatThrownBy(() -> undo.undo(reviewOf(second), "admin", "LR-9"))
                .isInstanceOf(LinkageDecisions.AlreadyDecidedException.class).hasMessageContaining("before decisions");
    }
}
