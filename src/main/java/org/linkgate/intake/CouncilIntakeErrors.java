package org.linkgate.intake;

import org.linkgate.inbound.FileError;
import org.linkgate.validation.MalformedBatchException;

/**
 * The file-level errors a council can see, each a stable rule name and a fixed message that
 * tells the council what to do. Messages are constants: nothing from the file is echoed.
 */
final class CouncilIntakeErrors {

    static final FileError NO_ROWS =
            new FileError("no_rows", "The file has a header but no data rows.");

    private CouncilIntakeErrors() {
    }

    static FileError header(String rule, String column) {
        String where = column == null ? "" : " Column: " + column + ".";
        return switch (rule) {
            case "missing_column" -> error(rule, "A required column is missing." + where);
            case "unknown_column" -> error(rule, "The file has a column the agreement does not cover; remove it." + where);
            case "duplicate_column" -> error(rule, "A column appears more than once." + where);
            case "no_header" -> error(rule, "The file is empty: it has no header row.");
            default -> error(rule, "The header row is not valid." + where);
        };
    }

    static FileError malformed(MalformedBatchException e) {
        String at = e.row() > 0 ? " (at row " + e.row() + ")" : "";
        return switch (e.rule()) {
            case "not_utf8" -> error(e.rule(), "The file is not valid UTF-8 text" + at + ". Save it as UTF-8 CSV.");
            case "unterminated_quote" -> error(e.rule(), "A quoted field is never closed" + at + ".");
            case "record_too_long" -> error(e.rule(), "A field or row is longer than allowed" + at + ".");
            default -> error(e.rule(), "The file is not a valid CSV file" + at + ".");
        };
    }

    static FileError tooManyBadRows(double maxShare) {
        return error("too_many_bad_rows", "More than " + Math.round(maxShare * 100)
                + "% of rows have problems, so no row was accepted. Fix the rows listed and send the whole file again.");
    }

    static FileError fileName() {
        return error("file_name", "The file name does not follow <GSS>_<YYYY-MM>_<SEQ>.csv.gpg for this council's code.");
    }

    private static FileError error(String rule, String message) {
        return new FileError(rule, message);
    }
}
