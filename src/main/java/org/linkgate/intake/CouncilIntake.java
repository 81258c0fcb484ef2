package org.linkgate.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Header;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.agreement.Council;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.incident.IncidentCategory;
import org.linkgate.incident.Incidents;
import org.linkgate.intake.IntakeLedger.IntakeFile;
import org.linkgate.kernel.Alerts;
import org.linkgate.kernel.GatewayMetrics;
import org.linkgate.kernel.LinkgateProperties;
import org.linkgate.kernel.LogContext;
import org.linkgate.kernel.PartnerHeaders;
import org.linkgate.kernel.ReceivedFileCustody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes one file from a council's drop-zone to exactly one end: processed, rejected with a
 * report, or quarantined with an alert. Every step is recorded before the next, so a crash at
 * any point resumes where it stopped when the file is picked up again; the file leaves the
 * drop-zone only once its report is out.
 */
@Component("councilIntake")
public class CouncilIntake {

    private static final Logger LOG = LoggerFactory.getLogger(CouncilIntake.class);
    private final PartnerRegistry registry;
    private final IntakeLedger ledger;
    private final BatchIngestor ingestor;
    private final CouncilReportSender reports;
    private final ReceivedFileCustody custody;
    private final Alerts alerts;
    private final TransactionTemplate transactions;
    private final LinkgateProperties.Intake settings;
    private final Clock clock;
    private final ObjectMapper json;
    private final AgreementPolicy agreement;
    private final GatewayMetrics metrics;
    private final Incidents incidents;

    public CouncilIntake(PartnerRegistry registry, IntakeLedger ledger, BatchIngestor ingestor,
                         CouncilReportSender reports, ReceivedFileCustody custody, Alerts alerts, TransactionTemplate transactions,
                         LinkgateProperties properties, Clock clock, ObjectMapper json, AgreementPolicy agreement,
                         Incidents incidents, GatewayMetrics metrics) {
        this.agreement = agreement;
        this.incidents = incidents;
        this.metrics = metrics;
        this.registry = registry;
        this.ledger = ledger;
        this.ingestor = ingestor;
        this.reports = reports;
        this.custody = custody;
        this.alerts = alerts;
        this.transactions = transactions;
        this.settings = properties.intake();
        this.clock = clock;
        this.json = json;
    }

    /** Called by the intake route for each complete file in a council's inbound folder. */
    public void receive(@Header(PartnerHeaders.FILE_PATH) String filePath, @Header(PartnerHeaders.COUNCIL) String councilCode) {
        long started = System.nanoTime();
        Council council = registry.requireCouncil(councilCode);
        Path file = Path.of(filePath);
        String name = file.getFileName().toString();
        FileDigest digest = FileDigest.of(file);
        Optional<CouncilBatchName> batchName = CouncilBatchName.parse(name)
                .filter(n -> n.councilCode().equals(council.code()));
        boolean echoable = batchName.isPresent() || CouncilBatchName.safeToEcho(name);
        String recordedName = echoable ? name : "unsafe-name-" + digest.sha256().substring(0, 16);

        IntakeLedger.Begun begun = ledger.begin(council.code(), recordedName, digest.sha256(), digest.size(),
                batchName.map(CouncilBatchName::period).orElse(null));
        IntakeFile intake = begun.file();
        MDC.put(LogContext.FILE_ID, intake.id());
        try {
            if (!echoable) {
                quarantine(intake, council, file, "file name breaks the contract and cannot be echoed in a report");
                // A file no contract allows landed in the drop-zone: one incident per council while it lasts.
                incidents.openOnce("UNEXPECTED_FILE|" + council.code() + "|hostile-name", IncidentCategory.UNEXPECTED_FILE,
                        council.code(), intake.id(), "a file with a name outside the contract arrived from "
                                + council.code() + "; it was quarantined unopened");
                recordOutcome(intake, council, started);
                return;
            }
            if (intake.attempts() > settings.maxAttempts()) {
                quarantine(intake, council, file, "processing failed " + settings.maxAttempts() + " times");
                recordOutcome(intake, council, started);
                return;
            }
            if (intake.status() == IntakeStatus.RECEIVED) {
                AgreementPolicy.Decision permitted = agreement.intake(council.code(), AgreementPolicy.today(clock));
                if (batchName.isEmpty()) {
                    rejectName(intake, council);
                } else if (!permitted.allowed()) {
                    // Outside the agreement nothing is opened: refused, reported and recorded (cl. 3, 15, 8.1).
                    reject(intake, council, new IntakeReport.FileError(permitted.code(), permitted.message()));
                } else {
                    IntakeStatus status = ingestor.ingest(intake, council, file);
                    LOG.info("council {} file {}: {}", council.code(), intake.id(), status);
                }
                recordOutcome(intake, council, started);
            } else if (intake.status() == IntakeStatus.DUPLICATE && intake.reportJson() == null) {
                completeDuplicate(intake, council);
                recordOutcome(intake, council, started);
            }
            IntakeFile done = ledger.find(intake.id()).orElseThrow();
            if (done.reportSentAt() == null) {
                Path report = reports.send(council, name, done.reportJson());
                ledger.reportSent(done.id(), council.code(), name + CouncilReportSender.REPORT_SUFFIX);
                metrics.file(council.code(), GatewayMetrics.Stage.REPORT, "sent", sizeOf(report), 0, 0, null);
            }
            archive(done, council, file);
        } finally {
            MDC.remove(LogContext.FILE_ID);
        }
    }

