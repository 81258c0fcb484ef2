package org.linkgate.fanout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Header;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.agreement.Department;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.linkgate.kernel.Alerts;
import org.linkgate.kernel.Causes;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.GatewayMetrics;
import org.linkgate.kernel.LinkgateProperties;
import org.linkgate.kernel.PartnerHeaders;
import org.linkgate.transfer.ExtractDelivery;
import org.linkgate.transfer.HostKeyRejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends a department its due extracts, one at a time, each exactly once: the extract is written
 * (streamed, encrypted and signed) to a staging file, delivered, then recorded as sent with its
 * return due date. A failed delivery is retried with doubling back-off; the department's other
 * extracts wait, other departments are not held up (each has its own route), and operators are
 * alerted when failures persist.
 */
@Component("fanoutService")
public class FanoutService {

    private static final Logger LOG = LoggerFactory.getLogger(FanoutService.class);
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final PartnerRegistry registry;
    private final ExtractWriter writer;
    private final ExtractDelivery delivery;
    private final GatewayHome home;
    private final AuditLog audit;
    private final Alerts alerts;
    private final LinkgateProperties.Departments settings;
    private final Clock clock;
    private final AgreementPolicy agreement;
    private final GatewayMetrics metrics;

    public FanoutService(JdbcTemplate jdbc, TransactionTemplate transactions, PartnerRegistry registry,
                         ExtractWriter writer, ExtractDelivery delivery, GatewayHome home, AuditLog audit, Alerts alerts,
                         LinkgateProperties properties, Clock clock, AgreementPolicy agreement, GatewayMetrics metrics) {
        this.agreement = agreement;
        this.metrics = metrics;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.registry = registry;
        this.writer = writer;
        this.delivery = delivery;
        this.home = home;
        this.audit = audit;
        this.alerts = alerts;
        this.settings = properties.departments();
        this.clock = clock;
    }

    record DueExtract(String id, String intakeId, String councilCode, String period, String fileName, int attempts) {
    }

    /** Called by route {@code fanout-<dept>}: sends what is due, stopping at the first failure. */
    public void sendDue(@Header(PartnerHeaders.DEPARTMENT) String departmentCode) {
        Department department = registry.requireDepartment(departmentCode);
        List<DueExtract> due = jdbc.query("select e.id, e.intake_id, e.council_code, e.period, e.file_name, e.attempts"
                        + " from extract e where e.department_code = ?"
                        + " and e.status = 'PENDING' and e.next_attempt_at <= ? order by e.created_at",
                (rs, n) -> new DueExtract(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getInt(6)),
                department.code(), Timestamp.from(clock.instant()));
        for (DueExtract extract : due) {
            AgreementPolicy.Decision permitted = agreement.flow(extract.councilCode(), department.code(),
                    AgreementPolicy.today(clock));
            if (!permitted.allowed()) {
                // The agreement ended or a party was terminated since the extract was planned: never send it.
                refuse(department, extract, permitted);
                continue;
            }
            long started = System.nanoTime();
            try {
                send(department, extract, started);
            } catch (RuntimeException e) {
                failed(department, extract, e);
                metrics.file(department.code(), GatewayMetrics.Stage.EXTRACT, "failed", 0, 0, 0,
                        Duration.ofNanos(System.nanoTime() - started));
                return; // the endpoint is probably down: the rest wait for the next attempt
            }
        }
    }

    private void send(Department department, DueExtract extract, long started) {
        if (delivery.alreadyDelivered(department, extract.fileName())) {
            // Delivered before a crash took the record with it: record it, never send it twice.
            Long rows = jdbc.queryForObject("select count(*) from extract_member where extract_id = ?", Long.class, extract.id());
            markSent(department, extract, rows == null ? 0 : rows, null);
            metrics.file(department.code(), GatewayMetrics.Stage.EXTRACT, "sent", 0, rows == null ? 0 : rows, 0,
                    Duration.ofNanos(System.nanoTime() - started));
            return;
        }
        Path staged = GatewayHome.ensureDirectory(home.outgoingStaging()).resolve(extract.id() + ".pgp");
        try {
            ExtractResult result = writer.write(extract.id(), extract.intakeId(), department, staged);
            delivery.deliver(department, staged, extract.fileName());
            markSent(department, extract, result.rows(), result.sha256());
            metrics.file(department.code(), GatewayMetrics.Stage.EXTRACT, "sent", result.sizeBytes(), result.rows(), 0,
                    Duration.ofNanos(System.nanoTime() - started));
        } finally {
            try {
                Files.deleteIfExists(staged);
            } catch (IOException e) {
                LOG.warn("could not remove staged extract {}", extract.id());
            }
        }
    }

    private void markSent(Department department, DueExtract extract, long rows, String sha256) {
        Instant now = clock.instant();
        transactions.executeWithoutResult(tx -> {
            jdbc.update("update extract set status = 'SENT', rows_sent = ?, sha256 = ?, sent_at = ?, due_at = ?,"
                            + " attempts = attempts + 1, last_error = null where id = ?",
                    rows, sha256, Timestamp.from(now), Timestamp.from(now.plus(department.returnDue())), extract.id());
            audit.record(AuditEventType.EXTRACT_SENT, department.code(), extract.id(), "fanout",
                    "file=" + extract.fileName() + " rows=" + rows);
        });
    }

    private void refuse(Department department, DueExtract extract, AgreementPolicy.Decision decision) {
        transactions.executeWithoutResult(tx -> {
            jdbc.update("update extract set status = 'REFUSED', last_error = ? where id = ?", decision.code(), extract.id());
            audit.record(AuditEventType.FLOW_REFUSED, department.code(), extract.id(), "fanout", decision.code());
        });
        metrics.file(department.code(), GatewayMetrics.Stage.EXTRACT, "refused", 0, 0, 0, null);
        LOG.warn("extract {} to {} not sent: {}", extract.id(), department.code(), decision.message());
    }

    private void failed(Department department, DueExtract extract, RuntimeException error) {
        int attempts = extract.attempts() + 1;
        Duration wait = backoff(attempts);
        String reason = describe(error);
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
        LOG.warn("delivery of extract {} to {} failed (attempt {}), retrying in {}: {}", extract.id(), department.code(),
                attempts, wait, error.toString());
    }

    /** The most telling cause: its type, and for a rejected host key why. Never a message that could echo data. */
    static String describe(Throwable error) {
        Optional<HostKeyRejectedException> hostKey = Causes.find(error, HostKeyRejectedException.class);
        if (hostKey.isPresent()) {
            return "HostKeyRejectedException(" + hostKey.get().reason() + ")";
        }
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }

    Duration backoff(int attempts) {
        Duration wait = settings.retryBase().multipliedBy(1L << Math.min(attempts - 1, 20));
        return wait.compareTo(settings.retryMax()) > 0 ? settings.retryMax() : wait;
    }
}
