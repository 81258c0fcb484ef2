package org.linkgate.ops;

import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.partners.BatchCalendar;
import org.linkgate.agreement.Council;
import org.linkgate.agreement.Department;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.audit.AuditTrail;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.fanout.Extracts;
import org.linkgate.incident.Incidents;
import org.linkgate.intake.IntakeFiles;
import org.linkgate.kernel.Alerts;
import org.linkgate.kernel.RecentRouteFailures;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * Builds the {@link StatusReport} from the ledgers (intake, extracts, incidents, audit trail),
 * the partner registry and the agreement. A handful of aggregate queries, each bounded, so the
 * page stays cheap however many files have passed.
 */
@Component
public class StatusReporter {

    /** Audited events that mean something did not go through. */
    static final List<String> FAILURE_EVENTS = List.of("FILE_REJECTED", "FILE_QUARANTINED", "RETURN_REJECTED",
            "RETURN_QUARANTINED", "EXTRACT_DELIVERY_FAILED", "FLOW_REFUSED");
    static final int MAX_FAILURES = 25;
    static final int MAX_INCIDENTS = 200;

    private final IntakeFiles intakeFiles;
    private final Extracts extracts;
    private final Incidents incidentLedger;
    private final AuditTrail audit;
    private final Alerts alerts;
    private final PartnerRegistry registry;
    private final AgreementPolicy agreement;
    private final GatewayPgpKey gatewayKey;
    private final RecentRouteFailures routeFailures;
    private final OpsProperties settings;
    private final RouteStates routes;
    private final Clock clock;
    private final BatchCalendar calendar;

    public StatusReporter(Ledgers ledgers, PartnerRegistry registry, AgreementPolicy agreement, GatewayPgpKey gatewayKey,
                          RecentRouteFailures routeFailures, OpsProperties settings, RouteStates routes, Clock clock) {
        this(ledgers, registry, agreement, gatewayKey, routeFailures, settings, routes, clock, BatchCalendar.defaults());
    }

    @org.springframework.beans.factory.annotation.Autowired
    public StatusReporter(Ledgers ledgers, PartnerRegistry registry, AgreementPolicy agreement, GatewayPgpKey gatewayKey,
                          RecentRouteFailures routeFailures, OpsProperties settings, RouteStates routes, Clock clock,
                          BatchCalendar calendar) {
        this.calendar = calendar;
        this.intakeFiles = ledgers.intakeFiles();
        this.extracts = ledgers.extracts();
        this.incidentLedger = ledgers.incidents();
        this.audit = ledgers.audit();
        this.alerts = ledgers.alerts();
        this.registry = registry;
        this.agreement = agreement;
        this.gatewayKey = gatewayKey;
        this.routeFailures = routeFailures;
        this.settings = settings;
        this.routes = routes;
        this.clock = clock;
    }

    public StatusReport report() {
        Instant now = clock.instant();
        return new StatusReport(now, alerts.openCount(), councils(now), departments(now), incidents(now),
                keys(now), failures(now), routes.notRunning());
    }

    List<StatusReport.CouncilStatus> councils(Instant now) {
        Map<String, IntakeFiles.CouncilTotals> totals = intakeFiles.totalsByCouncil();
        List<StatusReport.CouncilStatus> councils = new ArrayList<>();
        for (Council council : registry.councils().stream().sorted(Comparator.comparing(Council::code)).toList()) {
            IntakeFiles.CouncilTotals total = totals.getOrDefault(council.code(), IntakeFiles.CouncilTotals.NONE);
            StatusReport.Batch last = intakeFiles.latest(council.code())
                    .map(b -> new StatusReport.Batch(b.id(), b.period(), b.status(), b.receivedAt(), b.completedAt(),
                            b.rowsTotal(), b.rowsAccepted(), b.rowsRejected()))
                    .orElse(null);
            Instant expectedNext = total.lastAccepted() == null ? null
                    : ZonedDateTime.ofInstant(total.lastAccepted(), AgreementPolicy.AGREEMENT_ZONE)
                            .plus(council.expectedEvery()).toInstant();
            String status = councilStatus(council, last, expectedNext, now);
            if (BatchCalendar.hasCalendar(council)) {
                // The calendar (cl. 6.2b) decides when the next batch is due: the end of its due day.
                BatchCalendar.Due due = calendar.due(council, total.lastAccepted() == null ? null
                        : total.lastAccepted().atZone(AgreementPolicy.AGREEMENT_ZONE).toLocalDate(),
                        AgreementPolicy.today(clock));
                expectedNext = due.dueDate().plusDays(1).atStartOfDay(AgreementPolicy.AGREEMENT_ZONE).toInstant();
                if (status.equals("OK") || status.equals("OVERDUE") || status.equals("AWAITING_FIRST_BATCH")) {
                    status = due.state() == BatchCalendar.State.OK
                            ? (total.lastAccepted() == null ? "AWAITING_FIRST_BATCH" : "OK") : due.state().name();
                }
            }
            councils.add(new StatusReport.CouncilStatus(council.code(), status,
                    last, council.expectedEvery().toString(), expectedNext, total.files(), total.filesRejected(),
                    total.rowsRejected()));
        }
        return councils;
    }

