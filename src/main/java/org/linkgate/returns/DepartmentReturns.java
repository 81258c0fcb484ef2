package org.linkgate.returns;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.agreement.Department;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.linkgate.fanout.Extracts;
import org.linkgate.inbound.FileError;
import org.linkgate.inbound.InboundContext;
import org.linkgate.inbound.InboundFile;
import org.linkgate.inbound.InboundLedger;
import org.linkgate.inbound.InboundSide;
import org.linkgate.inbound.InboundStatus;
import org.linkgate.inbound.LedgerTables;
import org.linkgate.incident.IncidentCategory;
import org.linkgate.incident.Incidents;
import org.linkgate.kernel.GatewayMetrics;
import org.linkgate.transfer.ExtractDelivery;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Department returns as one side of the inbound lifecycle: names
 * {@code <DEPT>_<DATASET>_<EXTRACT_ID>.csv.gpg} of the department's own code, admitted while the
 * agreement allows the department to return data, signed by its registered key, read by
 * {@link ReturnStages}, all or nothing (ACCEPTED or REJECTED). The report goes where the department
 * collects its extracts, under a name unique to the received file, so a corrected return sent
 * under the same name gets a report of its own. A return carrying direct identifiers opens an
 * incident (cl. 13).
 */
@Component
public class DepartmentReturns implements InboundSide {

    /** Department returns: {@code return_file} and {@code received_return_content}; dataset and extract kept. */
    public static final LedgerTables LEDGER_TABLES = new LedgerTables(GatewayMetrics.Stage.RETURN, "department",
            "return_file", "department_code",
            "received_return_content", "first_return_id", Set.of("dataset", "extract_id"), "returns", "", "RETURN_QUARANTINED",
            new LedgerTables.Events(AuditEventType.RETURN_RECEIVED, AuditEventType.RETURN_DUPLICATE, AuditEventType.RETURN_ACCEPTED,
                    AuditEventType.RETURN_ACCEPTED, AuditEventType.RETURN_REJECTED, AuditEventType.RETURN_ARCHIVED,
                    AuditEventType.RETURN_QUARANTINED));

