package org.linkgate.returns;

import org.linkgate.inbound.FileError;
import org.linkgate.validation.MalformedBatchException;

/**
 * The file-level errors of a return, each a stable rule name and a fixed message for the
 * department. Messages are built only from rule names, schema column names and counts: nothing
 * from the file is echoed.
 */
final class ReturnErrors {

    static final FileError FILE_NAME = error("file_name",
            "The file name is not <DEPT>_<DATASET>_<EXTRACT_ID>.csv.pgp for this department.");
    static final FileError DATASET_NOT_DECLARED = error("dataset_not_declared",
            "The dataset is not one this department returns under the agreement.");
    static final FileError UNKNOWN_EXTRACT = error("unknown_extract",
            "The extract id does not name an extract sent to this department.");
    static final FileError EXTRACT_NOT_SENT = error("extract_not_sent",
            "The extract has not been sent to this department yet, so nothing can be returned for it.");
    static final FileError EXTRACT_DATA_DESTROYED = error("extract_data_destroyed",
            "The council data this extract was made from has been destroyed under the agreement's retention rules;"
                    + " the extract is withdrawn and returns for it are no longer accepted.");
    static final FileError NO_ROWS = error("no_rows", "The file has a header but no data rows.");
    static final FileError IDENTIFIERS = error("identifiers",
            "The file contains direct identifiers (see the findings). Returns may carry pseudo_id and the"
                    + " dataset's administrative columns only. The file was not loaded and an incident is opened.");

    private ReturnErrors() {
    }

    static FileError header(String rule, String column) {
        String where = column == null ? "" : " Column: " + column + ".";
        return switch (rule) {
            case "missing_column" -> error(rule, "A required column is missing." + where);
            case "unknown_column" -> error(rule, "The file has a column the dataset does not declare." + where);
            case "duplicate_column" -> error(rule, "A column appears more than once." + where);
            case "empty_header" -> error(rule, "A header cell is empty." + where);
            case "no_header" -> error(rule, "The file is empty: it has no header row.");
            default -> error(rule, "The header row is not valid." + where);
        };
    }

    static FileError malformed(MalformedBatchException e) {
        String at = e.row() > 0 ? " (at row " + e.row() + ")" : "";
        return switch (e.rule()) {
            case "not_utf8" -> error(e.rule(), "The file is not valid UTF-8 text" + at + ".");
            case "unterminated_quote" -> error(e.rule(), "A quoted field is never closed" + at + ".");
            case "record_too_long" -> error(e.rule(), "A field or row is longer than allowed" + at + ".");
            case "too_many_columns" -> error(e.rule(), "A row has more columns than allowed" + at + ".");
            default -> error(e.rule(), "The file is not a valid CSV file" + at + ".");
        };
    }

    /** Rows breaking one schema rule in one column; any such row rejects a return. */
    static FileError rowRule(String column, String rule, long count, long firstRow) {
        String where = column == null ? "" : " in column " + column;
        return error(rule, count + " row(s) break rule '" + rule + "'" + where + ", first at row " + firstRow
                + ". Returns are machine-made, so any invalid row rejects the file.");
    }

    static FileError unknownPseudoId(long count, long firstRow) {
        return error("unknown_pseudo_id", count + " row(s) carry a pseudo_id that was never sent to this department"
                + " in this extract, first at row " + firstRow + ".");
    }

    static FileError matchedConflict(long people, long firstRow) {
        return error("matched_conflict", people + " person(s) are marked matched Y in one row and N in another,"
                + " first at row " + firstRow + ". Say once per person whether they were found.");
    }

    private static FileError error(String rule, String message) {
        return new FileError(rule, message);
    }
}
