package org.linkgate.kernel;

/**
 * Neutralises CSV injection (OWASP "CSV Injection"): a cell that starts with {@code =}, {@code +},
 * {@code -}, {@code @}, a tab or a carriage return may be run as a formula when a department
 * opens the extract in a spreadsheet, so such a value is prefixed with a single quote
 * {@code '}, which spreadsheets show as text. The prefix is part of the value: a department
 * that needs the original strips one leading {@code '} from a value whose second character is
 * one of those six. Quoting of commas, quotes and line breaks is left to the RFC 4180 printer.
 */
public final class SpreadsheetFormulaGuard {

    /** Added before a value that a spreadsheet could read as a formula. */
    public static final char PREFIX = '\'';

    private SpreadsheetFormulaGuard() {
    }

    /** The value, prefixed with {@link #PREFIX} if it starts like a formula; null and empty pass unchanged. */
    public static String neutralise(String value) {
        if (value == null || value.isEmpty() || !startsLikeFormula(value.charAt(0))) {
            return value;
        }
        return PREFIX + value;
    }

    private static boolean startsLikeFormula(char first) {
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
    }
}
