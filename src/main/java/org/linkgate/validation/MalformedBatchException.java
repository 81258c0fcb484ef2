package org.linkgate.validation;

/**
 * The batch cannot be read as a CSV file of the dataset, so it is rejected whole. Carries
 * the rule broken ({@code not_utf8}, {@code unterminated_quote}, {@code malformed_quote},
 * {@code record_too_long}, {@code too_many_columns}, or a header
 * rule such as {@code missing_column}) and the spreadsheet row number (0 when not tied to
 * a row). The message holds only these, never a cell value.
 */
public class MalformedBatchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Bytes that are not valid UTF-8. */
    public static final String NOT_UTF8 = "not_utf8";
    /** A quoted field still open at the end of the file. */
    public static final String UNTERMINATED_QUOTE = "unterminated_quote";
    /** Characters after a closing quote before the delimiter, or another parse error. */
    public static final String MALFORMED_QUOTE = "malformed_quote";
    /** A field or record longer than {@link CsvLimits#maxFieldChars()} / {@link CsvLimits#maxRecordChars()}. */
    public static final String RECORD_TOO_LONG = "record_too_long";
    /** A record with more fields than {@link CsvLimits#maxColumns()}. */
    public static final String TOO_MANY_COLUMNS = "too_many_columns";

    private final String rule;
    private final long row;

    public MalformedBatchException(String rule, long row) {
        super(describe(rule, row));
        this.rule = rule;
        this.row = row;
    }

    /**
     * @param cause kept for diagnosis; must not carry cell values in its message
     */
    public MalformedBatchException(String rule, long row, Throwable cause) {
        super(describe(rule, row), cause);
        this.rule = rule;
        this.row = row;
    }

    /** The rule broken, e.g. {@code not_utf8}. */
    public String rule() {
        return rule;
    }

    /** Spreadsheet-style row (header = 1), or 0 when the problem is not tied to a row. */
    public long row() {
        return row;
    }

    private static String describe(String rule, long row) {
        return row > 0 ? "batch rejected: " + rule + " at row " + row : "batch rejected: " + rule;
    }
}
