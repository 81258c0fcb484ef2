package org.linkgate.returns;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.linkgate.validation.MalformedBatchException;

/**
 * Takes exactly the header record off the front of a CSV stream (optional UTF-8 BOM, RFC 4180,
 * ending at the first line feed outside quotes) and leaves the stream at the first data byte, so
 * the raw column names can be checked before the rows are read under names of the gateway's
 * choosing. Bounded: a header longer than {@code maxBytes} is {@code record_too_long}.
 */
final class HeaderLine {

    /** The same dialect as {@code CsvBatchReader}. */
    static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setIgnoreEmptyLines(false).setIgnoreSurroundingSpaces(false).setTrim(false)
            .setEscape(null).setQuote('"').setDelimiter(',').get();

    private HeaderLine() {
    }

    /**
     * The raw header cells, or empty for an empty stream or a blank first line.
     *
     * @throws MalformedBatchException {@code record_too_long}, {@code not_utf8},
     *                                 {@code unterminated_quote} or {@code malformed_quote}, row 1
     */
    static Optional<List<String>> read(InputStream in, int maxBytes) throws IOException {
        byte[] buffer = new byte[Math.min(maxBytes, 4096)];
        int length = 0;
        boolean quoted = false;
        boolean any = false;
        int b;
        while ((b = in.read()) >= 0) {
            any = true;
            if (b == '"') {
                quoted = !quoted;
            } else if (b == '\n' && !quoted) {
                break;
            }
            if (length == maxBytes) {
                throw new MalformedBatchException(MalformedBatchException.RECORD_TOO_LONG, 1);
            }
            if (length == buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, Math.min(maxBytes, buffer.length * 2));
            }
            buffer[length++] = (byte) b;
        }
        if (!any) {
            return Optional.empty();
        }
        if (quoted) {
            throw new MalformedBatchException(MalformedBatchException.UNTERMINATED_QUOTE, 1);
        }
        int start = length >= 3 && (buffer[0] & 0xff) == 0xEF && (buffer[1] & 0xff) == 0xBB
                && (buffer[2] & 0xff) == 0xBF ? 3 : 0;
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buffer, start, length - start)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedBatchException(MalformedBatchException.NOT_UTF8, 1);
        }
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try (CSVParser parser = CSVParser.builder().setReader(new StringReader(text)).setFormat(FORMAT).get()) {
            List<CSVRecord> records = parser.getRecords();
            if (records.size() != 1) {
                throw new MalformedBatchException(MalformedBatchException.MALFORMED_QUOTE, 1);
            }
            List<String> cells = new ArrayList<>(records.get(0).size());
            records.get(0).forEach(cells::add);
            return Optional.of(cells);
        } catch (java.io.UncheckedIOException | IllegalStateException e) {
            // commons-csv messages may quote the input; keep neither message nor cause.
            throw new MalformedBatchException(MalformedBatchException.MALFORMED_QUOTE, 1);
        }
    }
}
