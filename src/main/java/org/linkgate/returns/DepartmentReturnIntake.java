package org.linkgate.returns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Exchange;
import org.linkgate.agreement.Department;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.incident.IncidentCategory;
import org.linkgate.incident.Incidents;
import org.linkgate.intake.CouncilBatchName;
import org.linkgate.intake.FileDigest;
import org.linkgate.kernel.Alerts;
import org.linkgate.kernel.GatewayMetrics;
import org.linkgate.kernel.LinkgateProperties;
import org.linkgate.kernel.LogContext;
import org.linkgate.kernel.PartnerHeaders;
import org.linkgate.kernel.ReceivedFileCustody;
import org.linkgate.kernel.SealedReports;
import org.linkgate.transfer.ExtractDelivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes one return file from a department to exactly one end — loaded, rejected with a report
 * to the department, or quarantined with an alert — with the same crash-safe steps as council
 * intake. A return carrying direct identifiers, or failing its signature, also opens an
 * incident (cl. 13). Called by route {@code returns-<dept>}.
 */
@Component("departmentReturnIntake")
public class DepartmentReturnIntake {

    private static final Logger LOG = LoggerFactory.getLogger(DepartmentReturnIntake.class);
    private static final Set<String> SIGNATURE_FAILURES = Set.of("unsigned", "wrong_signer", "bad_signature",
            "integrity_check_failed", "no_integrity_protection");
    private final PartnerRegistry registry;
    private final ReturnLedger ledger;
    private final ReturnFileProcessor processor;
    private final ExtractDelivery delivery;
    private final Incidents incidents;
    private final Alerts alerts;
    private final ReceivedFileCustody custody;
    private final SealedReports sealed;
    private final GatewayPgpKey gatewayKey;
    private final TransactionTemplate transactions;
    private final JdbcTemplate jdbc;
    private final LinkgateProperties.Intake limits;
    private final Clock clock;
    private final ObjectMapper json;
    private final GatewayMetrics metrics;

    public DepartmentReturnIntake(PartnerRegistry registry, ReturnLedger ledger, ReturnFileProcessor processor,
                                  ExtractDelivery delivery, Incidents incidents, Alerts alerts,
                                  ReceivedFileCustody custody, SealedReports sealed,
                                  GatewayPgpKey gatewayKey, TransactionTemplate transactions, JdbcTemplate jdbc,
                                  LinkgateProperties properties, Clock clock, ObjectMapper json, GatewayMetrics metrics) {
        this.metrics = metrics;
        this.registry = registry;
        this.ledger = ledger;
        this.processor = processor;
        this.delivery = delivery;
        this.incidents = incidents;
        this.alerts = alerts;
        this.custody = custody;
        this.sealed = sealed;
        this.gatewayKey = gatewayKey;
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.limits = properties.intake();
        this.clock = clock;
        this.json = json;
    }

    public void receive(Exchange exchange) {
        long started = System.nanoTime();
        Department department = registry.requireDepartment(exchange.getIn().getHeader(PartnerHeaders.DEPARTMENT, String.class));
        // A remote return arrives as a local work copy; an embedded one is read where it lies.
        String localCopy = exchange.getIn().getHeader("CamelFileLocalWorkPath", String.class);
        boolean remote = localCopy != null;
        Path file = Path.of(remote ? localCopy : exchange.getIn().getHeader(Exchange.FILE_PATH, String.class));
        String name = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, file.getFileName().toString(), String.class);
        FileDigest digest = FileDigest.of(file);
        Optional<ReturnFileName> parsed = ReturnFileName.parse(name).filter(n -> n.department().equals(department.code()));
        boolean echoable = parsed.isPresent() || CouncilBatchName.safeToEcho(name);
        String recordedName = echoable ? name : "unsafe-name-" + digest.sha256().substring(0, 16);

