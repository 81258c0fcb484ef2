package org.linkgate.ops;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What operators watch (role OPERATOR): open alerts (incidents: {@link IncidentsApi}), and per department the extracts sent, awaiting return and overdue. Metadata only.
 */
@RestController
@RequestMapping("/api/ops")
public class OperationsApi {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public OperationsApi(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @GetMapping("/alerts")
    public List<Map<String, Object>> alerts() {
        return jdbc.queryForList("select id, raised_at, severity, category, partner_code, subject_id, message"
                + " from alert where acknowledged_at is null order by raised_at desc limit 500");
    }

    @GetMapping("/departments")
    public List<Map<String, Object>> departments() {
        return jdbc.queryForList("select department_code,"
                + " sum(case when status = 'PENDING' then 1 else 0 end) as pending,"
                + " sum(case when status = 'SENT' then 1 else 0 end) as awaiting_return,"
                + " sum(case when status = 'SENT' and due_at < ? then 1 else 0 end) as overdue,"
                + " sum(case when status = 'RETURNED' then 1 else 0 end) as returned,"
                + " max(sent_at) as last_sent, max(last_error) as last_error"
                + " from extract group by department_code order by department_code", Timestamp.from(clock.instant()));
    }
}
