package org.linkgate.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.linkgate.agreement.Council;
import org.linkgate.crypto.AesGcm;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.PgpDecryptVerifier;
import org.linkgate.crypto.PgpLimits;
import org.linkgate.crypto.PgpVerificationException;
import org.linkgate.crypto.VerifiedPlaintext;
import org.linkgate.fanout.ExtractPlanner;
import org.linkgate.incident.IncidentCategory;
import org.linkgate.incident.Incidents;
import org.linkgate.intake.IntakeLedger.IntakeFile;
import org.linkgate.kernel.Causes;
import org.linkgate.kernel.DataKeyStore;
import org.linkgate.kernel.LinkgateProperties;
import org.linkgate.pseudonymisation.IdentityRecord;
import org.linkgate.pseudonymisation.PseudonymisationKey;
import org.linkgate.pseudonymisation.Pseudonymiser;
import org.linkgate.pseudonymisation.ResearchVariableDeriver;
import org.linkgate.store.ResearchStoreWriter;
import org.linkgate.store.StagedRows;
import org.linkgate.validation.CsvBatchReader;
import org.linkgate.validation.CsvLimits;
import org.linkgate.validation.CsvRow;
import org.linkgate.validation.DatasetSchema;
import org.linkgate.validation.HeaderCheck;
import org.linkgate.validation.MalformedBatchException;
import org.linkgate.validation.RowValidator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.StreamUtils;

/**
 * Takes one council file through decrypt, verify, validate, derive, pseudonymise and store in a
 * single streaming pass. Rows are staged as they stream, in short transactions, under the
 * file's intake id; they become research records only with the final commit that records the
 * file ACCEPTED or PARTIAL, made after the signature and integrity check at the end of the
 * message pass. A rejected file's staged rows are purged. Research reads only finished files,
 * so nothing from a file takes effect before it is verified, and memory stays flat however
 * large the file. Input: a file the ledger has begun. Output: its final status and report.
 */
@Component
public class BatchIngestor {

    /** Verification failures of a file claiming to come from a known council: an incident (cl. 13). */
    static final java.util.Set<String> SIGNATURE_FAILURES = java.util.Set.of("unsigned", "wrong_signer",
            "bad_signature", "integrity_check_failed", "no_integrity_protection");

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final DataKeyStore dataKeys;
    private final IntakeLedger ledger;
    private final PseudonymisationKey pseudonymisationKey;
    private final DatasetSchema schema;
    private final GatewayPgpKey gatewayKey;
    private final LinkgateProperties.Intake settings;
    private final Clock clock;
    private final ObjectMapper json;
    private final ExtractPlanner extractPlanner;
    private final Incidents incidents;

    public BatchIngestor(JdbcTemplate jdbc, TransactionTemplate transactions, DataKeyStore dataKeys,
                         IntakeLedger ledger, PseudonymisationKey pseudonymisationKey, DatasetSchema schema,
                         GatewayPgpKey gatewayKey, LinkgateProperties properties, Clock clock, ObjectMapper json,
                         ExtractPlanner extractPlanner, Incidents incidents) {
        this.extractPlanner = extractPlanner;
        this.incidents = incidents;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.dataKeys = dataKeys;
        this.ledger = ledger;
        this.pseudonymisationKey = pseudonymisationKey;
        this.schema = schema;
        this.gatewayKey = gatewayKey;
        this.settings = properties.intake();
        this.clock = clock;
        this.json = json;
    }

