package org.linkgate.ops;

import java.time.Clock;
import java.util.List;
import org.linkgate.fanout.Extracts;
import org.linkgate.kernel.Alerts;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What operators watch (role OPERATOR): open alerts (incidents: {@link IncidentsApi}), and per department the extracts sent, awaiting return and overdue. Metadata only.
 */
@RestController
@RequestMapping("/api/ops")
public class OperationsApi {

    static final int MAX_ALERTS = 500;

    private final Alerts alerts;
    private final Extracts extracts;
    private final Clock clock;

    public OperationsApi(Alerts alerts, Extracts extracts, Clock clock) {
        this.alerts = alerts;
        this.extracts = extracts;
        this.clock = clock;
    }

    @GetMapping("/alerts")
    public List<Alerts.OpenAlert> alerts() {
        return alerts.open(MAX_ALERTS);
    }

    /** Per department: extracts pending, sent, awaiting return, overdue, returned, refused, last sent and last error. */
    @GetMapping("/departments")
    public List<Extracts.DepartmentTotals> departments() {
        return extracts.totalsByDepartment(clock.instant());
    }
}
