package org.linkgate.audit;

import java.time.Instant;

/**
 * What an auditor asks for; null means "any". {@code from} is inclusive and {@code to} exclusive.
 * {@code pseudoId} selects a person's events: those about an intake file holding one of their
 * research records, an extract that carried them, or a return file that brought data about them.
 */
public record AuditEventFilter(String subjectId, String partnerCode, String actor, AuditEventType type,
        Instant from, Instant to, String pseudoId, int limit) {

    public static final int DEFAULT_LIMIT = 1000;
    public static final int MAX_LIMIT = 100_000;

    public AuditEventFilter {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
    }

    /** Everything, up to the default limit. */
    public static AuditEventFilter all() {
        return new AuditEventFilter(null, null, null, null, null, null, null, DEFAULT_LIMIT);
    }
}
