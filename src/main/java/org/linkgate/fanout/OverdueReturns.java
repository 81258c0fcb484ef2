package org.linkgate.fanout;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.linkgate.kernel.Alerts;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Raises one alert per extract whose return is past its due date (route {@code ops-overdue-returns}). */
@Component("overdueReturns")
public class OverdueReturns {

    private final JdbcTemplate jdbc;
    private final Alerts alerts;
    private final Clock clock;

    public OverdueReturns(JdbcTemplate jdbc, Alerts alerts, Clock clock) {
        this.jdbc = jdbc;
        this.alerts = alerts;
        this.clock = clock;
    }

    @Transactional
    public int check() {
        Timestamp now = Timestamp.from(clock.instant());
        List<Map<String, Object>> overdue = jdbc.queryForList("select id, department_code, due_at from extract"
                + " where status = 'SENT' and due_at < ? and overdue_alerted_at is null", now);
        for (Map<String, Object> extract : overdue) {
            alerts.raise("RETURN_OVERDUE", (String) extract.get("department_code"), (String) extract.get("id"),
                    "the return for extract " + extract.get("id") + " was due " + extract.get("due_at"));
            jdbc.update("update extract set overdue_alerted_at = ? where id = ?", now, extract.get("id"));
        }
        return overdue.size();
    }
}
