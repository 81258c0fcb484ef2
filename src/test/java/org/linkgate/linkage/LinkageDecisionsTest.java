package org.linkgate.linkage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.linkgate.audit.AuditLog;
import org.linkgate.pseudonymisation.IdentityRecord;
import org.linkgate.pseudonymisation.Pseudonymiser;
import org.linkgate.store.TestDatabases;

/**
 * An operator's decisions on grey-zone pairs, on H2 with real linking: accept merges forward exactly as
 * an automatic link, reject keeps a later batch from merging or listing the two, and a pair is decided once.
 */
class LinkageDecisionsTest {

    private final LinkageStoreFixture store = new LinkageStoreFixture(TestDatabases.h2());
    private final LinkageDecisions decisions = new LinkageDecisions(store.jdbc, store.transactions,
            new AuditLog(store.jdbc, Clock.systemUTC()), Clock.systemUTC());
    private final LinkageReviewApi api = new LinkageReviewApi(store.jdbc);

    private static NoisyPopulation.Row row(int truth, String forename, String surname, String dob, String sex,
                                           String postcode, String nhs) {
        return new NoisyPopulation.Row(truth, new IdentityRecord(forename, null, surname, dob, sex, null, null, null,
                postcode, null, nhs, null));
    }

    private static final NoisyPopulation.Row OLIVIA = row(1, "Olivia", "Smith", "2012-03-04", "F", "SW1A 1AA", "9434765919");
    // Everything agrees with OLIVIA but the NHS number: vetoed, so listed for review.
    private static final NoisyPopulation.Row OLIVIA_OTHER_NHS = row(3, "Olivia", "Smith", "2012-03-04", "F", "SW1A 1AA",
            "4010232137");

    private String personOf(String intake, long row) {
        return store.jdbc.queryForObject("select pseudo_id from research_record where intake_id = ? and row_number = ?",
                String.class, intake, row);
    }

