package org.linkgate.intake;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A council batch file name per CONTRACT: {@code <GSS>_<YYYY-MM>_<SEQ>.csv.<pgp|gpg|asc>}.
 * Names are checked against this pattern before any other use, so a hostile name never
 * reaches a path or a report.
 */
public record CouncilBatchName(String fileName, String councilCode, String period, String sequence) {

    private static final Pattern PATTERN = Pattern.compile(
            "([EWSN]\\d{8})_((?:19|20)\\d{2}-(?:0[1-9]|1[0-2]))_(\\d{2})\\.csv\\.(?:pgp|gpg|asc)");

    public static Optional<CouncilBatchName> parse(String fileName) {
        Matcher m = PATTERN.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new CouncilBatchName(fileName, m.group(1), m.group(2), m.group(3)));
    }
}
