package org.linkgate.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.linkgate.validation.CouncilBatchFixture.csv;
import static org.linkgate.validation.CouncilBatchFixture.reader;
import static org.linkgate.validation.CouncilBatchFixture.validRow;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RowValidatorTest {

    private final RowValidator validator = new RowValidator(CouncilBatchFixture.SCHEMA, CouncilBatchFixture.CLOCK);

    private List<RowProblem> validate(List<Map<String, String>> rows) throws IOException {
        List<RowProblem> problems = new ArrayList<>();
        try (CsvBatchReader reader = reader(csv(rows))) {
            assertThat(reader.header().isAcceptable()).isTrue();
            for (Optional<CsvRow> row = reader.next(); row.isPresent(); row = reader.next()) {
                problems.addAll(validator.validate(row.get()));
            }
        }
        return problems;
    }

    private List<RowProblem> validateSecondRowWith(String column, String value) throws IOException {
        Map<String, String> bad = validRow("P-2");
        bad.put(column, value);
        return validate(List.of(validRow("P-1"), bad));
    }

    @Nested
    class ValidRows {

        @Test
        void syntheticRowsPass() throws IOException {
            Map<String, String> minimal = validRow("P-2");
            for (String optional : List.of("middle_names", "address_line_1", "town", "nino", "nhs_number", "upn")) {
                minimal.put(optional, "");
            }
            Map<String, String> variant = validRow("P-3");
            variant.put("forename", "Zoë Anne-Marie");
            variant.put("surname", "O'Testington");
            variant.put("sex", "U");
            variant.put("cohort", "comparison");
            variant.put("postcode", " SW1A 1AA ");
            variant.put("upn", SyntheticIds.upn("80120000100A"));
            variant.put("nhs_number", SyntheticIds.nhsNumber("999000001"));
            variant.put("date_of_birth", "1900-01-01");
            variant.put("date_identified", "2015-07-01");

            assertThat(validate(List.of(validRow("P-1"), minimal, variant))).isEmpty();
        }
    }

    @Nested
    class FailingRules {

        @ParameterizedTest(name = "{0}={1} -> {2}")
        @CsvSource(delimiter = '|', value = {
                "forename|Test3r|letters_spaces_apostrophe_hyphen",
                "surname|--|letters_spaces_apostrophe_hyphen",
                "date_of_birth|01/04/2008|iso_date",
                "date_of_birth|2015-02-30|iso_date",
                "date_of_birth|2015-07-02|not_in_future",
                "date_of_birth|1899-12-31|not_before",
                "sex|X|one_of",
                "postcode|CM1 1CH|uk_postcode",
                "nino|QQ 12 34 56 C|nino",
                "nhs_number|9434765918|nhs_number",
                "upn|A801200001001|upn",
                "cohort|CONTROL|one_of",
                "date_identified|2016-01-01|not_in_future",
                "crime_asb|2|flag",
                "education|yes|flag",
                "children_in_need|true|flag",
                "worklessness|01|flag",
                "domestic_abuse|-1|flag",
                "health|1.0|flag"})
        void eachRuleIsReportedWithRowColumnAndName(String column, String value, String rule) throws IOException {
            if (column.equals("upn") && UniquePupilNumber.isValid(value)) {
                throw new AssertionError("fixture UPN unexpectedly valid");
            }
            // A too-long value may also be max_length; nothing else may be reported.
            assertThat(validateSecondRowWith(column, value))
                    .contains(new RowProblem(3, column, rule))
                    .allMatch(p -> p.row() == 3 && p.column().equals(column)
                            && (p.rule().equals(rule) || p.rule().equals("max_length")));
        }

        @ParameterizedTest
        @CsvSource({"person_ref", "family_ref", "forename", "surname", "date_of_birth", "sex", "postcode", "cohort",
                "date_identified", "crime_asb", "education", "children_in_need", "worklessness", "domestic_abuse",
                "health"})
        void missingMandatoryValueIsRequired(String column) throws IOException {
            assertThat(validateSecondRowWith(column, "   ")).containsExactly(new RowProblem(3, column, "required"));
        }

        @Test
        void tooLongIsMaxLength() throws IOException {
            assertThat(validateSecondRowWith("family_ref", "F".repeat(65)))
                    .containsExactly(new RowProblem(3, "family_ref", "max_length"));
        }

        @Test
        void everyBrokenRuleIsReported() throws IOException {
            Map<String, String> bad = validRow("P-2");
            bad.put("sex", "Q");
            bad.put("health", "7");
            bad.put("surname", "");
            bad.put("forename", "T".repeat(101));
            assertThat(validate(List.of(bad))).containsExactly(
                    new RowProblem(2, "forename", "max_length"),
                    new RowProblem(2, "surname", "required"),
                    new RowProblem(2, "sex", "one_of"),
                    new RowProblem(2, "health", "flag"));
        }

        @Test
        void notInFutureUsesTheClocksZone() throws IOException {
            // 2015-07-01T23:30Z is already 2 July in London.
            RowValidator lateEvening = new RowValidator(CouncilBatchFixture.SCHEMA, java.time.Clock.fixed(
                    java.time.Instant.parse("2015-07-01T23:30:00Z"), java.time.ZoneId.of("Europe/London")));
            Map<String, String> row = validRow("P-1");
            row.put("date_identified", "2015-07-02");
            try (CsvBatchReader reader = reader(csv(List.of(row)))) {
                reader.header();
                assertThat(lateEvening.validate(reader.next().orElseThrow())).isEmpty();
            }
        }

        @Test
        void wrongFieldCountIsTheOnlyProblemForThatRow() throws IOException {
            String text = String.join(",", CouncilBatchFixture.SCHEMA.columnNames()) + "\nP-1,F-1,Testy\n";
            try (CsvBatchReader reader = reader(text)) {
                reader.header();
                assertThat(validator.validate(reader.next().orElseThrow()))
                        .containsExactly(RowProblem.wholeRow(2, "field_count"));
            }
        }

        @Test
        void uniqueIsLeftToTheCaller() throws IOException {
            assertThat(validate(List.of(validRow("P-1"), validRow("P-1")))).isEmpty();
            assertThat(CouncilBatchFixture.SCHEMA.uniqueColumns()).containsExactly("person_ref");
        }
    }

    @Nested
    class NoPersonalDataInOutput {

        private static final String FORENAME = "Xylophonia";
        private static final String SURNAME = "Quackenbushwell";
        private static final String POSTCODE_LIKE = "QQ9Z 9ZZ";

        @Test
        void problemsNeverContainValues() throws IOException {
            Map<String, String> row = validRow("P-SECRET-777");
            row.put("forename", FORENAME + "9");
            row.put("surname", SURNAME + "!");
            row.put("postcode", POSTCODE_LIKE);
            row.put("nino", "ZZ 99 99 99 Z");
            row.put("sex", "Xylo");
            List<RowProblem> problems = validate(List.of(row));

            assertThat(problems).extracting(RowProblem::column)
                    .contains("forename", "surname", "postcode", "nino", "sex");
            assertThat(problems.toString()).doesNotContain(FORENAME, SURNAME, POSTCODE_LIKE, "ZZ 99", "SECRET", "Xylo");
        }

        @Test
        void rowToStringHidesValues() throws IOException {
            Map<String, String> row = validRow("P-1");
            row.put("forename", FORENAME);
            try (CsvBatchReader reader = reader(csv(List.of(row)))) {
                reader.header();
                assertThat(reader.next().orElseThrow().toString()).doesNotContain(FORENAME).contains("row=2");
            }
        }

        @Test
        void malformedBatchMessagesNeverContainValues() {
            String header = String.join(",", CouncilBatchFixture.SCHEMA.columnNames()) + "\n";
            List<byte[]> hostile = List.of(
                    (header + "P-1,\"" + FORENAME + " unterminated").getBytes(StandardCharsets.UTF_8),
                    (header + "P-1,\"" + FORENAME + "\"" + SURNAME + ",x\n").getBytes(StandardCharsets.UTF_8),
                    (header + "P-1," + FORENAME.repeat(1000) + "\n").getBytes(StandardCharsets.UTF_8),
                    (header + (FORENAME + ",").repeat(100) + "\n").getBytes(StandardCharsets.UTF_8),
                    latin1(header + "P-1," + FORENAME + "é" + SURNAME + "\n"));
            for (byte[] bytes : hostile) {
                Throwable thrown = readAndCatch(bytes);
                assertThat(thrown).isInstanceOf(MalformedBatchException.class);
                for (Throwable t = thrown; t != null; t = t.getCause()) {
                    assertThat(String.valueOf(t.getMessage())).doesNotContain(FORENAME, SURNAME);
                    assertThat(t.toString()).doesNotContain(FORENAME, SURNAME);
                }
            }
        }

        private byte[] latin1(String text) {
            return text.getBytes(StandardCharsets.ISO_8859_1);
        }

        private Throwable readAndCatch(byte[] bytes) {
            try (CsvBatchReader reader = new CsvBatchReader(new ByteArrayInputStream(bytes), CouncilBatchFixture.SCHEMA)) {
                reader.header();
                while (reader.next().isPresent()) {
                    // read to the end or the first failure
                }
                return null;
            } catch (IOException | RuntimeException e) {
                return e;
            }
        }
    }
}
