package org.linkgate.incident;

import java.util.Map;
import java.util.Set;

/**
 * Categories of incident (stored in {@code incident.category}), with what the gateway does about
 * each, as told to the parties in notices and e-mails. Fixed texts: never anything from a file.
 */
public final class IncidentCategory {

    /** A department return carried direct identifiers. */
    public static final String IDENTIFIERS_IN_RETURN = "IDENTIFIERS_IN_RETURN";
    /** A file claiming to come from a known partner failed its signature or integrity check. */
    public static final String SIGNATURE_FAILURE = "SIGNATURE_FAILURE";
    /** Repeated failed SFTP authentications for one account or from one address. */
    public static final String SFTP_AUTH_FAILURES = "SFTP_AUTH_FAILURES";
    /** A file found where it should not be: a hostile name at intake, or outside the drop-zone layout. */
    public static final String UNEXPECTED_FILE = "UNEXPECTED_FILE";
    /** The audit chain no longer verifies. */
    public static final String AUDIT_CHAIN_BREAK = "AUDIT_CHAIN_BREAK";
    /** Data due for destruction could not be destroyed (opened by the retention job). */
    public static final String DESTRUCTION_FAILURE = "DESTRUCTION_FAILURE";

    /** Reported by a person (cl. 13.1): data lost, e.g. a device or a printout. */
    public static final String DATA_LOSS = "DATA_LOSS";
    /** Reported by a person: data released to someone not entitled to it. */
    public static final String UNAUTHORISED_RELEASE = "UNAUTHORISED_RELEASE";
    /** Reported by a person: data reached, or could be reached, by someone not entitled to it. */
    public static final String UNAUTHORISED_ACCESS = "UNAUTHORISED_ACCESS";
    /** Reported by a person: any other security incident under the agreement. */
    public static final String OTHER_REPORTED = "OTHER_REPORTED";
    /** The categories a person may report with {@code POST /api/ops/incidents}. */
    public static final Set<String> REPORTABLE = Set.of(DATA_LOSS, UNAUTHORISED_RELEASE, UNAUTHORISED_ACCESS,
            OTHER_REPORTED);

    private static final String REPORTED_ACTION = "Reported to the gateway's operators by a person; the operators"
            + " investigate, contain it and tell the parties what was found.";
    private static final Map<String, String> ACTIONS = Map.ofEntries(
            Map.entry(DATA_LOSS, REPORTED_ACTION), Map.entry(UNAUTHORISED_RELEASE, REPORTED_ACTION),
            Map.entry(UNAUTHORISED_ACCESS, REPORTED_ACTION), Map.entry(OTHER_REPORTED, REPORTED_ACTION),
            Map.entry(IDENTIFIERS_IN_RETURN, "The return was rejected and nothing from it was loaded; the file is kept,"
                    + " still encrypted, in the gateway's archive for investigation."),
            Map.entry(SIGNATURE_FAILURE, "The file was refused unopened for research use and nothing from it was loaded;"
                    + " it is kept, still encrypted, in the gateway's archive for investigation."),
            Map.entry(SFTP_AUTH_FAILURES, "Every attempt was refused (public-key authentication only) and audited;"
                    + " no file was exposed. Operators review the source and may block it."),
            Map.entry(UNEXPECTED_FILE, "The file was not processed; it is held in quarantine or left in place for"
                    + " investigation, and operators were alerted."),
            Map.entry(AUDIT_CHAIN_BREAK, "The gateway keeps running and records the break; operators compare the chain"
                    + " with the last signed head exported and investigate the change."),
            Map.entry(DESTRUCTION_FAILURE, "The data remains under the gateway's protection (encrypted at rest);"
                    + " operators were alerted to complete the destruction."));

    private IncidentCategory() {
    }

    /** What the gateway did, for the parties; a general text for categories added later. */
    public static String gatewayAction(String category) {
        return ACTIONS.getOrDefault(category, "The gateway recorded the incident and alerted its operators.");
    }
}
