package org.linkgate.validation;

/**
 * A rule a row broke: spreadsheet row number, schema column name (null for a whole-row
 * problem such as {@code field_count}) and rule name. Never holds the value.
 */
public record RowProblem(long row, String column, String rule) {

    /** Mandatory value missing. */
    public static final String REQUIRED = "required";
    /** Value longer than the column's maxLength. */
    public static final String MAX_LENGTH = "max_length";
    /** The record had a different number of fields from the header. */
    public static final String FIELD_COUNT = "field_count";

    /** A problem with the row as a whole rather than one column. */
    public static RowProblem wholeRow(long row, String rule) {
        return new RowProblem(row, null, rule);
    }
}
