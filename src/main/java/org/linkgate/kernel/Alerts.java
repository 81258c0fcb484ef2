package org.linkgate.kernel;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Raises alerts operators must act on (e.g. a quarantined file): stored until acknowledged
 * and logged at ERROR so log-based alerting fires too. Messages carry no personal data.
 * Owns the {@code alert} table: the console reads open alerts through here, not its SQL.
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

    /** An alert no one has acknowledged yet; JSON in the table's own column names, as the API has always given. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record OpenAlert(String id, Instant raisedAt, String severity, String category, String partnerCode,
                            String subjectId, String message) {
    }

    public long openCount() {
        Long count = jdbc.queryForObject("select count(*) from alert where acknowledged_at is null", Long.class);
        return count == null ? 0 : count;
    }

    /** Unacknowledged alerts, newest first, at most {@code limit}. */
    public List<OpenAlert> open(int limit) {
        return jdbc.query("select id, raised_at, severity, category, partner_code, subject_id, message"
                        + " from alert where acknowledged_at is null order by raised_at desc limit ?",
                (rs, n) -> new OpenAlert(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7)), limit);
    }
}
