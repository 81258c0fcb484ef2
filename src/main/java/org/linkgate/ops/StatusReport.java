package org.linkgate.ops;

import java.time.Instant;
import java.util.List;

/**
 * What operators see on the status page and at {@code GET /api/ops/status}: codes, ids, counts and
 * times only — never a file name, a row or anything a partner wrote.
 */
public record StatusReport(
        Instant generatedAt,
        long openAlerts,
        List<CouncilStatus> councils,
        List<DepartmentStatus> departments,
        List<OpenIncident> incidents,
        List<KeyStatus> keys,
        List<RecentFailure> failures,
        List<RouteState> stoppedRoutes) {

    public StatusReport {
        councils = List.copyOf(councils);
        departments = List.copyOf(departments);
        incidents = List.copyOf(incidents);
        keys = List.copyOf(keys);
        failures = List.copyOf(failures);
        stoppedRoutes = List.copyOf(stoppedRoutes);
    }

    /** A report with every route running. */
    public StatusReport(Instant generatedAt, long openAlerts, List<CouncilStatus> councils, List<DepartmentStatus> departments,
                        List<OpenIncident> incidents, List<KeyStatus> keys, List<RecentFailure> failures) {
        this(generatedAt, openAlerts, councils, departments, incidents, keys, failures, List.of());
    }

    /** A route of this instance that is not running: its id and Camel's status ({@code Stopped}, {@code Suspended}, ...). */
    public record RouteState(String route, String status) {
        RouteState(String route, org.apache.camel.ServiceStatus status) {
            this(route, status == null ? null : status.name());
        }
    }

    /**
     * One council. {@code status}: {@code OK}, {@code OVERDUE} (no batch by {@code expectedNextBatch}),
     * {@code AWAITING_FIRST_BATCH}, {@code PROCESSING}, {@code LAST_FILE_REJECTED},
     * {@code LAST_FILE_QUARANTINED}, or the agreement's refusal code in capitals (e.g. {@code TERMINATED}).
     */
    public record CouncilStatus(String code, String status, Batch lastBatch, String expectedEvery,
                                Instant expectedNextBatch, long files, long filesRejected, long rowsRejected) {
    }

    /** A council file by its intake id (never its name). */
    public record Batch(String intakeId, String period, String status, Instant receivedAt, Instant completedAt,
                        long rows, long rowsAccepted, long rowsRejected) {
    }

    /** One department's extracts: {@code extractsSent} counts every extract delivered (awaiting or returned). */
    public record DepartmentStatus(String code, String endpoint, long pending, long extractsSent, long awaitingReturn,
                                   long overdue, long returned, long refused, Instant nextReturnDue, Instant lastSent,
                                   String lastError) {
    }

    /**
     * An incident not yet closed (cl. 13: {@code OPEN} or {@code ACKNOWLEDGED}), the deadline to report it
     * to all parties, whether that report has been made (every notification sent) and whether the
     * deadline passed without it.
     */
    public record OpenIncident(String id, String category, String partner, String status, Instant openedAt,
                               Instant deadline, Instant reportedAt, boolean pastDeadline) {
    }

    /** An OpenPGP key the gateway relies on: {@code UP}, {@code WARN} (expires soon) or {@code DOWN} (expired). */
    public record KeyStatus(String owner, String status, String expires, Long daysLeft) {
    }

    /**
     * Recent failures of one kind for one partner and subject (a file, an extract or a route),
     * repeated {@code count} times from {@code first} to {@code last}: an audited event of a failure
     * type, or an unexpected route failure ({@code ROUTE_FAILURE <error type>}).
     */
    public record RecentFailure(Instant last, Instant first, long count, String kind, String partner, String subject) {
    }
}
