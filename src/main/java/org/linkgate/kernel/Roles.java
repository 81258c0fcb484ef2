package org.linkgate.kernel;

/**
 * The roles of the HTTP surface (without Spring's {@code ROLE_} prefix). Granted to users in
 * {@code config/users.properties}; enforced per path by {@code ops.HttpSecurityConfiguration}
 * and, where a decision needs more than a path, by the feature itself (e.g. the two-person rule).
 */
public final class Roles {
    /** Watches routes, files and incidents (status page, Hawtio, operations API). */
    public static final String OPERATOR = "OPERATOR";
    /** Reads the linked pseudonymised data and requests disclosure-controlled outputs. */
    public static final String ANALYST = "ANALYST";
    /** Reads and verifies the audit trail. */
    public static final String AUDITOR = "AUDITOR";
    /** Decides: approvals, destruction, terminations; the second person of the two-person rule. */
    public static final String ADMIN = "ADMIN";

    private Roles() {
    }
}
