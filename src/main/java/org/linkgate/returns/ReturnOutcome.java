package org.linkgate.returns;

import java.util.List;
import java.util.Map;

/**
 * What {@link ReturnFileProcessor} made of one return file. The caller records it (return file
 * status, extract status) in its own final transaction and opens an incident when
 * {@code identifierIncident} is true. Nothing here holds a value from the file.
 *
 * @param accepted           true when every row passed and was staged in {@code return_record}
 * @param rows               data rows read
 * @param loaded             rows staged (0 unless accepted)
 * @param fileErrors         why it was rejected; empty when accepted
 * @param findings           direct identifiers found (row, column label, rule), never values
 * @param identifierIncident true when any identifier was found: the caller must open an incident
 * @param signerFingerprint  fingerprint of the department key that signed, or null if unverified
 * @param matchedByCohort    for an accepted return: dataset → cohort → distinct people matched
 */
public record ReturnOutcome(boolean accepted, long rows, long loaded, List<ReturnError> fileErrors,
                            List<GuardFinding> findings, boolean identifierIncident, String signerFingerprint,
                            Map<String, Map<String, Long>> matchedByCohort) {

    public ReturnOutcome {
        fileErrors = List.copyOf(fileErrors);
        findings = List.copyOf(findings);
        matchedByCohort = matchedByCohort == null ? Map.of() : Map.copyOf(matchedByCohort);
    }
}
