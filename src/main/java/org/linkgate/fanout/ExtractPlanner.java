package org.linkgate.fanout;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.UUID;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.agreement.Department;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.linkgate.intake.AcceptedBatch;
import org.linkgate.intake.AcceptedBatchListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Plans one extract per department the agreement lets the council's data go to, for an
 * accepted council batch. Called inside the
 * transaction that accepts the batch, so a batch is never accepted without its extracts, and
 * the unique (department, intake) key means no department is ever planned twice.
 */
@Component
public class ExtractPlanner implements AcceptedBatchListener {

    private final JdbcTemplate jdbc;
    private final PartnerRegistry registry;
    private final Clock clock;
    private final AgreementPolicy agreement;
    private final AuditLog audit;

    public ExtractPlanner(JdbcTemplate jdbc, PartnerRegistry registry, Clock clock, AgreementPolicy agreement,
                          AuditLog audit) {
        this.agreement = agreement;
        this.audit = audit;
        this.jdbc = jdbc;
        this.registry = registry;
        this.clock = clock;
    }

    /** Plans the extracts of a batch just accepted, in the transaction that accepts it. */
    @Override
    public void accepted(AcceptedBatch batch) {
        plan(batch.intakeId(), batch.councilCode(), batch.period());
    }

    /** Returns how many extracts were planned. Runs in the caller's transaction. */
    public int plan(String intakeId, String councilCode, String period) {
        int planned = 0;
        Timestamp now = Timestamp.from(clock.instant());
        for (Department department : registry.departments()) {
            AgreementPolicy.Decision permitted = agreement.flow(councilCode, department.code(), AgreementPolicy.today(clock));
            if (!permitted.allowed()) {
                // Not along a flow the agreement lists (cl. 6.1, 8.1): not planned, and recorded as refused.
                audit.record(AuditEventType.FLOW_REFUSED, department.code(), intakeId, "fanout", permitted.code());
                continue;
            }
            String id = UUID.randomUUID().toString().replace("-", "");
            jdbc.update("insert into extract (id, department_code, intake_id, council_code, period, file_name, status,"
                            + " created_at, next_attempt_at) values (?, ?, ?, ?, ?, ?, 'PENDING', ?, ?)",
                    id, department.code(), intakeId, councilCode, period, ExtractWriter.fileName(department.code(), period, id), now, now);
            planned++;
        }
        return planned;
    }
}