    /** Processes the file and records its outcome; returns the final status. */
    public IntakeStatus ingest(IntakeFile file, Council council, Path path) {
        // Leftovers of an attempt interrupted by a crash are staged rows only: remove them first.
        StagedRows.purge(jdbc, transactions, dataKeys, file.id());
        Pass pass = new Pass(file, council);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            VerifiedPlaintext message = new PgpDecryptVerifier().open(raw, gatewayKey, council.pgpPublicKey(),
                    new PgpLimits(settings.maxPlaintextSize().toBytes(), settings.maxCompressionRatio(),
                            Files.size(path)));
            InputStream plaintext = message.plaintext();
            pass.readCsv(StreamUtils.nonClosing(plaintext));
            // The signature trails the data: read what the CSV reader left, then verify.
            plaintext.transferTo(java.io.OutputStream.nullOutputStream());
            pass.signer = message.verify();
        } catch (IOException | RuntimeException e) {
            // A verification failure can surface from any read of the plaintext, wrapped or not.
            Optional<PgpVerificationException> pgp = Causes.find(e, PgpVerificationException.class);
            if (pgp.isEmpty()) {
                throw e instanceof IOException io ? new UncheckedIOException("cannot read file " + file.id(), io)
                        : (RuntimeException) e;
            }
            pass.fileErrors.clear();
            pass.fileErrors.add(CouncilIntakeErrors.of(pgp.get().reason()));
        }
        IntakeStatus status = pass.decide();
        if (status == IntakeStatus.REJECTED) {
            StagedRows.purge(jdbc, transactions, dataKeys, file.id());
        }
        IntakeReport report = pass.report(status);
        // The one commit that makes staged rows research records (or records the rejection), and
        // plans the department extracts of an accepted batch.
        transactions.executeWithoutResult(tx -> {
            ledger.complete(file.id(), status, pass.rows, pass.accepted(status), pass.rows - pass.accepted(status),
                    pass.signer, schemaId(schema), status == IntakeStatus.REJECTED ? null : pass.dataKeyId, toJson(report));
            if (status != IntakeStatus.REJECTED) {
                extractPlanner.plan(file.id(), council.code(), file.period());
            }
            if (pass.fileErrors.stream().anyMatch(e -> SIGNATURE_FAILURES.contains(e.rule()))) {
                // One incident per council while it lasts: a run of bad files is one condition (cl. 13).
                incidents.openOnce("SIGNATURE_FAILURE|" + council.code(), IncidentCategory.SIGNATURE_FAILURE,
                        council.code(), file.id(), "a file claiming to come from " + council.code()
                                + " failed its signature or integrity check; it was rejected and nothing was loaded");
            }
        });
        return status;
    }

    /** State of one pass over one file. */
    private final class Pass {
        final IntakeFile file;
        final Council council;
        final ProblemCollector problems = new ProblemCollector(settings.maxReportedProblems());
        final List<IntakeReport.FileError> fileErrors = new ArrayList<>();
        ResearchStoreWriter writer;
        String dataKeyId;
        String signer;
        long rows;

        Pass(IntakeFile file, Council council) {
            this.file = file;
            this.council = council;
        }

        void readCsv(InputStream plaintext) throws IOException {
            try (CsvBatchReader reader = new CsvBatchReader(plaintext, schema, CsvLimits.DEFAULTS)) {
                HeaderCheck header = reader.header();
                if (!header.problems().isEmpty()) {
                    header.problems().forEach(p -> fileErrors.add(CouncilIntakeErrors.header(p.rule(), p.column())));
                    return;
                }
                DataKeyStore.DataKey dataKey = transactions.execute(tx -> {
                    DataKeyStore.DataKey key = dataKeys.create("council-identity");
                    jdbc.update("update intake_file set data_key_id = ? where id = ?", key.id(), file.id());
                    return key;
                });
                dataKeyId = dataKey.id();
                writer = new ResearchStoreWriter(jdbc, transactions, file.id());
                // "Not in the future" is judged on the UK calendar, whatever zone the server runs in.
                RowValidator validator = new RowValidator(schema, clock.withZone(java.time.ZoneId.of("Europe/London")));
                ResearchVariableDeriver deriver = new ResearchVariableDeriver(
                        new Pseudonymiser(pseudonymisationKey), council.code(), file.period());
                Optional<CsvRow> next;
                while ((next = reader.next()).isPresent()) {
                    CsvRow row = next.get();
                    rows++;
                    List<IntakeReport.RowProblem> rowProblems = validator.validate(row).stream()
                            .map(p -> new IntakeReport.RowProblem(p.row(), p.column(), p.rule())).toList();
                    if (!rowProblems.isEmpty()) {
                        problems.addRow(rowProblems);
                        continue;
                    }
                    ResearchVariableDeriver.Derivation derivation = deriver.derive(row.rowNumber(), column -> row.value(column).orElse(null));
                    if (derivation instanceof ResearchVariableDeriver.Derived d) {
                        writer.add(d.research(), seal(dataKey, d, file.id()));
                    } else if (derivation instanceof ResearchVariableDeriver.Underivable u) {
                        problems.addRow(List.of(new IntakeReport.RowProblem(row.rowNumber(), u.column(), u.rule())));
                    }
                }
                writer.flush();
            } catch (MalformedBatchException e) {
                Optional<PgpVerificationException> pgp = Causes.find(e, PgpVerificationException.class);
                if (pgp.isPresent()) {
                    throw pgp.get();
                }
                fileErrors.add(CouncilIntakeErrors.malformed(e));
            }
        }

        IntakeStatus decide() {
            if (!fileErrors.isEmpty()) {
                return IntakeStatus.REJECTED;
            }
            if (rows == 0) {
                fileErrors.add(CouncilIntakeErrors.NO_ROWS);
                return IntakeStatus.REJECTED;
            }
            writer.removeLaterDuplicates(row -> problems.addRow(
                    List.of(new IntakeReport.RowProblem(row, "person_ref", "unique"))));
            if ((double) problems.badRows() / rows > settings.maxBadRowShare()) {
                fileErrors.add(CouncilIntakeErrors.tooManyBadRows(settings.maxBadRowShare()));
                return IntakeStatus.REJECTED;
            }
            writer.computeFamilySizes();
            return problems.badRows() == 0 ? IntakeStatus.ACCEPTED : IntakeStatus.PARTIAL;
        }

        long accepted(IntakeStatus status) {
            return status == IntakeStatus.REJECTED || writer == null ? 0 : writer.written();
        }

        IntakeReport report(IntakeStatus status) {
            return new IntakeReport(IntakeReport.VERSION, file.fileName(), file.sha256(), council.code(),
                    status.reportStatus(), file.receivedAt().toString(), clock.instant().toString(), schemaId(schema),
                    new IntakeReport.Counts(rows, accepted(status), rows - accepted(status)),
                    List.copyOf(fileErrors), problems.listed(), problems.truncated(), problems.countsByRule(), null);
        }
    }

    /** The schema's id as reports and the ledger name it, e.g. council-batch-v1. */
    static String schemaId(DatasetSchema schema) {
        return schema.datasetId() + "-v" + schema.version();
    }

    private byte[] seal(DataKeyStore.DataKey dataKey, ResearchVariableDeriver.Derived derived, String intakeId) {
        IdentityRecord identity = derived.identity();
        byte[] aad = (intakeId + "|" + derived.research().rowNumber()).getBytes(StandardCharsets.UTF_8);
        try {
            return AesGcm.seal(dataKey.key(), json.writeValueAsBytes(identity), aad);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("identity record could not be serialised", e);
        }
    }

    private String toJson(IntakeReport report) {
        try {
            return json.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report could not be serialised", e);
        }
    }
}
