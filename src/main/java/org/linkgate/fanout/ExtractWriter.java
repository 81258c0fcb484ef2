package org.linkgate.fanout;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bouncycastle.openpgp.PGPException;
import org.linkgate.agreement.Department;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.PgpEncryptSigner;
import org.linkgate.fanout.ExtractCsvSource.SourceRow;
import org.linkgate.kernel.CountingOutputStream;
import org.linkgate.intake.IntakeFiles;
import org.linkgate.kernel.DataKeyStore;
import org.linkgate.kernel.ReceivedFileFacts;
import org.linkgate.pseudonymisation.IdentityRecord;
import org.linkgate.pseudonymisation.PseudonymisationKey;
import org.linkgate.store.ResearchStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes one department extract of one accepted intake: the intake's research records with
 * their sealed identities, streamed from the store's cursor ({@link ResearchStore#firstRowPerPerson}) in row order, only the people the
 * department's filter admits, each under the department's token with only its match fields, as
 * RFC 4180 CSV encrypted to the department and signed by the gateway. The CSV is never on disk in
 * clear. Who was sent is recorded in {@code extract_member} as the rows stream. Input: a planned
 * {@code extract} row of that department and intake. Fails (writing nothing at {@code target})
 * for an intake that is not ACCEPTED or PARTIAL, or any unreadable identity. Thread-safe.
 *
 * <p>Each person is sent once per extract: if one intake holds the same person (pseudo id) on
 * several rows, only the first admitted row is sent. The cursor needs one connection for the
 * whole extract and member batches a second one, so the pool must hold at least two.
 */
@Component
public class ExtractWriter {

    private static final Logger LOG = LoggerFactory.getLogger(ExtractWriter.class);

    private static final Pattern DEPARTMENT_CODE = Pattern.compile("[A-Z0-9]{1,16}");
    private static final Pattern PERIOD = Pattern.compile("\\d{4}-(0[1-9]|1[0-2])");
    /** No underscore: it separates the parts of extract and return file names. */
    private static final Pattern EXTRACT_ID = Pattern.compile("[A-Za-z0-9-]{1,32}");
    private static final List<String> EXTRACTABLE_STATUSES = List.of("ACCEPTED", "PARTIAL");

    private final JdbcTemplate jdbc;
    private final ResearchStore store;
    private final IntakeFiles intakes;
    private final TransactionTemplate readTransaction;
    private final TransactionTemplate ownTransactions;
    private final DataKeyStore dataKeys;
    private final PseudonymisationKey pseudonymisationKey;
    private final GatewayPgpKey gatewayKey;
    private final ObjectReader identityReader;

