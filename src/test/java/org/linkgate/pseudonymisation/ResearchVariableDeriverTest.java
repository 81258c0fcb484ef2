package org.linkgate.pseudonymisation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.linkgate.inbound.InboundLedger;
import org.linkgate.inbound.InboundStatus;
import org.linkgate.inbound.TestLedgers;
import org.linkgate.store.ResearchStoreWriter;
import org.linkgate.store.TestDatabases;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The derived research variables (cl. 12.1: derived before identity is hashed away): age at identification in
 * whole years across birthdays and 29 February, the age bands at every edge, the problem flags and their count, and
 * family size once a file's rows are in the store. Synthetic rows only.
 */
class ResearchVariableDeriverTest {

    private static final String COUNCIL = "E10000012";
    private final ResearchVariableDeriver deriver = new ResearchVariableDeriver(
            new Pseudonymiser(new PseudonymisationKey(new byte[PseudonymisationKey.BYTES])), COUNCIL, "2015-06");

    /** A valid synthetic row; {@code changes} override columns. */
    static Map<String, String> row(String... changes) {
        Map<String, String> row = new HashMap<>(Map.ofEntries(Map.entry("person_ref", "P1"), Map.entry("family_ref", "F1"),
                Map.entry("forename", "Ada"), Map.entry("middle_names", ""), Map.entry("surname", "Example"),
                Map.entry("date_of_birth", "2004-02-29"), Map.entry("sex", "f"), Map.entry("address_line_1", "1 Test Row"),
                Map.entry("address_line_2", ""), Map.entry("town", "Testtown"), Map.entry("postcode", "sw1a1aa"),
                Map.entry("nino", ""), Map.entry("nhs_number", ""), Map.entry("upn", ""), Map.entry("cohort", "treatment"),
                Map.entry("date_identified", "2015-05-10"), Map.entry("crime_asb", "0"), Map.entry("education", "0"),
                Map.entry("children_in_need", "0"), Map.entry("worklessness", "0"), Map.entry("domestic_abuse", "0"),
                Map.entry("health", "0")));
        for (int i = 0; i < changes.length; i += 2) {
            row.put(changes[i], changes[i + 1]);
        }
        return row;
    }

    ResearchRecord derived(Map<String, String> row) {
        ResearchVariableDeriver.Derivation derivation = deriver.derive(2, row::get);
        assertThat(derivation).isInstanceOf(ResearchVariableDeriver.Derived.class);
        return ((ResearchVariableDeriver.Derived) derivation).research();
    }

    int age(String born, String identified) {
        return derived(row("date_of_birth", born, "date_identified", identified)).ageAtIdentification();
    }

    @Nested
    class AgeAtIdentification {

        @ParameterizedTest(name = "born {0}, identified {1}: {2}")
        @CsvSource({
                "2000-06-15, 2015-06-14, 14", // the day before the 15th birthday
                "2000-06-15, 2015-06-15, 15", // on the birthday
                "2000-06-15, 2015-06-16, 15",
                "2000-12-31, 2015-01-01, 14",
                "2015-05-10, 2015-05-10, 0",  // identified on the day of birth
                "2004-02-29, 2005-02-28, 0",  // 29 February: no birthday in a common year until 1 March
                "2004-02-29, 2005-03-01, 1",
                "2004-02-29, 2008-02-28, 3",
                "2004-02-29, 2008-02-29, 4",  // the next 29 February
                "2003-03-01, 2004-02-29, 0",  // identified on 29 February
                "2003-02-28, 2004-02-29, 1",
                "1950-01-01, 2015-01-01, 65"})
        void isInWholeYearsCompleted(String born, String identified, int expected) {
            assertThat(age(born, identified)).isEqualTo(expected);
        }

        @Test
        void anIdentificationBeforeBirthCannotBeDerived() {
            ResearchVariableDeriver.Derivation derivation = deriver.derive(7,
                    row("date_of_birth", "2010-03-02", "date_identified", "2010-03-01")::get);
            assertThat(derivation).isEqualTo(new ResearchVariableDeriver.Underivable("date_identified",
                    "not_before_date_of_birth"));
        }

        @Test
        void theMonthOfIdentificationIsKeptNotTheDay() {
            ResearchRecord record = derived(row("date_identified", "2015-05-31"));
            assertThat(record.identifiedMonth()).isEqualTo("2015-05");
        }
    }

    @Nested
    class AgeBands {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({"0, 0-4", "4, 0-4", "5, 5-10", "10, 5-10", "11, 11-15", "15, 11-15", "16, 16-17", "17, 16-17",
                "18, 18-24", "24, 18-24", "25, 25-34", "34, 25-34", "35, 35-49", "49, 35-49", "50, 50-64", "64, 50-64",
                "65, 65+", "120, 65+"})
        void everyEdgeFallsInOneBand(int age, String label) {
            assertThat(AgeBand.of(age).label()).isEqualTo(label);
            assertThat(AgeBand.byLabel(label)).contains(AgeBand.of(age));
        }