    /** Counts the outcome just recorded in the ledger: once per file, when it reaches its end in this call. */
    private void recordOutcome(IntakeFile intake, Council council, long startedNanos) {
        IntakeLedger.Outcome outcome = ledger.outcome(intake.id());
        metrics.file(council.code(), GatewayMetrics.Stage.INTAKE, outcome.status().name(), intake.sizeBytes(),
                outcome.rowsAccepted(), outcome.rowsRejected(), Duration.ofNanos(System.nanoTime() - startedNanos));
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException | RuntimeException e) {
            return 0; // already collected by the council: the count still stands
        }
    }

    private void rejectName(IntakeFile intake, Council council) {
        reject(intake, council, CouncilIntakeErrors.fileName());
    }

    private void reject(IntakeFile intake, Council council, IntakeReport.FileError error) {
        IntakeReport report = report(intake, council, List.of(error), null);
        transactions.executeWithoutResult(tx -> ledger.complete(intake.id(), IntakeStatus.REJECTED, 0, 0, 0,
                null, null, null, toJson(report)));
    }

    private void completeDuplicate(IntakeFile intake, Council council) {
        IntakeFile original = ledger.find(intake.duplicateOf()).orElseThrow();
        IntakeReport report = report(intake, council, List.of(new IntakeReport.FileError("duplicate",
                        "This content was already received; it was not processed again.")),
                new IntakeReport.DuplicateOf(original.receivedAt().toString(), original.fileName(),
                        original.status().reportStatus()));
        transactions.executeWithoutResult(tx -> ledger.complete(intake.id(), IntakeStatus.DUPLICATE, 0, 0, 0,
                null, null, null, toJson(report)));
    }

    private IntakeReport report(IntakeFile intake, Council council, List<IntakeReport.FileError> errors,
                                IntakeReport.DuplicateOf duplicateOf) {
        return new IntakeReport(IntakeReport.VERSION, intake.fileName(), intake.sha256(), council.code(),
                IntakeStatus.REJECTED.reportStatus(), intake.receivedAt().toString(), clock.instant().toString(),
                null, new IntakeReport.Counts(0, 0, 0), errors, List.of(), false, Map.of(), duplicateOf);
    }

    /** Moves the file, still encrypted to the gateway key, out of the drop-zone into the archive. */
    private void archive(IntakeFile intake, Council council, Path file) {
        ledger.archived(intake.id(), council.code(), custody.archive(council.code(), intake.id(), file, false));
    }

    /** Ends a file in quarantine with an alert for operators. */
    void quarantine(IntakeFile intake, Council council, Path file, String reason) {
        ledger.quarantined(intake.id(), council.code(), custody.quarantine(council.code(), intake.id(), file, false), reason);
        alerts.raise("FILE_QUARANTINED", council.code(), intake.id(),
                "a file from " + council.code() + " was quarantined: " + reason);
    }

    private String toJson(IntakeReport report) {
        try {
            return json.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
