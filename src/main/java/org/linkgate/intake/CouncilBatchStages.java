package org.linkgate.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.crypto.AesGcm;
import org.linkgate.inbound.InboundContext;
import org.linkgate.inbound.RowHandOff;
import org.linkgate.inbound.RowSource;
import org.linkgate.kernel.DataKeyStore;
import org.linkgate.kernel.LinkgateProperties;
import org.linkgate.linkage.MatchKeys;
import org.linkgate.pseudonymisation.IdentityRecord;
import org.linkgate.pseudonymisation.PseudonymisationKey;
import org.linkgate.pseudonymisation.Pseudonymiser;
import org.linkgate.pseudonymisation.ResearchVariableDeriver;
import org.linkgate.store.ResearchStoreWriter;
import org.linkgate.validation.CsvBatchReader;
import org.linkgate.validation.CsvLimits;
import org.linkgate.validation.CsvRow;
import org.linkgate.validation.DatasetSchema;
import org.linkgate.validation.HeaderCheck;
import org.linkgate.validation.MalformedBatchException;
import org.linkgate.validation.RowValidator;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.StreamUtils;

/**
 * The stages of a council batch between {@code open} and {@code commit} (route template
 * {@code council-intake}): {@link #validate} the verified plaintext against the batch schema,
 * {@link #pseudonymise} each valid row (derive first, then hash, cl. 12.1) and {@link #store} the
 * research record and the sealed identity. Each stage wraps the one before; the rows stream through
 * all three when {@code store} pulls, so memory stays flat however large the file. What is staged
 * becomes research records only in {@code commit}. Problems go to the report as row, column and
 * rule, never a value.
 */
@Component("councilBatch")
public class CouncilBatchStages implements DisposableBean {

    /** "Not in the future" is judged on the UK calendar, whatever zone the server runs in. */
    private static final ZoneId UK = ZoneId.of("Europe/London");
    private final DatasetSchema schema;
    private final PseudonymisationKey pseudonymisationKey;
    private final DataKeyStore dataKeys;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final PartnerRegistry registry;
    private final Clock clock;
    private final ObjectMapper json;
    private final int maxReportedProblems;
    private final MatchKeys matchKeys;
    private final RowHandOff handOff = new RowHandOff("council-batch");

    public CouncilBatchStages(DatasetSchema schema, PseudonymisationKey pseudonymisationKey, DataKeyStore dataKeys,
                              JdbcTemplate jdbc, TransactionTemplate transactions, PartnerRegistry registry,
                              Clock clock, ObjectMapper json, LinkgateProperties properties, MatchKeys matchKeys) {
        this.schema = schema;
        this.pseudonymisationKey = pseudonymisationKey;
        this.dataKeys = dataKeys;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.registry = registry;
        this.clock = clock;
        this.json = json;
        this.maxReportedProblems = properties.intake().maxReportedProblems();
        this.matchKeys = matchKeys;
    }

    /**
     * Reads the header and yields the rows that pass every schema rule; the others are recorded as
     * row problems. A header that breaks the schema, or a file that is not valid CSV, is a file
     * error and yields no (more) rows.
     */
    public RowSource<CsvRow> validate(@Body InputStream plaintext,
                                      @ExchangeProperty(InboundContext.PROPERTY) InboundContext file) {
        CouncilBatchPass pass = new CouncilBatchPass(maxReportedProblems);
        file.work(pass);
        CsvBatchReader reader;
        HeaderCheck header;
        try {
            reader = file.closeLater(new CsvBatchReader(StreamUtils.nonClosing(plaintext), schema, CsvLimits.DEFAULTS));
            header = reader.header();
        } catch (MalformedBatchException e) {
            pass.fileErrors.add(CouncilIntakeErrors.malformed(e));
            return RowSource.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read verified file " + file.entry().id(), e);
        }
        if (!header.problems().isEmpty()) {
            header.problems().forEach(p -> pass.fileErrors.add(CouncilIntakeErrors.header(p.rule(), p.column())));
            return RowSource.empty();
        }
        RowValidator validator = new RowValidator(schema, clock.withZone(UK));
        return () -> {
            try {
                Optional<CsvRow> next;
                while ((next = reader.next()).isPresent()) {
                    CsvRow row = next.get();
                    pass.rows++;
                    List<IntakeReport.RowProblem> problems = validator.validate(row).stream()
                            .map(p -> new IntakeReport.RowProblem(p.row(), p.column(), p.rule())).toList();
                    if (problems.isEmpty()) {
                        return row;
                    }
                    pass.problems.addRow(problems);
                }
                return null;
            } catch (MalformedBatchException e) {
                pass.fileErrors.add(CouncilIntakeErrors.malformed(e));
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read verified file " + file.entry().id(), e);
            }
        };
    }

