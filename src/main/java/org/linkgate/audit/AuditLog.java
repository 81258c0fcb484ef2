package org.linkgate.audit;

import java.sql.Timestamp;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Records dataset movements (cl. 7.2) in the caller's transaction, so an event exists exactly
 * when the change it describes does. Details are metadata only: never a value from a file.
 */
@Component
public class AuditLog {

    private static final Logger LOG = LoggerFactory.getLogger("linkgate.audit");
    private final JdbcTemplate jdbc;
    private final Clock clock;

    public AuditLog(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public void record(AuditEventType type, String partnerCode, String subjectId, String actor, String detail) {
        jdbc.update("insert into audit_event (occurred_at, event_type, partner_code, subject_id, actor, detail)"
                        + " values (?, ?, ?, ?, ?, ?)",
                Timestamp.from(clock.instant()), type.name(), partnerCode, subjectId, actor, detail);
        LOG.info("audit {} partner={} subject={} {}", type, partnerCode, subjectId, detail == null ? "" : detail);
    }
}
