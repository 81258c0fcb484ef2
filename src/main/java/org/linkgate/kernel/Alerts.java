package org.linkgate.kernel;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Raises alerts operators must act on (e.g. a quarantined file): stored until acknowledged
 * and logged at ERROR so log-based alerting fires too. Messages carry no personal data.
 */
@Component
public class Alerts {

    private static final Logger LOG = LoggerFactory.getLogger("linkgate.alert");
    private final JdbcTemplate jdbc;
    private final Clock clock;

    public Alerts(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public String raise(String category, String partnerCode, String subjectId, String message) {
        String id = UUID.randomUUID().toString();
        jdbc.update("insert into alert (id, raised_at, severity, category, partner_code, subject_id, message)"
                        + " values (?, ?, 'ERROR', ?, ?, ?, ?)",
                id, Timestamp.from(clock.instant()), category, partnerCode, subjectId, message);
        LOG.error("ALERT {} partner={} subject={}: {}", category, partnerCode, subjectId, message);
        return id;
    }
}