    /**
     * Derives the research variables of each valid row (age at identification, band, problem
     * count, …) and only then replaces identity with keyed hashes; a row whose dates contradict
     * each other is a row problem. The clear identity is handed once to linkage, which stages the
     * row's match keys (keyed hashes only) for linking when the batch is accepted.
     */
    public RowSource<ResearchVariableDeriver.Derived> pseudonymise(@Body RowSource<CsvRow> rows,
            @ExchangeProperty(InboundContext.PROPERTY) InboundContext file) {
        CouncilBatchPass pass = file.work();
        CouncilBatchName name = file.<CouncilBatchName>name().orElseThrow();
        ResearchVariableDeriver deriver = new ResearchVariableDeriver(new Pseudonymiser(pseudonymisationKey),
                registry.requireCouncil(file.partner()).code(), name.period());
        MatchKeys.Staging keys = matchKeys.forBatch(file.entry().id());
        return () -> {
            CsvRow row;
            while ((row = rows.next()) != null) {
                CsvRow current = row;
                ResearchVariableDeriver.Derivation derivation = deriver.derive(current.rowNumber(),
                        column -> current.value(column).orElse(null));
                if (derivation instanceof ResearchVariableDeriver.Derived derived) {
                    keys.add(derived.research().rowNumber(), derived.identity(), derived.research().pseudoId(),
                            derived.research().cohort());
                    return derived;
                }
                ResearchVariableDeriver.Underivable underivable = (ResearchVariableDeriver.Underivable) derivation;
                pass.problems.addRow(List.of(new IntakeReport.RowProblem(current.rowNumber(), underivable.column(),
                        underivable.rule())));
            }
            keys.flush();
            return null;
        };
    }

    /**
     * Pulls the rows through every stage and stages each research record with its identity sealed
     * under the batch's data key (AES-256-GCM, bound to intake id and row), in short transactions;
     * then reads the rest of the message and checks its signature once more. The earlier stages
     * run on a reader thread ({@link RowHandOff}), this one on the route's thread.
     */
    public void store(@Body RowSource<ResearchVariableDeriver.Derived> rows,
                      @ExchangeProperty(InboundContext.PROPERTY) InboundContext file) throws IOException {
        CouncilBatchPass pass = file.work();
        String intakeId = file.entry().id();
        ResearchVariableDeriver.Derived first = rows.next();
        if (first != null || pass.fileErrors.isEmpty()) {
            pass.dataKey = transactions.execute(tx -> {
                DataKeyStore.DataKey key = dataKeys.create("council-identity");
                jdbc.update("update intake_file set data_key_id = ? where id = ?", key.id(), intakeId);
                return key;
            });
            pass.writer = new ResearchStoreWriter(jdbc, transactions, intakeId);
            ResearchStoreWriter writer = pass.writer;
            DataKeyStore.DataKey dataKey = pass.dataKey;
            if (first != null) {
                writer.add(first.research(), seal(dataKey, first, intakeId));
                // Both cores: the stages before this one run on a reader thread, sealing and staging here.
                handOff.drain(rows, row -> writer.add(row.research(), seal(dataKey, row, intakeId)));
            }
            writer.flush();
        }
        file.finishReading();
    }

    @Override
    public void destroy() {
        handOff.close();
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
}
