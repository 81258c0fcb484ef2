package org.linkgate.incident;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.linkgate.ops.Alerts;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Opens incidents (cl. 13): a possible loss or unauthorised release, to be reported to all
 * parties within 24 hours of detection. Each is recorded with its deadline, audited and raised
 * as an alert, in the caller's transaction. Summaries carry no personal data.
 */
@Component
public class Incidents {

    public static final Duration REPORTING_DEADLINE = Duration.ofHours(24);
    private final JdbcTemplate jdbc;
    private final AuditLog audit;
    private final Alerts alerts;
    private final Clock clock;

    public Incidents(JdbcTemplate jdbc, AuditLog audit, Alerts alerts, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.alerts = alerts;
        this.clock = clock;
    }

    public String open(String category, String partnerCode, String subjectId, String summary) {
        String id = UUID.randomUUID().toString();
        Instant now = clock.instant();
        jdbc.update("insert into incident (id, opened_at, deadline_at, category, partner_code, subject_id, summary, status)"
                        + " values (?, ?, ?, ?, ?, ?, ?, 'OPEN')",
                id, Timestamp.from(now), Timestamp.from(now.plus(REPORTING_DEADLINE)), category, partnerCode, subjectId, summary);
        audit.record(AuditEventType.INCIDENT_OPENED, partnerCode, id, "gateway", category + " on " + subjectId);
        alerts.raise("INCIDENT_" + category, partnerCode, subjectId, "incident " + id + ": " + summary
                + " (report to all parties by " + now.plus(REPORTING_DEADLINE) + ")");
        return id;
    }
}
