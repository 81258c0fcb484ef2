package org.linkgate.validation;

/**
 * A problem with the header row: {@code rule} is {@code missing_column},
 * {@code unknown_column}, {@code duplicate_column}, {@code empty_header} or
 * {@code no_header}. {@code column} is a schema column name, or null when the header cell
 * is not one; {@code position} is the 1-based header cell, or 0 for a missing column or
 * no header.
 *
 * <p>An unknown header is reported by position only, never by its text: in a file sent
 * without a header row the "header" is a row of personal data.
 */
public record HeaderProblem(String rule, String column, int position) {

    public static final String MISSING_COLUMN = "missing_column";
    public static final String UNKNOWN_COLUMN = "unknown_column";
    public static final String DUPLICATE_COLUMN = "duplicate_column";
    public static final String EMPTY_HEADER = "empty_header";
    public static final String NO_HEADER = "no_header";
}