    /** {@code extract.last_error} of an extract withdrawn because its council data was destroyed (retention). */
    public static final String DATA_DESTROYED = "data destroyed";
    private static final int PURGE_CHUNK = 10_000;
    private final InboundLedger ledger;
    private final PartnerRegistry registry;
    private final AgreementPolicy agreement;
    private final ExtractDelivery delivery;
    private final LinkageQuality quality;
    private final Extracts extracts;
    private final Incidents incidents;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    public DepartmentReturns(PartnerRegistry registry, AgreementPolicy agreement, ExtractDelivery delivery,
                      LinkageQuality quality, Extracts extracts, Incidents incidents, JdbcTemplate jdbc, TransactionTemplate transactions,
                      AuditLog audit, Clock clock) {
        this.ledger = new InboundLedger(LEDGER_TABLES, jdbc, transactions, clock, audit);
        this.registry = registry;
        this.agreement = agreement;
        this.delivery = delivery;
        this.quality = quality;
        this.extracts = extracts;
        this.incidents = incidents;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    public InboundLedger ledger() {
        return ledger;
    }

    @Override
    public Optional<ReturnFileName> parseName(String partner, String fileName) {
        return ReturnFileName.parse(fileName).filter(n -> n.department().equals(partner));
    }

    @Override
    public Map<String, Object> ledgerDetails(Optional<?> name) {
        Map<String, Object> details = new HashMap<>();
        details.put("dataset", name.map(n -> ((ReturnFileName) n).dataset()).orElse(null));
        details.put("extract_id", name.map(n -> ((ReturnFileName) n).extractId()).orElse(null));
        return details;
    }

    @Override
    public Optional<FileError> admission(InboundContext file) {
        if (file.name().isEmpty()) {
            return Optional.of(ReturnErrors.FILE_NAME);
        }
        // Outside the term or after a termination a return is refused unopened (cl. 3, 15).
        AgreementPolicy.Decision permitted = agreement.returns(file.partner(), AgreementPolicy.today(clock));
        return permitted.allowed() ? Optional.empty()
                : Optional.of(new FileError(permitted.code(), permitted.message()));
    }

    @Override
    public PGPPublicKeyRing senderKey(String partner) {
        return registry.requireDepartment(partner).pgpPublicKey();
    }

    @Override
    public ReturnReport refusalReport(InboundContext file, FileError error) {
        return report(file.entry(), InboundStatus.REJECTED, null, new ReturnReport.Counts(0, 0),
                List.of(error), List.of(), null);
    }

    @Override
    public ReturnReport duplicateReport(InboundFile file, InboundFile original) {
        return report(file, InboundStatus.REJECTED, null, new ReturnReport.Counts(0, 0),
                List.of(new FileError("duplicate", "This content was already received; it was not loaded again.")),
                List.of(), new ReturnReport.DuplicateOf(original.receivedAt().toString(), original.fileName(),
                        original.status().reportStatus()));
    }

    @Override
    public Decision decide(InboundContext file) {
        ReturnPass pass = file.work();
        List<FileError> errors = pass.errors();
        boolean accepted = errors.isEmpty() && pass.staged == pass.rows;
        long loaded = accepted ? pass.staged : 0;
        InboundStatus status = accepted ? InboundStatus.ACCEPTED : InboundStatus.REJECTED;
        return new Decision(status, new InboundLedger.Counts(pass.rows, loaded, pass.rows - loaded), pass.schemaId,
                report(file.entry(), status, pass.schemaId, new ReturnReport.Counts(pass.rows, loaded), errors,
                        pass.findingCounts(), null));
    }

    @Override
    public void committed(InboundContext file, Decision decision) {
        ReturnPass pass = file.work();
        String department = file.partner();
        if (decision.status() == InboundStatus.ACCEPTED) {
            quality.record(pass.name.extractId(), pass.name.dataset());
            markReturnedWhenComplete(registry.requireDepartment(department), pass.name.extractId());
        }
        if (pass.findingCount > 0) {
            incidents.open(IncidentCategory.IDENTIFIERS_IN_RETURN, department, file.entry().id(),
                    "a return from " + department + " carried direct identifiers; it was rejected and nothing was loaded");
        }
    }

    /** An extract is returned once every dataset its department declares has an accepted return. */
    private void markReturnedWhenComplete(Department department, String extractId) {
        Long datasets = jdbc.queryForObject("select count(distinct dataset) from return_file where extract_id = ?"
                + " and status = 'ACCEPTED'", Long.class, extractId);
        if (datasets != null && datasets >= department.returnDatasets().size()) {
            extracts.markReturned(extractId, clock.instant());
        }
    }

    /** Deletes the rows staged under a return, in chunks of short transactions. */
    @Override
    public void purge(String fileId) {
        Long last = jdbc.queryForObject("select max(m) from (select max(row_number) as m from return_record"
                + " where return_id = ? union all select max(row_number) from return_match_status where return_id = ?) x",
                Long.class, fileId, fileId);
        if (last == null) {
            return;
        }
        for (long start = 0; start <= last; start += PURGE_CHUNK) {
            long from = start;
            long to = start + PURGE_CHUNK;
            transactions.executeWithoutResult(tx -> {
                jdbc.update("delete from return_record where return_id = ? and row_number >= ? and row_number < ?",
                        fileId, from, to);
                jdbc.update("delete from return_match_status where return_id = ? and row_number >= ? and row_number < ?",
                        fileId, from, to);
            });
        }
    }

    /**
     * {@code <received name>.<return id>.report.json.pgp}: unique to the received file, so a corrected
     * return sent under the same name never meets the earlier report (a department's own server
     * refuses to overwrite).
     */
    @Override
    public String reportName(InboundFile file) {
        return file.fileName() + "." + file.id() + ".report.json.pgp";
    }

    @Override
    public void deliverReport(String partner, Path sealedReport, String reportName) {
        delivery.deliver(registry.requireDepartment(partner), sealedReport, reportName);
    }

    private ReturnReport report(InboundFile file, InboundStatus status, String schemaId, ReturnReport.Counts counts,
                                List<FileError> errors, List<GuardFinding.Count> findings,
                                ReturnReport.DuplicateOf duplicateOf) {
        return new ReturnReport(ReturnReport.VERSION, file.fileName(), file.sha256(), file.partnerCode(),
                status.reportStatus(), file.receivedAt().toString(), clock.instant().toString(), schemaId, counts,
                List.copyOf(errors), List.copyOf(findings), duplicateOf);
    }

}
