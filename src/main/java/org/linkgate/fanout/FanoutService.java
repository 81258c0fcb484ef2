package org.linkgate.fanout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.Header;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.agreement.Department;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.GatewayMetrics;
import org.linkgate.kernel.PartnerHeaders;
import org.linkgate.transfer.ExtractDelivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sends a department its due extracts, one at a time, each exactly once: the extract is written
 * (streamed, encrypted and signed) to a staging file, delivered, then recorded as sent with its
 * return due date ({@link ExtractLedger}). A failed delivery is retried with doubling back-off; the
 * department's other extracts wait, other departments are not held up (each has its own route), and
 * operators are alerted when failures persist.
 */
@Component("fanoutService")
public class FanoutService {

    private static final Logger LOG = LoggerFactory.getLogger(FanoutService.class);
    private final ExtractLedger ledger;
    private final PartnerRegistry registry;
    private final ExtractWriter writer;
    private final ExtractDelivery delivery;
    private final GatewayHome home;
    private final AgreementPolicy agreement;
    private final GatewayMetrics metrics;
    private final Clock clock;

    public FanoutService(ExtractLedger ledger, PartnerRegistry registry, ExtractWriter writer, ExtractDelivery delivery,
                         GatewayHome home, AgreementPolicy agreement, GatewayMetrics metrics, Clock clock) {
        this.ledger = ledger;
        this.registry = registry;
        this.writer = writer;
        this.delivery = delivery;
        this.home = home;
        this.agreement = agreement;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Called by route {@code fanout-<dept>}: sends what is due, stopping at the first failure. */
    public void sendDue(@Header(PartnerHeaders.DEPARTMENT) String departmentCode) {
        Department department = registry.requireDepartment(departmentCode);
        for (ExtractLedger.DueExtract extract : ledger.due(department)) {
            AgreementPolicy.Decision permitted = agreement.flow(extract.councilCode(), department.code(),
                    AgreementPolicy.today(clock));
            if (!permitted.allowed()) {
                // The agreement ended or a party was terminated since the extract was planned: never send it.
                ledger.refuse(department, extract, permitted);
                metrics.file(department.code(), GatewayMetrics.Stage.EXTRACT, "refused", 0, 0, 0, null);
                LOG.warn("extract {} to {} not sent: {}", extract.id(), department.code(), permitted.message());
                continue;
            }
            long started = System.nanoTime();
            try {
                send(department, extract, started);
            } catch (RuntimeException e) {
                Duration wait = ledger.failed(department, extract, e);
                LOG.warn("delivery of extract {} to {} failed (attempt {}), retrying in {}: {}", extract.id(),
                        department.code(), extract.attempts() + 1, wait, e.toString());
                metrics.file(department.code(), GatewayMetrics.Stage.EXTRACT, "failed", 0, 0, 0,
                        Duration.ofNanos(System.nanoTime() - started));
                return; // the endpoint is probably down: the rest wait for the next attempt
            }
        }
    }

    private void send(Department department, ExtractLedger.DueExtract extract, long started) {
        if (delivery.alreadyDelivered(department, extract.fileName())) {
            // Delivered before a crash took the record with it: record it, never send it twice.
            long rows = ledger.members(extract.id());
            ledger.markSent(department, extract, rows, null);
            metrics.file(department.code(), GatewayMetrics.Stage.EXTRACT, "sent", 0, rows, 0,
                    Duration.ofNanos(System.nanoTime() - started));
            return;
        }
        Path staged = GatewayHome.ensureDirectory(home.outgoingStaging()).resolve(extract.id() + ".pgp");
        try {
            ExtractResult result = writer.write(extract.id(), extract.intakeId(), department, staged);
            delivery.deliver(department, staged, extract.fileName());
            ledger.markSent(department, extract, result.rows(), result.sha256());
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
}
