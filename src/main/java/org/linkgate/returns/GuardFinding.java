package org.linkgate.returns;

/**
 * A direct identifier found in a return: a column label and the rule. The label is a dataset
 * column name, the identifier name a header matched (from {@link ReturnIdentifierGuard}'s own
 * list), or {@code #<position>}; never text taken from the file's cells. Never holds the value
 * nor the row: reports count findings per column ({@link Count}), so they cannot be used to
 * locate which person a guess was right about.
 */
public record GuardFinding(String column, String rule) {

    /** How many cells of one column broke one rule: what a report lists. */
    public record Count(String column, String rule, long cells) {
    }


    /** A header that names a direct identifier (e.g. {@code surname}, {@code DOB}). */
    public static final String IDENTIFIER_COLUMN = "identifier_column";
    /** A value that is, or equals the person's, direct identifier. */
    public static final String IDENTIFIER_VALUE = "identifier_value";
}