    public ExtractWriter(JdbcTemplate jdbc, ResearchStore store, IntakeFiles intakes, TransactionTemplate transactions,
                         DataKeyStore dataKeys, PseudonymisationKey pseudonymisationKey, GatewayPgpKey gatewayKey) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.store = Objects.requireNonNull(store, "store");
        this.intakes = Objects.requireNonNull(intakes, "intakes");
        Objects.requireNonNull(transactions, "transactions");
        this.dataKeys = Objects.requireNonNull(dataKeys, "dataKeys");
        this.pseudonymisationKey = Objects.requireNonNull(pseudonymisationKey, "pseudonymisationKey");
        this.gatewayKey = Objects.requireNonNull(gatewayKey, "gatewayKey");
        PlatformTransactionManager manager = Objects.requireNonNull(transactions.getTransactionManager(),
                "transactions has no transaction manager");
        // PostgreSQL streams a result set only inside a transaction (autocommit off).
        this.readTransaction = new TransactionTemplate(manager, transactions);
        readTransaction.setReadOnly(true);
        this.ownTransactions = new TransactionTemplate(manager, transactions);
        ownTransactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        // Field names as the intake's Jackson writes them; an unknown field fails rather than going missing.
        this.identityReader = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .readerFor(IdentityRecord.class);
    }

    /**
     * The extract's file name: {@code <DEPT>_<PERIOD>_<EXTRACT_ID>.csv.pgp}, e.g.
     * {@code DFE_2015-06_3f2a….csv.pgp}.
     *
     * @throws IllegalArgumentException unless the code is letters and digits, the period is
     *         {@code YYYY-MM} and the extract id is 1-32 letters, digits or hyphens
     */
    public static String fileName(String departmentCode, String period, String extractId) {
        String code = DepartmentTokens.canonicalCode(departmentCode);
        if (!DEPARTMENT_CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("department code must be letters and digits");
        }
        if (period == null || !PERIOD.matcher(period).matches()) {
            throw new IllegalArgumentException("period must be YYYY-MM");
        }
        if (extractId == null || !EXTRACT_ID.matcher(extractId).matches()) {
            throw new IllegalArgumentException("extract id must be 1-32 letters, digits or hyphens");
        }
        return code + "_" + period + "_" + extractId + ".csv.pgp";
    }

    /**
     * Writes extract {@code extractId} of intake {@code intakeId} for {@code department} to
     * {@code target} (replacing it), via a hidden {@code .<name>.part} file in the same folder that is
     * moved into place only when complete. Members of an earlier attempt are replaced.
     *
     * @return rows sent, SHA-256 and size of the encrypted file
     * @throws IllegalStateException  if the extract is not planned for this department and intake, the
     *                                intake is not ACCEPTED or PARTIAL, its data key is gone, or an
     *                                identity cannot be opened
     * @throws IllegalArgumentException if the department names a field that may not be extracted
     * @throws UncheckedIOException   if the file cannot be written
     */
    public ExtractResult write(String extractId, String intakeId, Department department, Path target) {
        Objects.requireNonNull(extractId, "extractId");
        Objects.requireNonNull(intakeId, "intakeId");
        Objects.requireNonNull(department, "department");
        Objects.requireNonNull(target, "target");
        MatchFieldValues.requireExtractable(department.matchFields());
        requirePlanned(extractId, intakeId, department);
        DataKeyStore.DataKey dataKey = dataKeys.get(extractableDataKeyId(intakeId));

        ExtractMemberRecorder members = new ExtractMemberRecorder(jdbc, ownTransactions, extractId, intakeId);
        int stale = members.removeEarlierAttempt();
        if (stale > 0) {
            LOG.info("Extract {}: removed {} members recorded by an earlier attempt", extractId, stale);
        }

        Path fileName = Objects.requireNonNull(target.getFileName(), "target has no file name");
        Path part = target.resolveSibling("." + fileName + ".part");
        try {
            ExtractResult result = readTransaction.execute(tx -> encryptToFile(intakeId, department, dataKey,
                    members, part, literalName(fileName.toString())));
            // Checked again after the scan, in case the batch's status or key changed meanwhile: fail closed.
            extractableDataKeyId(intakeId);
            moveIntoPlace(part, target);
            LOG.info("Extract {} for {} from intake {}: {} rows, {} bytes", extractId, department.code(), intakeId,
                    result.rows(), result.sizeBytes());
            return result;
        } catch (RuntimeException e) {
            deleteQuietly(part);
            throw e;
        }
    }

    private ExtractResult encryptToFile(String intakeId, Department department, DataKeyStore.DataKey dataKey,
                                        ExtractMemberRecorder members, Path part, String literalName) {
        Department.AgeFilter filter = department.filter();
        if (filter == null) {
            throw new IllegalArgumentException("department has no filter (use AgeFilter.EVERYONE)");
        }
        try (Stream<SourceRow> rows = store.firstRowPerPerson(intakeId, filter.minAge(), filter.maxAge())
                .map(r -> new SourceRow(r.rowNumber(), r.pseudoId(), r.cohort(), r.ageAtIdentification(),
                        r.vaultPseudoId(), r.sealed()));
             FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            CountingOutputStream counted = new CountingOutputStream(
                    new DigestOutputStream(Channels.newOutputStream(channel), sha256));
            ExtractCsvSource csv = new ExtractCsvSource(rows.iterator(), intakeId, department, dataKey.key(),
                    identityReader, new DepartmentTokens(pseudonymisationKey), members);
            OutputStream buffered = new BufferedOutputStream(counted, 1 << 16);
            new PgpEncryptSigner().encryptAndSign(csv, buffered, department.pgpPublicKey(), gatewayKey, literalName);
            buffered.flush();
            // On disk before it is moved into place and reported as written.
            channel.force(true);
            return new ExtractResult(csv.rowsWritten(), HexFormat.of().formatHex(sha256.digest()), counted.count());
        } catch (IOException e) {
            throw new UncheckedIOException("extract file could not be written", e);
        } catch (PGPException e) {
            throw new IllegalStateException("extract could not be encrypted and signed", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** The extract row must exist and be this department's extract of this intake (extract_member refers to it). */
    private void requirePlanned(String extractId, String intakeId, Department department) {
        Map<String, Object> planned;
        try {
            planned = jdbc.queryForMap("select department_code, intake_id from extract where id = ?", extractId);
        } catch (EmptyResultDataAccessException e) {
            throw new IllegalStateException("extract " + extractId + " is not planned");
        }
        if (!department.code().equals(planned.get("department_code")) || !intakeId.equals(planned.get("intake_id"))) {
            throw new IllegalStateException("extract " + extractId + " is planned for another department or intake");
        }
    }

    /** Fail closed: only a finished, accepted intake is extracted, and only while its data key exists. */
    private String extractableDataKeyId(String intakeId) {
        ReceivedFileFacts intake;
        try {
            intake = intakes.facts(intakeId);
        } catch (EmptyResultDataAccessException e) {
            throw new IllegalStateException("intake " + intakeId + " does not exist");
        }
        String status = intake.status();
        if (!EXTRACTABLE_STATUSES.contains(status)) {
            throw new IllegalStateException("intake " + intakeId + " is " + status + "; only ACCEPTED or PARTIAL"
                    + " intakes are extracted");
        }
        String keyId = intake.dataKeyId();
        if (keyId == null) {
            throw new IllegalStateException("intake " + intakeId + " has no data key");
        }
        return keyId;
    }

    /** The name inside the OpenPGP literal packet: the extract's CSV name, without {@code .pgp}. */
    private static String literalName(String fileName) {
        return fileName.endsWith(".pgp") ? fileName.substring(0, fileName.length() - 4) : fileName;
    }

    private static void moveIntoPlace(Path part, Path target) {
        try {
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("extract file could not be moved into place", e);
        }
    }

    private static void deleteQuietly(Path part) {
        try {
            Files.deleteIfExists(part);
        } catch (IOException e) {
            LOG.warn("Partial extract file could not be removed ({})", e.getClass().getSimpleName());
        }
    }
}
