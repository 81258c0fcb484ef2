package org.linkgate.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.linkgate.validation.CouncilBatchFixture.csv;
import static org.linkgate.validation.CouncilBatchFixture.reader;
import static org.linkgate.validation.CouncilBatchFixture.validRow;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CsvBatchReaderTest {

    private static final String HEADER = String.join(",", CouncilBatchFixture.SCHEMA.columnNames());

    private static List<CsvRow> readAll(CsvBatchReader reader) throws IOException {
        assertThat(reader.header().problems()).isEmpty();
        List<CsvRow> rows = new ArrayList<>();
        for (Optional<CsvRow> row = reader.next(); row.isPresent(); row = reader.next()) {
            rows.add(row.get());
        }
        return rows;
    }

    private static List<CsvRow> readAll(String text) throws IOException {
        try (CsvBatchReader reader = reader(text)) {
            return readAll(reader);
        }
    }

    private static MalformedBatchException readExpectingFailure(InputStream in, CsvLimits limits) {
        try (CsvBatchReader reader = new CsvBatchReader(in, CouncilBatchFixture.SCHEMA, limits)) {
            while (reader.next().isPresent()) {
                // keep reading until the reader rejects the file
            }
        } catch (MalformedBatchException e) {
            return e;
        } catch (IOException e) {
            throw new AssertionError("unexpected I/O failure", e);
        }
        throw new AssertionError("expected the batch to be rejected");
    }

    private static MalformedBatchException readExpectingFailure(byte[] bytes) {
        return readExpectingFailure(new ByteArrayInputStream(bytes), CsvLimits.DEFAULTS);
    }

    /** A data row in schema order with the given cell for one column. */
    private static String rowWith(String column, String rawCell) {
        Map<String, String> row = validRow("P-1");
        List<String> cells = new ArrayList<>();
        row.forEach((name, value) -> cells.add(name.equals(column) ? rawCell : CouncilBatchFixture.quote(value)));
        return String.join(",", cells);
    }

    @Nested
    class Headers {

        @Test
        void acceptsColumnsInAnyOrder() throws IOException {
            Map<String, String> original = validRow("P-1");
            List<String> names = new ArrayList<>(original.keySet());
            Collections.reverse(names);
            Map<String, String> reversed = new LinkedHashMap<>();
            names.forEach(n -> reversed.put(n, original.get(n)));

            List<CsvRow> rows = readAll(csv(List.of(reversed)));

            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).value("person_ref")).contains("P-1");
            assertThat(rows.get(0).value("health")).contains("1");
            assertThat(rows.get(0).value("forename")).contains("Testy");
        }

        @Test
        void matchesNamesIgnoringCaseAndSurroundingSpaces() throws IOException {
            String text = HEADER.replace("person_ref", " Person_Ref ") + "\n" + rowWith("sex", "F") + "\n";
            assertThat(readAll(text).get(0).value("person_ref")).contains("P-1");
        }

        @Test
        void optionalColumnsMayBeAbsent() throws IOException {
            Map<String, String> row = validRow("P-1");
            row.remove("nino");
            row.remove("middle_names");
            CsvRow read = readAll(csv(List.of(row))).get(0);
            assertThat(read.value("nino")).isEmpty();
            assertThat(read.value("middle_names")).isEmpty();
        }

        @Test
        void reportsMissingRequiredColumnByName() throws IOException {
            Map<String, String> row = validRow("P-1");
            row.remove("date_of_birth");
            row.remove("health");
            try (CsvBatchReader reader = reader(csv(List.of(row)))) {
                HeaderCheck check = reader.header();
                assertThat(check.isAcceptable()).isFalse();
                assertThat(check.problems()).containsExactly(
                        new HeaderProblem("missing_column", "date_of_birth", 0),
                        new HeaderProblem("missing_column", "health", 0));
                assertThatThrownBy(reader::next).isInstanceOf(MalformedBatchException.class)
                        .hasFieldOrPropertyWithValue("rule", "missing_column");
            }
        }

        @Test
        void reportsUnknownColumnByPositionOnly() throws IOException {
            String text = HEADER + ",Zanzibarella\n" + rowWith("sex", "F") + ",x\n";
            try (CsvBatchReader reader = reader(text)) {
                HeaderCheck check = reader.header();
                assertThat(check.problems()).containsExactly(new HeaderProblem("unknown_column", null, 23));
                assertThat(check.toString()).doesNotContain("Zanzibarella");
            }
        }

        @Test
        void reportsDuplicateAndEmptyColumns() throws IOException {
            String text = HEADER + ",sex,\n";
            try (CsvBatchReader reader = reader(text)) {
                assertThat(reader.header().problems()).containsExactly(
                        new HeaderProblem("duplicate_column", "sex", 23),
                        new HeaderProblem("empty_header", null, 24));
            }
        }

        @Test
        void emptyStreamHasNoHeader() throws IOException {
            for (String text : List.of("", "\uFEFF", "\n")) {
                try (CsvBatchReader reader = reader(text)) {
                    assertThat(reader.header().problems()).extracting(HeaderProblem::rule).containsExactly("no_header");
                    assertThatThrownBy(reader::next).isInstanceOf(MalformedBatchException.class)
                            .hasFieldOrPropertyWithValue("rule", "no_header");
                }
            }
        }

        @Test
        void headerOnlyHasNoRows() throws IOException {
            assertThat(readAll(HEADER + "\r\n")).isEmpty();
            assertThat(readAll(HEADER)).isEmpty();
        }

        @Test
        void aFileWithoutHeaderDoesNotEchoItsFirstRow() throws IOException {
            try (CsvBatchReader reader = reader(rowWith("forename", "Quixotella") + "\n")) {
                HeaderCheck check = reader.header();
                assertThat(check.isAcceptable()).isFalse();
                assertThat(check.toString()).doesNotContain("Quixotella").doesNotContain("McTestface");
            }
        }
    }

    @Nested
    class Encoding {

        @Test
        void skipsUtf8Bom() throws IOException {
            List<CsvRow> rows = readAll("\uFEFF" + HEADER + "\n" + rowWith("sex", "F") + "\n");
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).value("person_ref")).contains("P-1");
        }

        @Test
        void readsNonAsciiLettersAndSupplementaryCharacters() throws IOException {
            CsvRow row = readAll(HEADER + "\n" + rowWith("forename", "Zoë-Siân") + "\n"
                    + rowWith("forename", "Te\uD83D\uDE00sty") + "\n").get(0);
            assertThat(row.value("forename")).contains("Zoë-Siân");
        }

        @Test
        void rejectsInvalidUtf8NamingTheRow() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.write((HEADER + "\n" + rowWith("sex", "F") + "\n").getBytes(StandardCharsets.UTF_8));
            bytes.write(rowWith("forename", "Jos").getBytes(StandardCharsets.UTF_8));
            bytes.write(new byte[] {(byte) 0xE9, 'x'}); // Latin-1 é: not UTF-8
            bytes.write("\n".getBytes(StandardCharsets.UTF_8));

            MalformedBatchException e = readExpectingFailure(bytes.toByteArray());

            assertThat(e.rule()).isEqualTo("not_utf8");
            assertThat(e.row()).isEqualTo(3);
        }

        @Test
        void rejectsTruncatedSequenceAtEnd() {
            byte[] text = (HEADER + "\n" + rowWith("sex", "F")).getBytes(StandardCharsets.UTF_8);
            byte[] bytes = java.util.Arrays.copyOf(text, text.length + 1);
            bytes[text.length] = (byte) 0xC3;
            assertThat(readExpectingFailure(bytes).rule()).isEqualTo("not_utf8");
        }
    }

    @Nested
    class Structure {

        @Test
        void crlfAndLfGiveTheSameRows() throws IOException {
            String lf = HEADER + "\n" + rowWith("sex", "F") + "\n" + rowWith("sex", "U") + "\n";
            List<CsvRow> fromLf = readAll(lf);
            List<CsvRow> fromCrlf = readAll(lf.replace("\n", "\r\n"));
            assertThat(fromCrlf).hasSameSizeAs(fromLf);
            for (int i = 0; i < fromLf.size(); i++) {
                assertThat(fromCrlf.get(i).rowNumber()).isEqualTo(fromLf.get(i).rowNumber());
                for (String column : CouncilBatchFixture.SCHEMA.columnNames()) {
                    assertThat(fromCrlf.get(i).value(column)).isEqualTo(fromLf.get(i).value(column));
                }
            }
        }

        @Test
        void quotedFieldsKeepCommasNewlinesAndQuotes() throws IOException {
            String text = HEADER + "\n"
                    + rowWith("address_line_1", "\"Flat 2, \"\"The Test\"\"\nBuilding\"") + "\r\n"
                    + rowWith("person_ref", "P-2") + "\n";
            List<CsvRow> rows = readAll(text);
            assertThat(rows.get(0).value("address_line_1")).contains("Flat 2, \"The Test\"\nBuilding");
            assertThat(rows.get(0).rowNumber()).isEqualTo(2);
            assertThat(rows.get(1).rowNumber()).as("a record spanning lines is one row").isEqualTo(3);
        }

        @Test
        void valuesAreStrippedAndBlankIsAbsent() throws IOException {
            CsvRow row = readAll(HEADER + "\n" + rowWith("town", "  Testville  ").replace(",Quentin Example,", ",   ,")
                    + "\n").get(0);
            assertThat(row.value("town")).contains("Testville");
            assertThat(row.value("middle_names")).isEmpty();
            assertThat(row.value("address_line_2")).isEmpty();
        }

        @Test
        void unknownColumnNameIsAProgrammingError() throws IOException {
            CsvRow row = readAll(HEADER + "\n" + rowWith("sex", "F") + "\n").get(0);
            assertThatThrownBy(() -> row.value("shoe_size")).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void wrongFieldCountIsARowProblemNotACrash() throws IOException {
            String text = HEADER + "\n" + rowWith("sex", "F") + ",extra\n" + "P-3,F-3\n" + rowWith("sex", "M") + "\n";
            List<CsvRow> rows = readAll(text);
            assertThat(rows).extracting(CsvRow::rowNumber).containsExactly(2L, 3L, 4L);
            assertThat(rows).extracting(CsvRow::hasExpectedFieldCount).containsExactly(false, false, true);
            assertThat(rows.get(1).fieldCount()).isEqualTo(2);
        }

        @Test
        void blankLinesAreSkippedButCounted() throws IOException {
            String text = HEADER + "\n" + rowWith("sex", "F") + "\n\n" + rowWith("sex", "M") + "\n\n";
            assertThat(readAll(text)).extracting(CsvRow::rowNumber).containsExactly(2L, 4L);
        }

        @Test
        void unterminatedQuoteIsRejectedWithItsRow() {
            String text = HEADER + "\n" + rowWith("sex", "F") + "\n" + rowWith("town", "\"Unclosed Testville") + "\n"
                    + rowWith("sex", "M") + "\n";
            MalformedBatchException e = readExpectingFailure(text.getBytes(StandardCharsets.UTF_8));
            assertThat(e.rule()).isEqualTo("unterminated_quote");
            assertThat(e.row()).isEqualTo(3);
        }

        @Test
        void textAfterClosingQuoteIsRejected() {
            String text = HEADER + "\n" + rowWith("sex", "F") + "\n" + rowWith("town", "\"Testville\"x") + "\n";
            MalformedBatchException e = readExpectingFailure(text.getBytes(StandardCharsets.UTF_8));
            assertThat(e.rule()).isEqualTo("malformed_quote");
            assertThat(e.row()).isEqualTo(3);
        }

        @Test
        void failureIsStickyAcrossCalls() throws IOException {
            String text = HEADER + "\n" + rowWith("town", "\"Unclosed") + "\n";
            try (CsvBatchReader reader = reader(text)) {
                reader.header();
                assertThatThrownBy(reader::next).isInstanceOf(MalformedBatchException.class);
                assertThatThrownBy(reader::next).isInstanceOf(MalformedBatchException.class)
                        .hasFieldOrPropertyWithValue("rule", "unterminated_quote");
            }
        }
    }

    @Nested
    class Limits {

        @Test
        void tenMegabyteFieldIsRejectedAfterReadingOnlyALittle() {
            byte[] prefix = (HEADER + "\n" + rowWith("sex", "F") + "\nP-2,\"").getBytes(StandardCharsets.UTF_8);
            CountingRepeatingStream body = new CountingRepeatingStream((byte) 'x', 10L * 1024 * 1024);
            InputStream in = new SequenceInputStream(new ByteArrayInputStream(prefix), body);

            MalformedBatchException e = readExpectingFailure(in, CsvLimits.DEFAULTS);

            assertThat(e.rule()).isEqualTo("record_too_long");
            assertThat(e.row()).isEqualTo(3);
            assertThat(body.served()).as("bytes pulled from the stream").isLessThan(64 * 1024);
        }

        @Test
        void tenMegabyteUnquotedFieldIsRejectedToo() {
            byte[] prefix = (HEADER + "\n").getBytes(StandardCharsets.UTF_8);
            CountingRepeatingStream body = new CountingRepeatingStream((byte) 'y', 10L * 1024 * 1024);
            MalformedBatchException e = readExpectingFailure(
                    new SequenceInputStream(new ByteArrayInputStream(prefix), body), CsvLimits.DEFAULTS);
            assertThat(e.rule()).isEqualTo("record_too_long");
            assertThat(e.row()).isEqualTo(2);
            assertThat(body.served()).isLessThan(64 * 1024);
        }

        @Test
        void recordOfManyModestFieldsIsCapped() {
            CsvLimits limits = new CsvLimits(100, 300, 64);
            String text = HEADER + "\n" + rowWith("address_line_1", "a".repeat(90)).replace(",Testville,",
                    "," + "t".repeat(90) + ",").replace(",Quentin Example,", "," + "q".repeat(90) + ",") + "\n";
            MalformedBatchException e = readExpectingFailure(
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), limits);
            assertThat(e.rule()).isEqualTo("record_too_long");
            assertThat(e.row()).isEqualTo(2);
        }

        @Test
        void tooManyColumnsIsRejected() {
            String text = HEADER + "\n" + ",".repeat(100) + "\n";
            MalformedBatchException e = readExpectingFailure(text.getBytes(StandardCharsets.UTF_8));
            assertThat(e.rule()).isEqualTo("too_many_columns");
            assertThat(e.row()).isEqualTo(2);
        }

        @Test
        void fieldAtTheLimitIsAccepted() throws IOException {
            CsvLimits limits = new CsvLimits(4096, 65_536, 64);
            String text = HEADER + "\n" + rowWith("address_line_1", "b".repeat(4096)) + "\n";
            try (CsvBatchReader reader = new CsvBatchReader(CouncilBatchFixture.utf8(text),
                    CouncilBatchFixture.SCHEMA, limits)) {
                assertThat(readAll(reader)).hasSize(1);
            }
        }

        @Test
        void limitsMustBeConsistent() {
            assertThatThrownBy(() -> new CsvLimits(100, 50, 10)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new CsvLimits(0, 50, 10)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** Serves {@code count} copies of one byte without holding them, counting what was read. */
    static final class CountingRepeatingStream extends InputStream {
        private final byte value;
        private long remaining;
        private long served;

        CountingRepeatingStream(byte value, long count) {
            this.value = value;
            this.remaining = count;
        }

        long served() {
            return served;
        }

        @Override
        public int read() {
            if (remaining == 0) {
                return -1;
            }
            remaining--;
            served++;
            return value;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            java.util.Arrays.fill(b, off, off + n, value);
            remaining -= n;
            served += n;
            return n;
        }
    }
}
