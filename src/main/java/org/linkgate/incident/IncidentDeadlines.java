package org.linkgate.incident;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.linkgate.kernel.Alerts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Flags incidents past their 24-hour reporting deadline (route {@code incident-deadlines}): still
 * OPEN, or ACKNOWLEDGED but not every party told yet. Each is flagged once — an ERROR log line
 * (metadata only), an alert and an {@code INCIDENT_OVERDUE} audit event — and the gauges
 * {@code linkgate.incidents.open} (not closed) and {@code linkgate.incidents.overdue} follow every check.
 */
@Component("incidentDeadlines")
public class IncidentDeadlines {

    private static final Logger LOG = LoggerFactory.getLogger("linkgate.incident");
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Alerts alerts;
    private final AuditLog audit;
    private final Clock clock;
    private final AtomicLong open = new AtomicLong();
    private final AtomicLong overdue = new AtomicLong();

    public IncidentDeadlines(JdbcTemplate jdbc, TransactionTemplate transactions, Alerts alerts, AuditLog audit,
                             Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.alerts = alerts;
        this.audit = audit;
        this.clock = clock;
        Gauge.builder("linkgate.incidents.open", open, AtomicLong::get)
                .description("Incidents not closed").register(meters);
        Gauge.builder("linkgate.incidents.overdue", overdue, AtomicLong::get)
                .description("Incidents past their 24-hour reporting deadline, still open or not reported").register(meters);
    }

    /** Flags newly overdue incidents and refreshes the gauges; returns how many were newly flagged. */
    public int check() {
        Timestamp now = Timestamp.from(clock.instant());
        int flagged = transactions.execute(tx -> {
            List<Map<String, Object>> late = jdbc.queryForList("select id, category, partner_code, status, deadline_at,"
                    + " reported_at from incident where " + Incidents.OVERDUE + " and overdue_flagged_at is null", now);
            for (Map<String, Object> incident : late) {
                String id = (String) incident.get("id");
                String partner = (String) incident.get("partner_code");
                String why = "OPEN".equals(incident.get("status")) ? "not yet acknowledged" : "not yet reported to every party";
                String deadline = IncidentNotifier.toInstant(incident.get("deadline_at")).toString();
                LOG.error("INCIDENT OVERDUE {} {} partner={}: reporting deadline {} passed, {}", id,
                        incident.get("category"), partner, deadline, why);
                alerts.raise("INCIDENT_OVERDUE", partner, id, "incident " + id + " (" + incident.get("category")
                        + ") is past its 24-hour reporting deadline " + deadline + ": " + why);
                audit.record(AuditEventType.INCIDENT_OVERDUE, partner, id, "gateway", why);
                jdbc.update("update incident set overdue_flagged_at = ? where id = ?", now, id);
            }
            return late.size();
        });
        open.set(jdbc.queryForObject("select count(*) from incident where status <> 'CLOSED'", Long.class));
        overdue.set(jdbc.queryForObject("select count(*) from incident where " + Incidents.OVERDUE, Long.class, now));
        return flagged;
    }
}
