package org.linkgate.intake;

import org.linkgate.crypto.PgpVerificationException;
import org.linkgate.validation.MalformedBatchException;

/**
 * The file-level errors a council can see, each a stable rule name and a fixed message that
 * tells the council what to do. Messages are constants: nothing from the file is echoed.
 */
final class CouncilIntakeErrors {

    static final IntakeReport.FileError NO_ROWS =
            new IntakeReport.FileError("no_rows", "The file has a header but no data rows.");

    private CouncilIntakeErrors() {
    }

    static IntakeReport.FileError of(PgpVerificationException.Reason reason) {
        return switch (reason) {
            case NOT_OPENPGP -> error("not_openpgp", "The file is not an OpenPGP message. Encrypt it to the gateway key and sign it with your key.");
            case WRONG_RECIPIENT -> error("wrong_recipient", "The file is not encrypted to the gateway's key. Encrypt it to the current gateway public key.");
            case NOT_DECRYPTABLE -> error("not_decryptable", "The file could not be decrypted. It may be damaged; please send it again.");
            case NO_INTEGRITY_PROTECTION -> error("no_integrity_protection", "The file uses legacy encryption without integrity protection. Use a current OpenPGP tool (e.g. gpg 2.2 or later).");
            case INTEGRITY_CHECK_FAILED -> error("integrity_check_failed", "The file failed its integrity check: it was altered or damaged after encryption. Please send it again.");
            case UNSIGNED -> error("unsigned", "The file is not signed. Sign it with your council's registered key.");
            case WRONG_SIGNER -> error("wrong_signer", "The file is signed, but not with your council's registered key.");
            case BAD_SIGNATURE -> error("bad_signature", "The file's signature does not verify: the content differs from what was signed.");
            case TOO_LARGE -> error("too_large", "The decrypted file exceeds the size or compression limits.");
            case UNSUPPORTED -> error("unsupported_format", "The OpenPGP message has a structure the gateway does not accept (e.g. several files, or password-only encryption).");
        };
    }

    static IntakeReport.FileError header(String rule, String column) {
        String where = column == null ? "" : " Column: " + column + ".";
        return switch (rule) {
            case "missing_column" -> error(rule, "A required column is missing." + where);
            case "unknown_column" -> error(rule, "The file has a column the agreement does not cover; remove it." + where);
            case "duplicate_column" -> error(rule, "A column appears more than once." + where);
            case "no_header" -> error(rule, "The file is empty: it has no header row.");
            default -> error(rule, "The header row is not valid." + where);
        };
    }

    static IntakeReport.FileError malformed(MalformedBatchException e) {
        String at = e.row() > 0 ? " (at row " + e.row() + ")" : "";
        return switch (e.rule()) {
            case "not_utf8" -> error(e.rule(), "The file is not valid UTF-8 text" + at + ". Save it as UTF-8 CSV.");
            case "unterminated_quote" -> error(e.rule(), "A quoted field is never closed" + at + ".");
            case "record_too_long" -> error(e.rule(), "A field or row is longer than allowed" + at + ".");
            default -> error(e.rule(), "The file is not a valid CSV file" + at + ".");
        };
    }

    static IntakeReport.FileError tooManyBadRows(double maxShare) {
        return error("too_many_bad_rows", "More than " + Math.round(maxShare * 100)
                + "% of rows have problems, so no row was accepted. Fix the rows listed and send the whole file again.");
    }

    static IntakeReport.FileError fileName() {
        return error("file_name", "The file name does not follow <GSS>_<YYYY-MM>_<SEQ>.csv.gpg for this council's code.");
    }

    private static IntakeReport.FileError error(String rule, String message) {
        return new IntakeReport.FileError(rule, message);
    }
}
