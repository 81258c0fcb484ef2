package org.linkgate.fanout;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.agreement.Department;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.linkgate.kernel.Alerts;
import org.linkgate.kernel.Causes;
import org.linkgate.kernel.LinkgateProperties;
import org.linkgate.transfer.HostKeyRejectedException;
import org.linkgate.transfer.TransferFailure;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The delivery states of the extract ledger ({@code extract}) and what each transition records:
 * due → SENT (audited, return due date set), → REFUSED (the agreement no longer allows the flow),
 * or a failed attempt (audited, retried with doubling back-off, operators alerted when it persists
 * or at once for a rejected host key). Each transition is one transaction.
 */
@Component
public class ExtractLedger {

    /** An extract due to be sent, with what sending needs to know of it. */
    record DueExtract(String id, String intakeId, String councilCode, String period, String fileName, int attempts) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final AuditLog audit;
    private final Alerts alerts;
    private final LinkgateProperties.Departments settings;
    private final Clock clock;

    public ExtractLedger(JdbcTemplate jdbc, TransactionTemplate transactions, AuditLog audit, Alerts alerts,
                         LinkgateProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.audit = audit;
        this.alerts = alerts;
        this.settings = properties.departments();
        this.clock = clock;
    }

    /** A department's pending extracts whose next attempt is due, oldest first. */
    List<DueExtract> due(Department department) {
        return jdbc.query("select e.id, e.intake_id, e.council_code, e.period, e.file_name, e.attempts"
                        + " from extract e where e.department_code = ?"
                        + " and e.status = 'PENDING' and e.next_attempt_at <= ? order by e.created_at",
                (rs, n) -> new DueExtract(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getInt(6)),
                department.code(), Timestamp.from(clock.instant()));
    }

    /** The members recorded for an extract (its rows sent). */
    long members(String extractId) {
        Long rows = jdbc.queryForObject("select count(*) from extract_member where extract_id = ?", Long.class, extractId);
        return rows == null ? 0 : rows;
    }

    void markSent(Department department, DueExtract extract, long rows, String sha256) {
        Instant now = clock.instant();
        transactions.executeWithoutResult(tx -> {
            jdbc.update("update extract set status = 'SENT', rows_sent = ?, sha256 = ?, sent_at = ?, due_at = ?,"
                            + " attempts = attempts + 1, last_error = null where id = ?",
                    rows, sha256, Timestamp.from(now), Timestamp.from(now.plus(department.returnDue())), extract.id());
            audit.record(AuditEventType.EXTRACT_SENT, department.code(), extract.id(), "fanout",
                    "file=" + extract.fileName() + " rows=" + rows);
        });
    }

    void refuse(Department department, DueExtract extract, AgreementPolicy.Decision decision) {
        transactions.executeWithoutResult(tx -> {
            jdbc.update("update extract set status = 'REFUSED', last_error = ? where id = ?", decision.code(), extract.id());
            audit.record(AuditEventType.FLOW_REFUSED, department.code(), extract.id(), "fanout", decision.code());
        });
    }

    /** Records a failed attempt; returns how long the extract now waits. */
    Duration failed(Department department, DueExtract extract, RuntimeException error) {
        int attempts = extract.attempts() + 1;
        Duration wait = backoff(attempts);
        String reason = TransferFailure.describe(error);
        Optional<HostKeyRejectedException> hostKey = Causes.find(error, HostKeyRejectedException.class);
        transactions.executeWithoutResult(tx -> {
            jdbc.update("update extract set attempts = ?, next_attempt_at = ?, last_error = ? where id = ?",
                    attempts, Timestamp.from(clock.instant().plus(wait)), reason, extract.id());
            audit.record(AuditEventType.EXTRACT_DELIVERY_FAILED, department.code(), extract.id(), "fanout",
                    "attempt " + attempts + ": " + reason + "; next in " + wait);
            if (hostKey.isPresent() && attempts == 1) {
                // A host key that is unknown or has changed may be a man in the middle: tell operators at once.
                alerts.raise("HOST_KEY_REJECTED", department.code(), extract.id(), "the SFTP server of "
                        + department.code() + " presented a host key that is " + hostKey.get().reason()
                        + " (" + hostKey.get().fingerprint() + "); nothing was sent");
            }
            if (attempts == settings.alertAfterAttempts()) {
                alerts.raise("EXTRACT_DELIVERY_FAILING", department.code(), null,
                        "extract delivery to " + department.code() + " has failed " + attempts + " times");
            }
        });
        return wait;
    }

    Duration backoff(int attempts) {
        Duration wait = settings.retryBase().multipliedBy(1L << Math.min(attempts - 1, 20));
        return wait.compareTo(settings.retryMax()) > 0 ? settings.retryMax() : wait;
    }
}