    private String mergedInto(String person) {
        return store.jdbc.queryForObject("select merged_into from linkage_person where person_id = ?", String.class, person);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> pairs(String intake, String status) {
        return (List<Map<String, Object>>) api.review(intake, status, 0, 100).get("pairs");
    }

    private long reviewIdOf(String intake) {
        List<Map<String, Object>> listed = pairs(intake, "undecided");
        assertThat(listed).hasSize(1);
        return ((Number) listed.get(0).get("id")).longValue();
    }

    private List<String> audit(String type) {
        return store.jdbc.queryForList("select actor || ': ' || coalesce(detail, '') from audit_event where event_type = ?"
                + " order by seq", String.class, type);
    }

    private long addReview(String intake, String person, String candidate) {
        store.jdbc.update("insert into linkage_review (intake_id, row_number, person_id, candidate_id, pattern, match_weight,"
                + " probability, created_at) values (?, 1, ?, ?, 'fn3 sn1 dob2 sex1 pc0 nhs-', 3.2, 0.7, ?)", intake, person,
                candidate, Timestamp.from(Instant.now()));
        return store.jdbc.queryForObject("select max(id) from linkage_review", Long.class);
    }

    @Test
    void acceptMergesTheLaterPersonForwardIntoTheEarlierAndChangesNoSeenId() {
        String first = store.acceptAndLink("even", List.of(OLIVIA));
        String third = store.acceptAndLink("even", List.of(OLIVIA_OTHER_NHS));
        String earlier = personOf(first, 1);
        String later = personOf(third, 1);
        assertThat(later).isNotEqualTo(earlier);
        long id = reviewIdOf(third);

        decisions.accept(id, "admin", "LR-2026/001 same child, NHS number mistyped");

        assertThat(mergedInto(later)).isEqualTo(earlier);
        assertThat(mergedInto(earlier)).isNull();
        assertThat(personOf(first, 1)).as("ids already seen never change").isEqualTo(earlier);
        assertThat(personOf(third, 1)).isEqualTo(later);
        assertThat(audit("PERSONS_MERGED")).containsExactly("admin: person " + later + " merged forward into earlier person "
                + earlier + " (review pair " + id + " accepted)");
        assertThat(audit("LINKAGE_PAIR_ACCEPTED")).singleElement().asString()
                .startsWith("admin: persons " + later + " and " + earlier).endsWith("ref=LR-2026/001 same child, NHS number mistyped");
        assertThat(pairs(third, "undecided")).isEmpty();
        Map<String, Object> decided = pairs(third, "decided").get(0);
        assertThat(decided).containsEntry("decision", "ACCEPTED").containsEntry("decidedBy", "admin")
                .containsEntry("reference", "LR-2026/001 same child, NHS number mistyped");
        assertThat(pairs(null, "all")).hasSize(1);

        // A later record of the same person now finds one person, and lists nothing.
        String fourth = store.acceptAndLink("even", List.of(OLIVIA_OTHER_NHS));
        assertThat(pairs(fourth, "all")).isEmpty();
    }

    @Test
    void acceptMergesIntoTheEarliestWhicheverSideOfThePairItIs() {
        String a = store.acceptAndLink("even", List.of(row(1, "John", "Smith", "2010-03-04", "M", "NE1 4ST", null)));
        String b = store.acceptAndLink("even", List.of(row(1, "John", "Smyth", "2010-04-03", "M", "BS1 4DJ", "9434765919")));
        String idA = personOf(a, 1);
        String idB = personOf(b, 1);
        long id = addReview(b, idA, idB); // the earlier person on the row's side

        decisions.accept(id, "admin", "LR-2");

        assertThat(mergedInto(idB)).isEqualTo(idA);
        assertThat(mergedInto(idA)).isNull();
    }

    @Test
    void rejectKeepsALaterBatchFromListingThePairAgain() {
        String first = store.acceptAndLink("even", List.of(OLIVIA));
        String third = store.acceptAndLink("even", List.of(OLIVIA_OTHER_NHS));
        decisions.reject(reviewIdOf(third), "admin", "LR-3 twins");

        assertThat(store.jdbc.queryForObject("select count(*) from linkage_non_link", Integer.class)).isEqualTo(1);
        assertThat(mergedInto(personOf(third, 1))).isNull();
        assertThat(audit("LINKAGE_PAIR_REJECTED")).singleElement().asString().contains("are not one").endsWith("ref=LR-3 twins");
        // The same record again links to the third's person and would list the first as its candidate: not any more.
        String fourth = store.acceptAndLink("even", List.of(OLIVIA_OTHER_NHS));
        assertThat(personOf(fourth, 1)).isEqualTo(personOf(third, 1));
        assertThat(pairs(fourth, "all")).isEmpty();
        assertThat(personOf(first, 1)).isNotEqualTo(personOf(fourth, 1));
    }

    @Test
    void withoutADecisionTheSamePairIsListedAgain() {
        store.acceptAndLink("even", List.of(OLIVIA));
        String third = store.acceptAndLink("even", List.of(OLIVIA_OTHER_NHS));
        String fourth = store.acceptAndLink("even", List.of(OLIVIA_OTHER_NHS));
        assertThat(pairs(fourth, "undecided")).hasSize(1);
        assertThat(pairs(fourth, "undecided").get(0).get("personId")).isEqualTo(personOf(third, 1));
    }

    @Test
    void rejectKeepsALaterRowLinkingBothFromMergingThem() {
        // As in LinkageRulesTest: without a decision, the third record merges B forward into A.
        String a = store.acceptAndLink("even", List.of(row(1, "John", "Smith", "2010-03-04", "M", "NE1 4ST", null)));
        String b = store.acceptAndLink("even", List.of(row(1, "John", "Smyth", "2010-04-03", "M", "BS1 4DJ", "9434765919")));
        String idA = personOf(a, 1);
        String idB = personOf(b, 1);
        decisions.reject(addReview(b, idB, idA), "admin", "LR-4 father and son");

        String c = store.acceptAndLink("even", List.of(row(1, "John", "Smith", "2010-03-04", "M", "BS1 4DJ", "9434765919")));
        assertThat(personOf(c, 1)).isIn(idA, idB);
        assertThat(mergedInto(idA)).isNull();
        assertThat(mergedInto(idB)).isNull();
        assertThat(audit("PERSONS_MERGED")).isEmpty();
    }

    @Nested
    class Refused {

        @Test
        void aPairIsDecidedOnce() {
            store.acceptAndLink("even", List.of(OLIVIA));
            String third = store.acceptAndLink("even", List.of(OLIVIA_OTHER_NHS));
            long id = reviewIdOf(third);
            decisions.accept(id, "admin", "LR-5");
            assertThatThrownBy(() -> decisions.accept(id, "admin2", "LR-6"))
                    .isInstanceOf(LinkageDecisions.AlreadyDecidedException.class);
            assertThatThrownBy(() -> decisions.reject(id, "admin2", "LR-6"))
                    .isInstanceOf(LinkageDecisions.AlreadyDecidedException.class);
            assertThat(pairs(third, "decided").get(0)).containsEntry("decidedBy", "admin").containsEntry("reference", "LR-5");
            assertThat(audit("PERSONS_MERGED")).hasSize(1);
        }

        @Test
        void aDecisionContradictingAnEarlierOneIsRefused() {
            String a = store.acceptAndLink("even", List.of(row(1, "John", "Smith", "2010-03-04", "M", "NE1 4ST", null)));
            String b = store.acceptAndLink("even", List.of(row(1, "John", "Smyth", "2010-04-03", "M", "BS1 4DJ", "9434765919")));
            String idA = personOf(a, 1);
            String idB = personOf(b, 1);
            long listedTwice = addReview(b, idB, idA);
            long other = addReview(b, idA, idB);
            decisions.reject(listedTwice, "admin", "LR-7");
            assertThat(pairs(b, "decided")).as("one decision settles every listing of the two").hasSize(2);
            long third = addReview(b, idB, idA);
            assertThatThrownBy(() -> decisions.accept(third, "admin", "LR-8"))
                    .isInstanceOf(LinkageDecisions.AlreadyDecidedException.class);
            assertThat(mergedInto(idB)).isNull();
            assertThat(other).isNotEqualTo(third);
        }

        @Test
        void aMergedPairCannotBeRejected() {
            String a = store.acceptAndLink("even", List.of(row(1, "John", "Smith", "2010-03-04", "M", "NE1 4ST", null)));
            String b = store.acceptAndLink("even", List.of(row(1, "John", "Smyth", "2010-04-03", "M", "BS1 4DJ", "9434765919")));
            decisions.accept(addReview(b, personOf(b, 1), personOf(a, 1)), "admin", "LR-9");
            long later = addReview(b, personOf(b, 1), personOf(a, 1));
            assertThatThrownBy(() -> decisions.reject(later, "admin", "LR-10"))
                    .isInstanceOf(LinkageDecisions.AlreadyDecidedException.class);
        }

        @Test
        void aReferenceIsRequiredAndIsNoFreeText() {
            store.acceptAndLink("even", List.of(OLIVIA));
            String third = store.acceptAndLink("even", List.of(OLIVIA_OTHER_NHS));
            long id = reviewIdOf(third);
            for (String bad : new String[] {null, "", " ", "x", "a\nb", "<script>", "r".repeat(121), "name@example.org"}) {
                assertThatThrownBy(() -> decisions.accept(id, "admin", bad)).as(String.valueOf(bad))
                        .isInstanceOf(IllegalArgumentException.class);
            }
            assertThat(pairs(third, "undecided")).hasSize(1);
            assertThat(audit("PERSONS_MERGED")).isEmpty();
        }

        @Test
        void anUnknownPairIsNotFound() {
            assertThatThrownBy(() -> decisions.reject(424242, "admin", "LR-11")).isInstanceOf(NoSuchElementException.class);
        }
    }

    @Test
    void theListShowsNoIdentity() {
        String v1 = new Pseudonymiser(store.key).personId("Olivia", "Smith", LocalDate.of(2012, 3, 4));
        store.acceptAndLink("even", List.of(OLIVIA));
        String third = store.acceptAndLink("even", List.of(OLIVIA_OTHER_NHS));
        decisions.reject(reviewIdOf(third), "admin", "LR-12");
        Map<String, Object> decided = pairs(third, "decided").get(0);
        assertThat(decided.get("candidateId")).isEqualTo(v1);
        assertThat(decided.toString()).doesNotContainIgnoringCase("olivia").doesNotContain("2012").doesNotContain("SW1A")
                .doesNotContain("4010232137");
        assertThat(decided).doesNotContainKey("row_number").doesNotContainKey("rowNumber");
    }
}