        ReturnLedger.Begun begun = ledger.begin(department.code(), recordedName, digest.sha256(), digest.size(),
                parsed.map(ReturnFileName::dataset).orElse(null), parsed.map(ReturnFileName::extractId).orElse(null));
        ReturnLedger.ReturnFile entry = begun.file();
        try (LogContext.Scope scope = LogContext.fileId(entry.id())) {
            receive(exchange, department, file, remote, name, parsed, echoable, entry, digest.size(), started);
        }
    }

    private void receive(Exchange exchange, Department department, Path file, boolean remote, String name,
                         Optional<ReturnFileName> parsed, boolean echoable, ReturnLedger.ReturnFile entry,
                         long bytes, long started) {
        if (!echoable || entry.attempts() > limits.maxAttempts()) {
            quarantine(entry, department, file, remote, echoable ? "processing failed repeatedly" : "unsafe file name");
            if (!echoable) {
                incidents.openOnce("UNEXPECTED_FILE|" + department.code() + "|hostile-name", IncidentCategory.UNEXPECTED_FILE,
                        department.code(), entry.id(), "a file with a name outside the contract arrived from "
                                + department.code() + "; it was quarantined unopened");
            }
            metrics.file(department.code(), GatewayMetrics.Stage.RETURN, "quarantined", bytes, 0, 0,
                    Duration.ofNanos(System.nanoTime() - started));
            return;
        }
        if ("RECEIVED".equals(entry.status())) {
            if (parsed.isEmpty()) {
                complete(entry, "REJECTED", 0, 0, null, List.of(Map.of("rule", "file_name", "message",
                        "The file name does not follow <DEPT>_<DATASET>_<EXTRACT_ID>.csv.gpg for this department.")), List.of());
                metrics.file(department.code(), GatewayMetrics.Stage.RETURN, "rejected", bytes, 0, 0,
                        Duration.ofNanos(System.nanoTime() - started));
            } else {
                ReturnOutcome outcome = process(entry, department, parsed.get(), file);
                metrics.file(department.code(), GatewayMetrics.Stage.RETURN, outcome.accepted() ? "accepted" : "rejected",
                        bytes, outcome.loaded(), Math.max(0, outcome.rows() - outcome.loaded()),
                        Duration.ofNanos(System.nanoTime() - started));
            }
        } else if ("DUPLICATE".equals(entry.status()) && entry.reportJson() == null) {
            complete(entry, "DUPLICATE", 0, 0, null, List.of(Map.of("rule", "duplicate",
                    "message", "This content was already received; it was not loaded again.")), List.of());
            metrics.file(department.code(), GatewayMetrics.Stage.RETURN, "duplicate", bytes, 0, 0,
                    Duration.ofNanos(System.nanoTime() - started));
        }
        ReturnLedger.ReturnFile done = ledger.find(entry.id());
        if (done.reportSentAt() == null) {
            sendReport(department, name, done.reportJson());
            ledger.reportSent(done.id(), department.code(), name + ".report.json.pgp");
            metrics.file(department.code(), GatewayMetrics.Stage.REPORT, "sent", 0, 0, 0, null);
        }
        archive(done, department, file, remote);
    }

    private ReturnOutcome process(ReturnLedger.ReturnFile entry, Department department, ReturnFileName name, Path file) {
        ReturnOutcome outcome = processor.process(file, entry.id(), department, name, gatewayKey);
        List<Map<String, Object>> errors = outcome.fileErrors().stream()
                .map(e -> Map.<String, Object>of("rule", e.rule(), "message", e.message())).toList();
        List<Map<String, Object>> findings = outcome.findings().stream().limit(limits.maxReportedProblems())
                .map(f -> Map.<String, Object>of("row", f.row(), "column", f.column(), "rule", f.rule())).toList();
        transactions.executeWithoutResult(tx -> {
            complete(entry, outcome.accepted() ? "ACCEPTED" : "REJECTED", outcome.rows(), outcome.loaded(),
                    outcome.signerFingerprint(), errors, findings);
            if (outcome.accepted()) {
                processor.recordLinkageQuality(name.extractId(), name.dataset());
                markReturnedWhenComplete(department, name.extractId());
            }
            if (outcome.identifierIncident()) {
                incidents.open(IncidentCategory.IDENTIFIERS_IN_RETURN, department.code(), entry.id(),
                        "a return from " + department.code() + " carried direct identifiers; it was rejected and nothing was loaded");
            } else if (outcome.fileErrors().stream().anyMatch(e -> SIGNATURE_FAILURES.contains(e.rule()))) {
                incidents.openOnce("SIGNATURE_FAILURE|" + department.code(), IncidentCategory.SIGNATURE_FAILURE,
                        department.code(), entry.id(),
                        "a return claiming to come from " + department.code() + " failed its signature or integrity check");
            }
        });
        LOG.info("department {} return {}: {}", department.code(), entry.id(), outcome.accepted() ? "ACCEPTED" : "REJECTED");
        return outcome;
    }

    /** An extract is returned once every dataset its department declares has an accepted return. */
    private void markReturnedWhenComplete(Department department, String extractId) {
        Long datasets = jdbc.queryForObject("select count(distinct dataset) from return_file where extract_id = ?"
                + " and status = 'ACCEPTED'", Long.class, extractId);
        if (datasets != null && datasets >= department.returnDatasets().size()) {
            jdbc.update("update extract set status = 'RETURNED', returned_at = ? where id = ? and status = 'SENT'",
                    java.sql.Timestamp.from(clock.instant()), extractId);
        }
    }

    private void complete(ReturnLedger.ReturnFile entry, String status, long rows, long loaded, String signer,
                          List<Map<String, Object>> errors, List<Map<String, Object>> findings) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("reportVersion", 1);
        report.put("fileName", entry.fileName());
        report.put("sha256", entry.sha256());
        report.put("department", entry.departmentCode());
        report.put("status", "ACCEPTED".equals(status) ? "ACCEPTED" : "REJECTED");
        report.put("receivedAt", entry.receivedAt().toString());
        report.put("processedAt", clock.instant().toString());
        report.put("counts", Map.of("rows", rows, "loaded", loaded));
        report.put("fileErrors", errors);
        report.put("findings", findings);
        String reportJson;
        try {
            reportJson = json.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        transactions.executeWithoutResult(tx -> ledger.complete(entry.id(), status, rows, loaded, signer, reportJson));
    }

    private void sendReport(Department department, String fileName, String reportJson) {
        Path staged = sealed.stage(reportJson, department.pgpPublicKey(), fileName + ".report.json");
        try {
            delivery.deliver(department, staged, fileName + ".report.json.pgp");
        } finally {
            SealedReports.discard(staged);
        }
    }

    private void archive(ReturnLedger.ReturnFile entry, Department department, Path file, boolean remote) {
        ledger.archived(entry.id(), department.code(), custody.archive(department.code(), entry.id(), file, remote));
    }

    private void quarantine(ReturnLedger.ReturnFile entry, Department department, Path file, boolean remote, String reason) {
        ledger.quarantined(entry.id(), department.code(), custody.quarantine(department.code(), entry.id(), file, remote),
                reason);
        alerts.raise("RETURN_QUARANTINED", department.code(), entry.id(), "a return from " + department.code()
                + " was quarantined: " + reason);
    }
}
