package org.linkgate.returns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.linkgate.returns.GuardFinding.IDENTIFIER_COLUMN;
import static org.linkgate.returns.GuardFinding.IDENTIFIER_VALUE;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.linkgate.validation.DatasetSchemaLoader;

class ReturnIdentifierGuardTest {

    private static final String TOKEN = TestIdentities.hex64("token-1");
    /** A department sent everything it could match on: names, date of birth, address, postcode. */
    private static final List<String> SENT_ALL = List.of("forename", "surname", "date_of_birth", "sex",
            "address_line_1", "postcode");
    private final ReturnIdentifierGuard guard = guard(SENT_ALL);

    private static ReturnIdentifierGuard guard(List<String> sent) {
        return new ReturnIdentifierGuard(t -> t.equals(TOKEN) ? Optional.of(TestIdentities.person()) : Optional.empty(),
                sent);
    }

    private List<GuardFinding> row(String... values) {
        return row(guard, values);
    }

    private static List<GuardFinding> row(ReturnIdentifierGuard guard, String... values) {
        List<String> labels = new ArrayList<>();
        List<Boolean> integers = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            labels.add("c" + i);
            integers.add(false);
        }
        return guard.checkRow(labels, Arrays.asList(values), integers, TOKEN);
    }

    @Nested
    class Columns {

        @ParameterizedTest
        @ValueSource(strings = {"surname", "Surname", " SURNAME ", "forename", "First Name", "firstName", "given_name",
            "last_name", "family-name", "name", "Full Name", "middle_names", "initials", "DOB", "date_of_birth",
            "DateOfBirth", "birth date", "address", "Address Line 1", "address_line_2", "street", "town",
            "postcode", "Post Code", "zip", "nino", "NI Number", "national_insurance_number", "NHS Number",
            "nhs_no", "upn", "Unique Pupil Number", "child_surname", "mother_dob", "home_address"})
        void identifierNamesAndAliasesAreRefused(String header) {
            assertThat(guard.checkHeader(List.of("pseudo_id", header)))
                    .singleElement().satisfies(f -> {
                        assertThat(f.rule()).isEqualTo(IDENTIFIER_COLUMN);
                    });
        }

        @ParameterizedTest
        @ValueSource(strings = {"pseudo_id", "notes", "ref", "benefit_type", "spell_start", "school_name",
            "academic_year", "admission_date", "offence_group", "surname_count_x"})
        void administrativeNamesPass(String header) {
            assertThat(guard.checkHeader(List.of(header))).isEmpty();
        }

        @Test
        void noReturnSchemaDeclaresAnIdentifierColumn() {
            for (String schema : List.of("dwp-wpls-v1", "hmrc-paye-v1", "moj-pnc-v1", "moj-prisons-v1", "dfe-npd-v1",
                    "bis-ilr-v1", "hscic-hes-v1", "hscic-mhmds-v1", "hscic-iapt-v1", "hscic-mcds-v1", "phe-ndtms-v1")) {
                List<String> names = DatasetSchemaLoader.loadClasspath("schemas/returns/" + schema + ".yaml").columnNames();
                assertThat(names).first().isEqualTo("pseudo_id");
                assertThat(guard.checkHeader(names)).as(schema).isEmpty();
            }
        }

        @Test
        void aHeaderCellShapedLikeAnIdentifierIsAValue() {
            assertThat(guard.checkHeader(List.of(TestIdentities.NINO, "x")))
                    .containsExactly(new GuardFinding("#1", IDENTIFIER_VALUE));
        }
    }

    @Nested
    class Shapes {

        @Test
        void identifiersAreFoundInAnyColumnWithoutEchoingThem() {
            List<GuardFinding> findings = guard.checkRow(List.of("notes", "ref", "a", "b", "c"),
                    List.of(TestIdentities.NINO, TestIdentities.NHS_NUMBER, TestIdentities.UPN,
                            TestIdentities.OTHER_POSTCODE, "ok"), List.of(false, false, false, false, false), null);
            assertThat(findings).containsExactly(new GuardFinding("notes", IDENTIFIER_VALUE),
                    new GuardFinding("ref", IDENTIFIER_VALUE), new GuardFinding("a", IDENTIFIER_VALUE),
                    new GuardFinding("b", IDENTIFIER_VALUE));
            assertThat(findings.toString()).doesNotContain(TestIdentities.NINO, TestIdentities.NHS_NUMBER,
                    TestIdentities.UPN, TestIdentities.OTHER_POSTCODE);
        }

        @Test
        void spacingAndCaseDoNotHideThem() {
            for (String value : List.of("zx 12 34 56 b", TestIdentities.NHS_NUMBER.replace(" ", ""),
                    TestIdentities.NHS_NUMBER.replace(" ", "-"), "sw1a1aa", TestIdentities.UPN.toLowerCase())) {
                assertThat(row(value)).as("a value of identifier shape").hasSize(1);
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"1234567890", "JSA", "2015-16", "12", "SW1A", "ELECTIVE", "0", "2015-06-01"})
        void administrativeValuesPass(String value) {
            assertThat(row(value)).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"Lives at SW1A 1AA", "NHS 943 476 5919", "ni: zx 12 34 56 b", "mail jo@example.org",
            "moved to sw1a1aa last year"})
        void identifiersInsideTextAreFound(String value) {
            assertThat(row(value)).containsExactly(new GuardFinding("c0", IDENTIFIER_VALUE));
        }

        @Test
        void aTenDigitCountInAnIntegerColumnIsNotAnNhsNumber() {
            // 9434765919 passes the NHS check digit; in a column declared integer it is the department's number.
            assertThat(guard.checkRow(List.of("count", "ref"), List.of("9434765919", "9434765919"),
                    List.of(true, false), null)).containsExactly(new GuardFinding("ref", IDENTIFIER_VALUE));
        }
    }

    @Nested
    class ThePersonsOwn {

        @ParameterizedTest
        @ValueSource(strings = {"Quarkworth", "QUARKWORTH", "quark-worth", "Testina", "Miss Testina",
            "Testina Quarkworth", "2009-04-17", "17/04/2009", "20090417", "2009-04-17T00:00:00", "ze99zz",
            "1 Imaginary Lane", "1, IMAGINARY LANE"})
        void identifiersAreRefused(String value) {
            assertThat(row("ok", value)).containsExactly(new GuardFinding("c1", IDENTIFIER_VALUE));
        }

        @ParameterizedTest
        @ValueSource(strings = {"Ottersby", "2011-12-01", "Quark", "2009-04-18", "Imaginary"})
        void someoneElsesDoNotCount(String value) {
            assertThat(row(value)).isEmpty();
        }

        @Test
        void anUnknownTokenHasNoIdentityToCompare() {
            assertThat(guard.checkRow(List.of("a"), List.of(TestIdentities.SURNAME), List.of(false),
                    TestIdentities.hex64("x"))).isEmpty();
        }
    }

    /**
     * The guard as an oracle, attacked: PHE is sent initials, date of birth and sex only. Were its
     * returns compared with the whole identity, a refused return would confirm a guess at the
     * person's surname or address; compared with what it was sent, guesses at the rest teach it
     * nothing, and what it was sent is still refused.
     */
    @Nested
    class OnlyWhatTheDepartmentWasSent {

        private final ReturnIdentifierGuard phe = guard(List.of("initials", "date_of_birth", "sex"));

        @ParameterizedTest
        @ValueSource(strings = {"Quarkworth", "Testina", "Testina Quarkworth", "1 Imaginary Lane"})
        void aGuessAtAFieldNeverSentIsNotConfirmed(String guess) {
            assertThat(row(phe, guess)).isEmpty();
            assertThat(row(guard, guess)).as("the same value from a department that was sent it").hasSize(1);
        }

        @Test
        void aPostcodeNeverSentIsStillRefusedByItsShape() {
            // A full postcode is an identifier whoever sends it: refused by shape, not by comparison.
            assertThat(row(phe, TestIdentities.POSTCODE)).hasSize(1);
        }

        @ParameterizedTest
        @ValueSource(strings = {"2009-04-17", "17/04/2009", "TQ"})
        void whatWasSentIsRefused(String value) {
            assertThat(row(phe, value)).hasSize(1);
        }

        @Test
        void sexIsNeverCompared() {
            assertThat(row(phe, "F")).isEmpty();
        }
    }
}
