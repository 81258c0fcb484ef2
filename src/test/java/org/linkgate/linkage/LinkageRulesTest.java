package org.linkgate.linkage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.linkgate.pseudonymisation.IdentityRecord;
import org.linkgate.pseudonymisation.Pseudonymiser;
import org.linkgate.store.TestDatabases;

/** The rules of linkage a person can check by hand: look-alikes, merge forward, review, quality. */
class LinkageRulesTest {

    private final LinkageStoreFixture store = new LinkageStoreFixture(TestDatabases.h2());

    private static NoisyPopulation.Row row(int truth, String forename, String surname, String dob, String sex,
                                           String postcode, String nhs) {
        return new NoisyPopulation.Row(truth, new IdentityRecord(forename, null, surname, dob, sex, null, null, null,
                postcode, null, nhs, null));
    }

    private String personOf(String intake, long row) {
        return store.jdbc.queryForObject("select pseudo_id from research_record where intake_id = ? and row_number = ?",
                String.class, intake, row);
    }

    @Test
    void sameNameAndDateOfBirthWithConflictingSexNhsAndPostcodeIsAnotherPerson() {
        String first = store.acceptAndLink("even", List.of(row(1, "Olivia", "Smith", "2012-03-04", "F", "SW1A 1AA", "9434765919")));
        String second = store.acceptAndLink("even", List.of(row(2, "Olivia", "Smith", "2012-03-04", "M", "LS1 4AP", "4010232137")));
        String v1 = new Pseudonymiser(store.key).personId("Olivia", "Smith", LocalDate.of(2012, 3, 4));
        assertThat(personOf(first, 1)).isEqualTo(v1);
        assertThat(personOf(second, 1)).as("not merged, and not given the other's v1 id").isNotEqualTo(v1);
        assertThat(store.jdbc.queryForObject("select pseudo_id from identity_vault where intake_id = ?", String.class, second))
                .as("the vault row carries the same id as the research record").isEqualTo(personOf(second, 1));
        // Everything agrees but the NHS number: a high score, vetoed, so listed for review (pseudo ids and pattern only).
        String third = store.acceptAndLink("even", List.of(row(3, "Olivia", "Smith", "2012-03-04", "F", "SW1A 1AA", "4010232137")));
        assertThat(personOf(third, 1)).isNotEqualTo(v1);
        assertThat(new LinkageReviewApi(store.jdbc).review(second, 0, 10).get("total")).isEqualTo(0L);
        Map<String, Object> review = new LinkageReviewApi(store.jdbc).review(third, 0, 10);
        assertThat(review.get("total")).isEqualTo(1L);
        @SuppressWarnings("unchecked")
        Map<String, Object> pair = ((List<Map<String, Object>>) review.get("pairs")).get(0);
        assertThat(pair.get("candidateId")).isEqualTo(v1);
        assertThat(pair.get("pattern")).isEqualTo("fn3 sn3 dob3 sex1 pc2 nhs0");
        assertThat((double) pair.get("probability")).isGreaterThan(0.5);
        assertThat(pair.toString()).doesNotContainIgnoringCase("olivia").doesNotContain("2012").doesNotContain("SW1A");
    }

    @Test
    void noisyRecordsOfOnePersonTakeTheEarlierId() {
        String first = store.acceptAndLink("even", List.of(row(1, "Jonathan", "O'Brien", "2009-07-03", "M", "M1 1AE", null),
                row(2, "Aisha", "Khan", "2011-01-20", "F", "B33 8TH", null)));
        String second = store.acceptAndLink("even", List.of(
                row(1, "Jon", "OBrien", "2009-03-07", "M", "M1 1AE", null),   // nickname and day/month swap
                row(2, "Ayesha", "Kahn", "2011-01-20", "F", "CR2 6XH", null))); // variant, typo and a move
        assertThat(personOf(second, 1)).isEqualTo(personOf(first, 1));
        assertThat(personOf(second, 2)).isEqualTo(personOf(first, 2));
        assertThat(store.jdbc.queryForList("select link_level from linkage_row where intake_id = ? order by row_number",
                Integer.class, second)).doesNotContainNull();
    }

