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
    private final ReturnIdentifierGuard guard = new ReturnIdentifierGuard(
            t -> t.equals(TOKEN) ? Optional.of(TestIdentities.person()) : Optional.empty());

    private List<GuardFinding> row(String... values) {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            labels.add("c" + i);
        }
        return guard.checkRow(2, labels, Arrays.asList(values), TOKEN);
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
                        assertThat(f.row()).isEqualTo(1);
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
                    .containsExactly(new GuardFinding(1, "#1", IDENTIFIER_VALUE));
        }
    }

    @Nested
    class Shapes {

        @Test
        void identifiersAreFoundInAnyColumnWithoutEchoingThem() {
            List<GuardFinding> findings = guard.checkRow(7, List.of("notes", "ref", "a", "b", "c"),
                    List.of(TestIdentities.NINO, TestIdentities.NHS_NUMBER, TestIdentities.UPN,
                            TestIdentities.OTHER_POSTCODE, "ok"), null);
            assertThat(findings).containsExactly(new GuardFinding(7, "notes", IDENTIFIER_VALUE),
                    new GuardFinding(7, "ref", IDENTIFIER_VALUE), new GuardFinding(7, "a", IDENTIFIER_VALUE),
                    new GuardFinding(7, "b", IDENTIFIER_VALUE));
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
    }

    @Nested
    class ThePersonsOwn {

        @ParameterizedTest
        @ValueSource(strings = {"Quarkworth", "QUARKWORTH", "quark-worth", "Testina", "Miss Testina",
            "Testina Quarkworth", "2009-04-17", "17/04/2009", "20090417", "2009-04-17T00:00:00", "ze99zz",
            "1 Imaginary Lane", "1, IMAGINARY LANE"})
        void identifiersAreRefused(String value) {
            assertThat(row("ok", value)).containsExactly(new GuardFinding(2, "c1", IDENTIFIER_VALUE));
        }

        @ParameterizedTest
        @ValueSource(strings = {"Ottersby", "2011-12-01", "Quark", "2009-04-18", "Imaginary"})
        void someoneElsesDoNotCount(String value) {
            assertThat(row(value)).isEmpty();
        }

        @Test
        void anUnknownTokenHasNoIdentityToCompare() {
            assertThat(guard.checkRow(2, List.of("a"), List.of(TestIdentities.SURNAME), TestIdentities.hex64("x")))
                    .isEmpty();
        }
    }
}
