package org.linkgate.inbound;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.linkgate.audit.AuditEventType;
import org.linkgate.kernel.GatewayMetrics;

/**
 * What a side's ledger is made of — the stage its files are counted under and the partner word of
 * its messages ("council", "department"), its file table, the column naming the partner, its table of
 * contents already received (the idempotent repository, keyed by partner and SHA-256), the side
 * columns written when a file is claimed, and the audit events of each step. Every name is a
 * constant of the gateway's own, checked here, so the generic SQL built from them is fixed text. Each side
 * declares its own, on the tables it owns ({@code intake.CouncilBatches.LEDGER_TABLES},
 * {@code returns.DepartmentReturns.LEDGER_TABLES}).
 * {@code reportFolder} prefixes report names in the audit trail; {@code quarantineAlert} is the
 * alert category raised when a file of this side is quarantined.
 */
public record LedgerTables(GatewayMetrics.Stage stage, String partnerKind, String fileTable, String partnerColumn, String contentTable, String firstIdColumn,
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
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(partnerKind, "partnerKind");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(reportFolder, "reportFolder");
        Objects.requireNonNull(quarantineAlert, "quarantineAlert");
        Objects.requireNonNull(events, "events");
    }

    private static void requireIdentifier(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain SQL identifier: " + name);
        }
    }
}
