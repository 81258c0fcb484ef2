package org.linkgate.intake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.linkgate.inbound.FileError;
import org.linkgate.inbound.InboundContext;
import org.linkgate.inbound.InboundFile;
import org.linkgate.inbound.InboundLedger;
import org.linkgate.inbound.InboundSide;
import org.linkgate.inbound.InboundStatus;
import org.linkgate.inbound.LedgerTables;
import org.linkgate.kernel.DataKeyStore;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.GatewayMetrics;
import org.linkgate.kernel.LinkgateProperties;
import org.linkgate.store.StagedRows;
import org.linkgate.validation.DatasetSchema;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Council batches as one side of the inbound lifecycle: names {@code <GSS>_<YYYY-MM>_<SEQ>.csv.gpg}
 * of the council's own code, admitted while the agreement allows the council to send, signed by
 * the council's registered key, read by {@link CouncilBatchStages}, reported as an
 * {@link IntakeReport} in the council's {@code outbound/} as {@code <name>.report.json.pgp}. An
 * accepted batch's research records take effect in the commit, with the extracts planned by
 * {@link AcceptedBatchListener}s in the same transaction.
 */
@Component
public class CouncilBatches implements InboundSide {

    /** Council batches: {@code intake_file} and {@code received_content}; a batch's period is kept. */
    public static final LedgerTables LEDGER_TABLES = new LedgerTables(GatewayMetrics.Stage.INTAKE, "council", "intake_file", "council_code",
            "received_content", "first_intake_id", Set.of("period"), "intake", "outbound/", "FILE_QUARANTINED",
            new LedgerTables.Events(AuditEventType.FILE_RECEIVED, AuditEventType.FILE_DUPLICATE, AuditEventType.FILE_ACCEPTED,
                    AuditEventType.FILE_PARTIALLY_ACCEPTED, AuditEventType.FILE_REJECTED, AuditEventType.FILE_ARCHIVED,
                    AuditEventType.FILE_QUARANTINED));

    /** The report of a file goes out as the file's name with this suffix (CONTRACT). */
    public static final String REPORT_SUFFIX = ".report.json.pgp";
    private final InboundLedger ledger;
    private final PartnerRegistry registry;
    private final AgreementPolicy agreement;
    private final DatasetSchema schema;
    private final GatewayHome home;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final DataKeyStore dataKeys;
    private final LinkgateProperties.Intake settings;
    private final List<AcceptedBatchListener> listeners;
    private final Clock clock;

    public CouncilBatches(PartnerRegistry registry, AgreementPolicy agreement, DatasetSchema schema, GatewayHome home,
                       JdbcTemplate jdbc, TransactionTemplate transactions, DataKeyStore dataKeys, AuditLog audit,
                       LinkgateProperties properties, List<AcceptedBatchListener> listeners, Clock clock) {
        this.ledger = new InboundLedger(LEDGER_TABLES, jdbc, transactions, clock, audit);
        this.registry = registry;
        this.agreement = agreement;
        this.schema = schema;
        this.home = home;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.dataKeys = dataKeys;
        this.settings = properties.intake();
        this.listeners = List.copyOf(listeners);
        this.clock = clock;
    }

    @Override
    public InboundLedger ledger() {
        return ledger;
    }

    @Override
    public Optional<CouncilBatchName> parseName(String partner, String fileName) {
        return CouncilBatchName.parse(fileName).filter(n -> n.councilCode().equals(partner));
    }

    @Override
    public Map<String, Object> ledgerDetails(Optional<?> name) {
        Map<String, Object> details = new HashMap<>();
        details.put("period", name.map(n -> ((CouncilBatchName) n).period()).orElse(null));
        return details;
    }

    @Override
    public Optional<FileError> admission(InboundContext file) {
        if (file.name().isEmpty()) {
            return Optional.of(CouncilIntakeErrors.fileName());
        }
        // Outside the agreement nothing is opened: refused, reported and recorded (cl. 3, 15, 8.1).
        AgreementPolicy.Decision permitted = agreement.intake(file.partner(), AgreementPolicy.today(clock));
        return permitted.allowed() ? Optional.empty()
                : Optional.of(new FileError(permitted.code(), permitted.message()));
    }

    @Override
    public PGPPublicKeyRing senderKey(String partner) {
        return registry.requireCouncil(partner).pgpPublicKey();
    }