    @Test
    void aLaterLinkMergesForwardUnderTheEarliestIdAndAuditsIt() {
        String a = store.acceptAndLink("even", List.of(row(1, "John", "Smith", "2010-03-04", "M", "NE1 4ST", null)));
        // The same man recorded differently: shares no match key with the first record, so a new person.
        String b = store.acceptAndLink("even", List.of(row(1, "John", "Smyth", "2010-04-03", "M", "BS1 4DJ", "9434765919")));
        String idA = personOf(a, 1);
        String idB = personOf(b, 1);
        assertThat(idB).isNotEqualTo(idA);
        // A third record shares keys with both (full name with the first, NHS number with the second).
        String c = store.acceptAndLink("even", List.of(row(1, "John", "Smith", "2010-03-04", "M", "BS1 4DJ", "9434765919")));
        assertThat(personOf(c, 1)).isEqualTo(idA);
        assertThat(personOf(a, 1)).as("ids already seen never change").isEqualTo(idA);
        assertThat(personOf(b, 1)).isEqualTo(idB);
        assertThat(store.jdbc.queryForObject("select merged_into from linkage_person where person_id = ?", String.class, idB))
                .isEqualTo(idA);
        // Recorded, so an ADMIN can list and undo it (MergeUndoTest): the batch, both ids, what it moved.
        Map<String, Object> merge = store.jdbc.queryForMap("select id, intake_id, person_id, survivor_id from linkage_merge");
        assertThat(merge).containsEntry("intake_id", c).containsEntry("person_id", idB).containsEntry("survivor_id", idA);
        assertThat(store.jdbc.queryForList("select person_id from linkage_merge_move where merge_id = ?", String.class,
                merge.get("id"))).containsExactly(idB);
        assertThat(store.jdbc.queryForList("select detail from audit_event where event_type = 'PERSONS_MERGED'",
                String.class)).containsExactly("person " + idB + " merged forward into earlier person " + idA
                + " (automatic merge " + merge.get("id") + ")");
    }

    @Test
    void batchQualityCountsLevelsAndFlagsACohortDifferenceBySignificance() {
        NoisyPopulation population = new NoisyPopulation(7L, 600);
        store.acceptAndLink("even", population.clean(population.people.subList(0, 600)));
        // Treatment (even truth ids) all seen before; comparison (odd) mostly new people.
        List<NoisyPopulation.Person> next = new java.util.ArrayList<>();
        for (NoisyPopulation.Person p : population.people.subList(0, 600)) {
            if (p.id() % 2 == 0 || p.id() % 10 == 1) {
                next.add(p);
            }
        }
        NoisyPopulation fresh = new NoisyPopulation(8L, 300);
        for (NoisyPopulation.Person p : fresh.people.subList(0, 300)) {
            if (p.id() % 2 == 1) {
                next.add(new NoisyPopulation.Person(100_000 + p.id(), p.forename(), p.middle(), p.surname(), p.dob(),
                        p.sex(), p.postcode(), p.nhs()));
            }
        }
        String second = store.acceptAndLink("even", population.noisy(next, 0.2));
        List<Map<String, Object>> batches = new LinkageReviewApi(store.jdbc).batches(null);
        assertThat(batches).hasSize(2);
        Map<String, Object> batch = batches.get(1);
        assertThat(batch.get("intakeId")).isEqualTo(second);
        @SuppressWarnings("unchecked")
        Map<String, Object> treatment = (Map<String, Object>) batch.get("treatment");
        @SuppressWarnings("unchecked")
        Map<String, Object> levels = (Map<String, Object>) treatment.get("levels");
        assertThat((double) treatment.get("linkedShare")).isGreaterThan(0.97);
        assertThat(levels).containsKey("FULL");
        assertThat((double) treatment.get("estimatedFalseMatchRate")).isBetween(0.0, 0.01);
        assertThat(batch.get("cohortDifferenceFlagged")).isEqualTo(true);
        assertThat(Significance.differs(8, 10, 6, 10)).isFalse();
    }
}