        @Test
        void bandsCoverEveryAgeOnceWithoutGaps() {
            AgeBand[] bands = AgeBand.values();
            assertThat(bands[0].from()).isZero();
            for (int i = 1; i < bands.length; i++) {
                assertThat(bands[i].from()).as(bands[i].label()).isEqualTo(bands[i - 1].to() + 1);
            }
            assertThat(bands[bands.length - 1].to()).isEqualTo(Integer.MAX_VALUE);
            assertThatThrownBy(() -> AgeBand.of(-1)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void theBandIsTheAgeAtIdentificationsBand() {
            ResearchRecord record = derived(row("date_of_birth", "1998-06-15", "date_identified", "2015-06-14"));
            assertThat(record.ageAtIdentification()).isEqualTo(16);
            assertThat(record.ageBand()).isEqualTo(AgeBand.B16_17);
        }
    }

    @Nested
    class Problems {

        @Test
        void eachFlagIsOneOnlyForOneAndTheCountIsTheirSum() {
            ResearchRecord record = derived(row("crime_asb", "1", "education", "0", "children_in_need", "1",
                    "worklessness", "", "domestic_abuse", "1", "health", "0"));
            ResearchRecord.ProblemFlags flags = record.problems();
            assertThat(List.of(flags.crimeAsb(), flags.education(), flags.childrenInNeed(), flags.worklessness(),
                    flags.domesticAbuse(), flags.health())).containsExactly(1, 0, 1, 0, 1, 0);
            assertThat(flags.count()).isEqualTo(3);
        }

        @Test
        void noneAndAllSix() {
            assertThat(derived(row()).problems().count()).isZero();
            assertThat(derived(row("crime_asb", "1", "education", "1", "children_in_need", "1", "worklessness", "1",
                    "domestic_abuse", "1", "health", "1")).problems().count()).isEqualTo(6);
        }
    }

    @Nested
    class IdentityIsHashedAway {

        @Test
        void theResearchRecordCarriesNoIdentifierAndTheSamePersonGetsTheSamePseudoId() {
            ResearchRecord record = derived(row());
            assertThat(record.toString()).doesNotContainIgnoringCase("Ada").doesNotContainIgnoringCase("Example")
                    .doesNotContain("2004-02-29").doesNotContainIgnoringCase("sw1a").doesNotContain("P1");
            assertThat(record.sex()).isEqualTo("F");
            assertThat(record.cohort()).isEqualTo("TREATMENT");
            // Same name and birth date, other address and references: the same person.
            ResearchRecord again = derived(row("person_ref", "P9", "family_ref", "F9", "postcode", "M1 1AA"));
            assertThat(again.pseudoId()).isEqualTo(record.pseudoId());
            assertThat(again.familyPseudoId()).isNotEqualTo(record.familyPseudoId());
            assertThat(derived(row("date_of_birth", "2004-02-28")).pseudoId()).isNotEqualTo(record.pseudoId());
        }

        @Test
        void aFamilyIsKeyedWithinItsCouncil() {
            ResearchVariableDeriver other = new ResearchVariableDeriver(
                    new Pseudonymiser(new PseudonymisationKey(new byte[PseudonymisationKey.BYTES])), "E09000001", "2015-06");
            ResearchRecord here = derived(row());
            ResearchRecord there = ((ResearchVariableDeriver.Derived) other.derive(2, row()::get)).research();
            assertThat(there.familyPseudoId()).as("F1 of another council is another family")
                    .isNotEqualTo(here.familyPseudoId());
            assertThat(there.pseudoId()).isEqualTo(here.pseudoId());
        }
    }

    @Test
    void familySizeIsTheNumberOfMembersOfTheFamilyAcceptedFromTheFile() {
        DataSource ds = TestDatabases.h2();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        Clock clock = Clock.fixed(Instant.parse("2026-11-01T10:00:00Z"), ZoneOffset.UTC);
        InboundLedger ledger = TestLedgers.councils(jdbc, tx, clock);
        String intake = TestLedgers.claimBatch(ledger, COUNCIL, "E10000012_2015-06_01.csv.gpg", "e".repeat(64), 1,
                "2015-06");
        ResearchStoreWriter writer = new ResearchStoreWriter(jdbc, tx, intake);
        String[][] people = {{"P1", "F1", "Ada"}, {"P2", "F1", "Ben"}, {"P3", "F1", "Cy"}, {"P4", "F2", "Dee"}};
        long rowNumber = 2;
        for (String[] person : people) {
            ResearchVariableDeriver.Derivation derivation = deriver.derive(rowNumber++,
                    row("person_ref", person[0], "family_ref", person[1], "forename", person[2])::get);
            writer.add(((ResearchVariableDeriver.Derived) derivation).research(), new byte[] {1});
        }
        writer.computeFamilySizes();
        TestLedgers.complete(ledger, tx, intake, COUNCIL, InboundStatus.ACCEPTED, 4, 4);

        assertThat(jdbc.queryForList("select family_size from research_person where intake_id = ? order by row_number",
                Integer.class, intake)).containsExactly(3, 3, 3, 1);
    }
}
