package org.linkgate.validation;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Streams a batch as rows of a {@link DatasetSchema}. Input: strict UTF-8 (optional BOM),
 * RFC 4180 with CRLF or LF line ends, a header row naming the columns in any order
 * (matched case-insensitively after stripping spaces). Output: {@link #header()} then one
 * {@link CsvRow} per data record; blank lines are skipped but still counted as rows.
 * Failures: {@link MalformedBatchException} when the file cannot be read as such a CSV;
 * memory stays bounded by {@link CsvLimits}. No exception carries a cell value.
 * Not thread-safe; the reader owns and closes the stream.
 */
public final class CsvBatchReader implements Closeable {

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setIgnoreEmptyLines(false)
            .setIgnoreSurroundingSpaces(false)
            .setTrim(false)
            .setEscape(null)
            .setQuote('"')
            .setDelimiter(',')
            .get();

    private final InputStream stream;
    private final DatasetSchema schema;
    private final CsvLimits limits;
    private final Map<String, Integer> schemaIndex;

    private LimitingCsvReader reader;
    private CSVParser parser;
    private Iterator<CSVRecord> records;
    private HeaderCheck header;
    /** For each header position, the schema column index it feeds, or -1. */
    private int[] headerToSchema;
    private MalformedBatchException failure;

    /** A reader with {@link CsvLimits#DEFAULTS}. */
    public CsvBatchReader(InputStream in, DatasetSchema schema) {
        this(in, schema, CsvLimits.DEFAULTS);
    }

    public CsvBatchReader(InputStream in, DatasetSchema schema, CsvLimits limits) {
        this.stream = Objects.requireNonNull(in, "in");
        this.schema = Objects.requireNonNull(schema, "schema");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.schemaIndex = schema.columnIndex();
    }

    /**
     * Reads (once) and checks the header row: {@code no_header} for an empty stream,
     * {@code empty_header}, {@code unknown_column}, {@code duplicate_column} and
     * {@code missing_column} for a required column that is absent.
     *
     * @throws MalformedBatchException if the header row itself cannot be read
     * @throws IOException             if the underlying stream fails
     */
    public HeaderCheck header() throws IOException {
        if (header == null) {
            header = readHeader();
        }
        return header;
    }

    /**
     * The next data row, or empty at the end of the file.
     *
     * @throws MalformedBatchException if the header is not acceptable (its first problem's
     *                                 rule, row 1) or the file stops being readable CSV;
     *                                 the same exception is thrown again on later calls
     * @throws IOException             if the underlying stream fails
     */
    public Optional<CsvRow> next() throws IOException {
        HeaderCheck check = header();
        if (!check.isAcceptable()) {
            throw new MalformedBatchException(check.problems().get(0).rule(), 1);
        }
        while (true) {
            Optional<CSVRecord> next = nextRecord();
            if (next.isEmpty()) {
                return Optional.empty();
            }
            CSVRecord record = next.get();
            if (isBlank(record) && headerToSchema.length > 1) {
                continue;
            }
            return Optional.of(toRow(record));
        }
    }

    @Override
    public void close() throws IOException {
        if (parser != null) {
            parser.close();
        } else {
            stream.close();
        }
    }

    private HeaderCheck readHeader() throws IOException {
        reader = new LimitingCsvReader(new StrictUtf8Reader(stream), limits);
        parser = CSVParser.builder().setReader(reader).setFormat(FORMAT).get();
        records = parser.iterator();

        Optional<CSVRecord> first = nextRecord();
        if (first.isEmpty() || isBlank(first.get())) {
            headerToSchema = new int[0];
            return new HeaderCheck(List.of(), List.of(new HeaderProblem(HeaderProblem.NO_HEADER, null, 0)));
        }
        CSVRecord names = first.get();
        headerToSchema = new int[names.size()];
        List<HeaderProblem> problems = new ArrayList<>();
        List<String> present = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            int position = i + 1;
            String name = names.get(i).strip().toLowerCase(Locale.ROOT);
            Integer index = schemaIndex.get(name);
            headerToSchema[i] = -1;
            if (name.isEmpty()) {
                problems.add(new HeaderProblem(HeaderProblem.EMPTY_HEADER, null, position));
            } else if (index == null) {
                problems.add(new HeaderProblem(HeaderProblem.UNKNOWN_COLUMN, null, position));
            } else if (!seen.add(name)) {
                problems.add(new HeaderProblem(HeaderProblem.DUPLICATE_COLUMN, name, position));
            } else {
                headerToSchema[i] = index;
                present.add(name);
            }
        }
        for (String required : schema.requiredColumns()) {
            if (!seen.contains(required)) {
                problems.add(new HeaderProblem(HeaderProblem.MISSING_COLUMN, required, 0));
            }
        }
        return new HeaderCheck(present, problems);
    }

    /** Pulls one record, translating parser failures into value-free exceptions. */
    private Optional<CSVRecord> nextRecord() throws IOException {
        if (failure != null) {
            throw failure;
        }
        try {
            return records.hasNext() ? Optional.of(records.next()) : Optional.empty();
        } catch (MalformedBatchException e) {
            failure = e;
        } catch (UncheckedIOException e) {
            IOException cause = e.getCause();
            if (cause instanceof CSVException) {
                // commons-csv messages may quote the input; keep neither message nor cause.
                failure = parseFailure();
            } else {
                throw new IOException("cannot read batch stream", cause);
            }
        } catch (IllegalStateException e) {
            failure = parseFailure();
        }
        throw failure;
    }

    private MalformedBatchException parseFailure() {
        long row = parser.getRecordNumber() + 1;
        String rule = reader.endedInsideQuotes()
                ? MalformedBatchException.UNTERMINATED_QUOTE
                : MalformedBatchException.MALFORMED_QUOTE;
        return new MalformedBatchException(rule, row);
    }

    private CsvRow toRow(CSVRecord record) {
        String[] values = new String[schemaIndex.size()];
        int fields = record.size();
        for (int i = 0; i < Math.min(fields, headerToSchema.length); i++) {
            int index = headerToSchema[i];
            if (index >= 0) {
                String value = record.get(i).strip();
                values[index] = value.isEmpty() ? null : value;
            }
        }
        return new CsvRow(record.getRecordNumber(), fields, fields == headerToSchema.length, schemaIndex, values);
    }

    private static boolean isBlank(CSVRecord record) {
        return record.size() == 1 && record.get(0).isEmpty();
    }
}
