package org.linkgate.incident;

import java.util.Map;

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

    private static final Map<String, String> ACTIONS = Map.of(
            IDENTIFIERS_IN_RETURN, "The return was rejected and nothing from it was loaded; the file is kept,"
                    + " still encrypted, in the gateway's archive for investigation.",
            SIGNATURE_FAILURE, "The file was refused unopened for research use and nothing from it was loaded;"
                    + " it is kept, still encrypted, in the gateway's archive for investigation.",
            SFTP_AUTH_FAILURES, "Every attempt was refused (public-key authentication only) and audited;"
                    + " no file was exposed. Operators review the source and may block it.",
            UNEXPECTED_FILE, "The file was not processed; it is held in quarantine or left in place for"
                    + " investigation, and operators were alerted.",
            AUDIT_CHAIN_BREAK, "The gateway keeps running and records the break; operators compare the chain"
                    + " with the last signed head exported and investigate the change.",
            DESTRUCTION_FAILURE, "The data remains under the gateway's protection (encrypted at rest);"
                    + " operators were alerted to complete the destruction.");

    private IncidentCategory() {
    }

    /** What the gateway did, for the parties; a general text for categories added later. */
    public static String gatewayAction(String category) {
        return ACTIONS.getOrDefault(category, "The gateway recorded the incident and alerted its operators.");
    }
}