    @Override
    public IntakeReport refusalReport(InboundContext file, FileError error) {
        return report(file.entry(), InboundStatus.REJECTED, new IntakeReport.Counts(0, 0, 0), List.of(error),
                new ProblemCollector(1), null, null);
    }

    @Override
    public IntakeReport duplicateReport(InboundFile file, InboundFile original) {
        return report(file, InboundStatus.REJECTED, new IntakeReport.Counts(0, 0, 0),
                List.of(new FileError("duplicate", "This content was already received; it was not processed again.")),
                new ProblemCollector(1), null, new IntakeReport.DuplicateOf(original.receivedAt().toString(),
                        original.fileName(), original.status().reportStatus()));
    }

    @Override
    public Decision decide(InboundContext file) {
        CouncilBatchPass pass = file.work();
        InboundStatus status = status(pass);
        long accepted = status.takesEffect() ? pass.accepted() : 0;
        IntakeReport.Counts counts = new IntakeReport.Counts(pass.rows, accepted, pass.rows - accepted);
        return new Decision(status, new InboundLedger.Counts(pass.rows, accepted, pass.rows - accepted), schemaId(),
                report(file.entry(), status, counts, pass.fileErrors, pass.problems, schemaId(), null));
    }

    private InboundStatus status(CouncilBatchPass pass) {
        if (!pass.fileErrors.isEmpty()) {
            return InboundStatus.REJECTED;
        }
        if (pass.rows == 0) {
            pass.fileErrors.add(CouncilIntakeErrors.NO_ROWS);
            return InboundStatus.REJECTED;
        }
        pass.writer.removeLaterDuplicates(row -> {
            pass.droppedRows.add(row);
            pass.problems.addRow(List.of(new IntakeReport.RowProblem(row, "person_ref", "unique")));
        });
        if ((double) pass.problems.badRows() / pass.rows > settings.maxBadRowShare()) {
            pass.fileErrors.add(CouncilIntakeErrors.tooManyBadRows(settings.maxBadRowShare()));
            return InboundStatus.REJECTED;
        }
        pass.writer.computeFamilySizes();
        return pass.problems.badRows() == 0 ? InboundStatus.ACCEPTED : InboundStatus.PARTIAL;
    }

    @Override
    public void committed(InboundContext file, Decision decision) {
        if (decision.status().takesEffect()) {
            CouncilBatchPass pass = file.work();
            AcceptedBatch batch = new AcceptedBatch(file.entry().id(), file.partner(),
                    file.<CouncilBatchName>name().orElseThrow().period(), pass.droppedRows);
            listeners.forEach(listener -> listener.accepted(batch));
        }
    }

    @Override
    public void purge(String fileId) {
        StagedRows.purge(jdbc, transactions, fileId);
        listeners.forEach(listener -> listener.discarded(fileId));
        transactions.executeWithoutResult(tx -> {
            // Crypto-shredding: any copy of the staged identities is unreadable once the key is gone.
            String keyId = jdbc.queryForObject("select data_key_id from intake_file where id = ?", String.class, fileId);
            if (keyId != null) {
                dataKeys.destroy(keyId);
                jdbc.update("update intake_file set data_key_id = null where id = ?", fileId);
            }
        });
    }

    @Override
    public String reportName(InboundFile file) {
        return file.fileName() + REPORT_SUFFIX;
    }

    /** Renames the sealed report into the council's outbound/: a council never sees half a report. */
    @Override
    public void deliverReport(String partner, Path sealedReport, String reportName) {
        Path outbound = GatewayHome.ensureDirectory(home.outbound(partner));
        try {
            Files.move(sealedReport, outbound.resolve(reportName), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish a report for " + partner, e);
        }
    }

    /** The schema's id as reports and the ledger name it, e.g. council-batch-v1. */
    String schemaId() {
        return schema.datasetId() + "-v" + schema.version();
    }

    private IntakeReport report(InboundFile file, InboundStatus status, IntakeReport.Counts counts,
                                List<FileError> errors, ProblemCollector problems, String schemaId,
                                IntakeReport.DuplicateOf duplicateOf) {
        return new IntakeReport(IntakeReport.VERSION, file.fileName(), file.sha256(), file.partnerCode(),
                status.reportStatus(), file.receivedAt().toString(), clock.instant().toString(), schemaId, counts,
                List.copyOf(errors), problems.listed(), problems.truncated(), problems.countsByRule(), duplicateOf);
    }

}
