package org.linkgate.ops;

import java.sql.Timestamp;
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
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.kernel.RecentRouteFailures;
import org.springframework.boot.actuate.health.Health;
import org.springframework.jdbc.core.JdbcTemplate;
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

    private final JdbcTemplate jdbc;
    private final PartnerRegistry registry;
    private final AgreementPolicy agreement;
    private final GatewayPgpKey gatewayKey;
    private final RecentRouteFailures routeFailures;
    private final OpsProperties settings;
    private final RouteStates routes;
    private final Clock clock;
    private final BatchCalendar calendar;

    public StatusReporter(JdbcTemplate jdbc, PartnerRegistry registry, AgreementPolicy agreement, GatewayPgpKey gatewayKey,
                          RecentRouteFailures routeFailures, OpsProperties settings, RouteStates routes, Clock clock) {
        this(jdbc, registry, agreement, gatewayKey, routeFailures, settings, routes, clock, BatchCalendar.defaults());
    }

    @org.springframework.beans.factory.annotation.Autowired
    public StatusReporter(JdbcTemplate jdbc, PartnerRegistry registry, AgreementPolicy agreement, GatewayPgpKey gatewayKey,
                          RecentRouteFailures routeFailures, OpsProperties settings, RouteStates routes, Clock clock,
                          BatchCalendar calendar) {
        this.calendar = calendar;
        this.jdbc = jdbc;
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
        Long alerts = jdbc.queryForObject("select count(*) from alert where acknowledged_at is null", Long.class);
        return new StatusReport(now, alerts == null ? 0 : alerts, councils(now), departments(now), incidents(now),
                keys(now), failures(now), routes.notRunning());
    }

    private record CouncilTotals(long files, long filesRejected, long rowsRejected, Instant lastAccepted) {
    }

    List<StatusReport.CouncilStatus> councils(Instant now) {
        Map<String, CouncilTotals> totals = new HashMap<>();
        jdbc.query("select council_code, count(*),"
                        + " sum(case when status in ('REJECTED', 'QUARANTINED') then 1 else 0 end),"
                        + " coalesce(sum(rows_rejected), 0),"
                        + " max(case when status in ('ACCEPTED', 'PARTIAL') then received_at end)"
                        + " from intake_file where status <> 'DUPLICATE' group by council_code",
                rs -> {
                    totals.put(rs.getString(1), new CouncilTotals(rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            instant(rs.getTimestamp(5))));
                });
        List<StatusReport.CouncilStatus> councils = new ArrayList<>();
        for (Council council : registry.councils().stream().sorted(Comparator.comparing(Council::code)).toList()) {
            CouncilTotals total = totals.getOrDefault(council.code(), new CouncilTotals(0, 0, 0, null));
            StatusReport.Batch last = jdbc.query("select id, period, status, received_at, completed_at, rows_total,"
                            + " rows_accepted, rows_rejected from intake_file where council_code = ? and status <> 'DUPLICATE'"
                            + " order by received_at desc limit 1",
                    (rs, n) -> new StatusReport.Batch(rs.getString(1), rs.getString(2), rs.getString(3),
                            instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5)), rs.getLong(6), rs.getLong(7),
                            rs.getLong(8)), council.code()).stream().findFirst().orElse(null);
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
        Map<String, StatusReport.DepartmentStatus> byCode = new HashMap<>();
        jdbc.query("select department_code,"
                        + " sum(case when status = 'PENDING' then 1 else 0 end),"
                        + " sum(case when status in ('SENT', 'RETURNED') then 1 else 0 end),"
                        + " sum(case when status = 'SENT' then 1 else 0 end),"
                        + " sum(case when status = 'SENT' and due_at < ? then 1 else 0 end),"
                        + " sum(case when status = 'RETURNED' then 1 else 0 end),"
                        + " sum(case when status = 'REFUSED' then 1 else 0 end),"
                        + " min(case when status = 'SENT' then due_at end), max(sent_at),"
                        + " max(case when status = 'PENDING' then last_error end)"
                        + " from extract group by department_code",
                rs -> {
                    String code = rs.getString(1);
                    byCode.put(code, new StatusReport.DepartmentStatus(code, null, rs.getLong(2), rs.getLong(3),
                            rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), instant(rs.getTimestamp(8)),
                            instant(rs.getTimestamp(9)), rs.getString(10)));
                }, Timestamp.from(now));
        List<StatusReport.DepartmentStatus> departments = new ArrayList<>();
        for (Department department : registry.departments().stream().sorted(Comparator.comparing(Department::code)).toList()) {
            StatusReport.DepartmentStatus d = byCode.get(department.code());
            String endpoint = department.endpoint() instanceof Department.RemoteEndpoint ? "remote" : "embedded";
            departments.add(d == null
                    ? new StatusReport.DepartmentStatus(department.code(), endpoint, 0, 0, 0, 0, 0, 0, null, null, null)
                    : new StatusReport.DepartmentStatus(d.code(), endpoint, d.pending(), d.extractsSent(), d.awaitingReturn(),
                            d.overdue(), d.returned(), d.refused(), d.nextReturnDue(), d.lastSent(), d.lastError()));
        }
        return departments;
    }

    List<StatusReport.OpenIncident> incidents(Instant now) {
        return jdbc.query("select id, category, partner_code, status, opened_at, deadline_at, reported_at from incident"
                        + " where status <> 'CLOSED' order by deadline_at limit 200",
                (rs, n) -> {
                    Instant deadline = instant(rs.getTimestamp(6));
                    Instant reported = instant(rs.getTimestamp(7));
                    boolean late = deadline != null && (reported == null ? deadline.isBefore(now) : reported.isAfter(deadline));
                    return new StatusReport.OpenIncident(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            instant(rs.getTimestamp(5)), deadline, reported, late);
                });
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
        String placeholders = String.join(", ", FAILURE_EVENTS.stream().map(e -> "?").toList());
        List<Object> args = new ArrayList<>();
        args.add(Timestamp.from(since));
        args.addAll(FAILURE_EVENTS);
        // Repeats (a delivery retried every few seconds) are one line with a count.
        List<StatusReport.RecentFailure> failures = new ArrayList<>(jdbc.query(
                "select event_type, partner_code, subject_id, count(*), min(occurred_at), max(occurred_at) from audit_event"
                        + " where occurred_at >= ? and event_type in (" + placeholders + ")"
                        + " group by event_type, partner_code, subject_id order by max(occurred_at) desc limit " + MAX_FAILURES,
                (rs, n) -> new StatusReport.RecentFailure(instant(rs.getTimestamp(6)), instant(rs.getTimestamp(5)),
                        rs.getLong(4), rs.getString(1), rs.getString(2), rs.getString(3)), args.toArray()));
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

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
