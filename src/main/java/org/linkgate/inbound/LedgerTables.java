package org.linkgate.inbound;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.linkgate.audit.AuditEventType;

/**
 * What a side's ledger is made of: its file table, the column naming the partner, its table of
 * contents already received (the idempotent repository, keyed by partner and SHA-256), the side
 * columns written when a file is claimed, and the audit events of each step. Every name is a
 * constant of the gateway's own, checked here, so the generic SQL built from them is fixed text.
 * {@code reportFolder} prefixes report names in the audit trail; {@code quarantineAlert} is the
 * alert category raised when a file of this side is quarantined.
 */
public record LedgerTables(String fileTable, String partnerColumn, String contentTable, String firstIdColumn,
                           Set<String> detailColumns, String actor, String reportFolder, String quarantineAlert,
                           Events events) {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    /** The audit event of each step of the lifecycle. */
    public record Events(AuditEventType received, AuditEventType duplicate, AuditEventType accepted,
                         AuditEventType partial, AuditEventType rejected, AuditEventType archived,
                         AuditEventType quarantined) {
    }

    public LedgerTables {
        for (String name : new String[] {fileTable, partnerColumn, contentTable, firstIdColumn}) {
            requireIdentifier(name);
        }
        detailColumns = Set.copyOf(detailColumns);
        detailColumns.forEach(LedgerTables::requireIdentifier);
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(reportFolder, "reportFolder");
        Objects.requireNonNull(quarantineAlert, "quarantineAlert");
        Objects.requireNonNull(events, "events");
    }

    /** Council batches: {@code intake_file} and {@code received_content}; a batch's period is kept. */
    public static final LedgerTables COUNCIL_BATCHES = new LedgerTables("intake_file", "council_code",
            "received_content", "first_intake_id", Set.of("period"), "intake", "outbound/", "FILE_QUARANTINED",
            new Events(AuditEventType.FILE_RECEIVED, AuditEventType.FILE_DUPLICATE, AuditEventType.FILE_ACCEPTED,
                    AuditEventType.FILE_PARTIALLY_ACCEPTED, AuditEventType.FILE_REJECTED, AuditEventType.FILE_ARCHIVED,
                    AuditEventType.FILE_QUARANTINED));

    /** Department returns: {@code return_file} and {@code received_return_content}; dataset and extract kept. */
    public static final LedgerTables DEPARTMENT_RETURNS = new LedgerTables("return_file", "department_code",
            "received_return_content", "first_return_id", Set.of("dataset", "extract_id"), "returns", "", "RETURN_QUARANTINED",
            new Events(AuditEventType.RETURN_RECEIVED, AuditEventType.RETURN_DUPLICATE, AuditEventType.RETURN_ACCEPTED,
                    AuditEventType.RETURN_ACCEPTED, AuditEventType.RETURN_REJECTED, AuditEventType.RETURN_ARCHIVED,
                    AuditEventType.RETURN_QUARANTINED));

    private static void requireIdentifier(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain SQL identifier: " + name);
        }
    }
}