    private String councilStatus(Council council, StatusReport.Batch last, Instant expectedNext, Instant now) {
        AgreementPolicy.Decision permitted = agreement.intake(council.code(), AgreementPolicy.today(clock));
        if (!permitted.allowed()) {
            return permitted.code().toUpperCase(java.util.Locale.ROOT);
        }
        if (last != null && "RECEIVED".equals(last.status())) {
            return "PROCESSING";
        }
        if (last != null && "REJECTED".equals(last.status())) {
            return "LAST_FILE_REJECTED";
        }
        if (last != null && "QUARANTINED".equals(last.status())) {
            return "LAST_FILE_QUARANTINED";
        }
        if (expectedNext == null) {
            return "AWAITING_FIRST_BATCH";
        }
        return now.isAfter(expectedNext) ? "OVERDUE" : "OK";
    }

    List<StatusReport.DepartmentStatus> departments(Instant now) {
        Map<String, Extracts.DepartmentTotals> byCode = new HashMap<>();
        extracts.totalsByDepartment(now).forEach(t -> byCode.put(t.departmentCode(), t));
        List<StatusReport.DepartmentStatus> departments = new ArrayList<>();
        for (Department department : registry.departments().stream().sorted(Comparator.comparing(Department::code)).toList()) {
            Extracts.DepartmentTotals d = byCode.get(department.code());
            String endpoint = department.endpoint() instanceof Department.RemoteEndpoint ? "remote" : "embedded";
            departments.add(d == null
                    ? new StatusReport.DepartmentStatus(department.code(), endpoint, 0, 0, 0, 0, 0, 0, null, null, null)
                    : new StatusReport.DepartmentStatus(d.departmentCode(), endpoint, d.pending(), d.sent(), d.awaitingReturn(),
                            d.overdue(), d.returned(), d.refused(), d.nextReturnDue(), d.lastSent(), d.lastError()));
        }
        return departments;
    }

    List<StatusReport.OpenIncident> incidents(Instant now) {
        return incidentLedger.list(null).stream().limit(MAX_INCIDENTS).map(i -> {
            Instant deadline = i.deadline();
            boolean late = deadline != null && (i.reportedAt() == null ? deadline.isBefore(now) : i.reportedAt().isAfter(deadline));
            return new StatusReport.OpenIncident(i.id(), i.category(), i.partnerCode(), i.status(), i.detectedAt(), deadline,
                    i.reportedAt(), late);
        }).toList();
    }

    List<StatusReport.KeyStatus> keys(Instant now) {
        List<StatusReport.KeyStatus> keys = new ArrayList<>();
        keys.add(key(KeyExpiryHealth.GATEWAY, KeyExpiryHealth.check(gatewayKey.publicRing(), now, settings.keyExpiryWarning())));
        registry.councils().stream().sorted(Comparator.comparing(Council::code)).forEach(c -> keys.add(key(c.code(),
                KeyExpiryHealth.check(c.pgpPublicKey(), now, settings.keyExpiryWarning()))));
        registry.departments().stream().sorted(Comparator.comparing(Department::code)).forEach(d -> keys.add(key(d.code(),
                KeyExpiryHealth.check(d.pgpPublicKey(), now, settings.keyExpiryWarning()))));
        return keys;
    }

    private static StatusReport.KeyStatus key(String owner, Health health) {
        Object days = health.getDetails().get("daysLeft");
        return new StatusReport.KeyStatus(owner, health.getStatus().getCode(), String.valueOf(health.getDetails().get("expires")),
                days instanceof Number number ? number.longValue() : null);
    }

    List<StatusReport.RecentFailure> failures(Instant now) {
        Instant since = now.minus(settings.recentFailures());
        List<StatusReport.RecentFailure> failures = new ArrayList<>(audit.recentGroups(since, FAILURE_EVENTS, MAX_FAILURES)
                .stream().map(g -> new StatusReport.RecentFailure(g.last(), g.first(), g.count(), g.eventType(),
                        g.partnerCode(), g.subjectId())).toList());
        Map<String, StatusReport.RecentFailure> routes = new java.util.LinkedHashMap<>();
        for (RecentRouteFailures.Failure failure : routeFailures.newestFirst()) {
            if (failure.at().isBefore(since)) {
                continue;
            }
            String kind = "ROUTE_FAILURE " + failure.errorType();
            routes.merge(kind + "|" + failure.partner() + "|" + failure.route(),
                    new StatusReport.RecentFailure(failure.at(), failure.at(), 1, kind, failure.partner(), failure.route()),
                    (newer, older) -> new StatusReport.RecentFailure(newer.last(), older.first(),
                            newer.count() + older.count(), newer.kind(), newer.partner(), newer.subject()));
        }
        failures.addAll(routes.values());
        failures.sort(Comparator.comparing(StatusReport.RecentFailure::last).reversed());
        return failures.size() > MAX_FAILURES ? failures.subList(0, MAX_FAILURES) : failures;
    }
}
