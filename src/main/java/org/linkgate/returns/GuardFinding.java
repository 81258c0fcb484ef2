package org.linkgate.returns;

/**
 * A direct identifier found in a return: spreadsheet row (the header is row 1), a column label
 * and the rule. The label is a dataset column name, the identifier name a header matched (from
 * {@link ReturnIdentifierGuard}'s own list), or {@code #<position>}; never text taken from the
 * file's cells. Never holds the value.
 */
public record GuardFinding(long row, String column, String rule) {

    /** A header that names a direct identifier (e.g. {@code surname}, {@code DOB}). */
    public static final String IDENTIFIER_COLUMN = "identifier_column";
    /** A value that is, or equals the person's, direct identifier. */
    public static final String IDENTIFIER_VALUE = "identifier_value";
}
