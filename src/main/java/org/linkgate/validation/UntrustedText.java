package org.linkgate.validation;

/**
 * Text a partner chose — a file or directory name, an SSH user name, a path — made safe to write
 * into one log line or one audit detail: every control, format and line-separator character
 * (newline, carriage return, escape, bidirectional overrides, ...) is written as a visible escape
 * ({@code \n}, {@code \r}, {@code \t}, {@code \\u202e}) and a backslash as {@code \\}, so a name can
 * neither start a forged log line nor hide what it is. Printable text passes unchanged. The one
 * helper for everything partner-supplied that is logged or audited.
 */
public final class UntrustedText {

    private UntrustedText() {
    }

    /** The text with control characters escaped; {@code (none)} for null. Never shortened. */
    public static String forLog(Object text) {
        if (text == null) {
            return "(none)";
        }
        String value = text.toString();
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); ) {
            int codePoint = value.codePointAt(i);
            String escaped = escape(codePoint);
            if (escaped == null) {
                out.appendCodePoint(codePoint);
            } else {
                out.append(escaped);
            }
            i += Character.charCount(codePoint);
        }
        return out.toString();
    }

    /** The escape for one code point, or null when it may stand as it is. */
    private static String escape(int codePoint) {
        switch (codePoint) {
            case '\\':
                return "\\\\";
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            default:
                break;
        }
        int type = Character.getType(codePoint);
        boolean unsafe = type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE || type == Character.UNASSIGNED
                || type == Character.PRIVATE_USE;
        if (!unsafe) {
            return null;
        }
        return codePoint <= 0xFFFF ? String.format("\\u%04x", codePoint) : String.format("\\U%06x", codePoint);
    }
}
