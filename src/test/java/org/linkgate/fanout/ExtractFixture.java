package org.linkgate.fanout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.bouncycastle.openpgp.PGPException;
import org.linkgate.agreement.Department;
import org.linkgate.crypto.AesGcm;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.GeneratedPgpKey;
import org.linkgate.crypto.PgpDecryptVerifier;
import org.linkgate.crypto.PgpKeyPairGenerator;
import org.linkgate.crypto.PgpLimits;
import org.linkgate.crypto.VerifiedPlaintext;
import org.linkgate.inbound.InboundLedger;
import org.linkgate.inbound.InboundStatus;
import org.linkgate.inbound.TestLedgers;
import org.linkgate.kernel.DataKeyStore;
import org.linkgate.kernel.MasterKey;
import org.linkgate.pseudonymisation.PseudonymisationKey;
import org.linkgate.pseudonymisation.Pseudonymiser;
import org.linkgate.pseudonymisation.ResearchVariableDeriver;
import org.linkgate.store.ResearchStoreWriter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A linkage store with intakes made the way intake makes them (ledger row, data key, research
 * records and identities sealed with AAD {@code intakeId|row} via ResearchStoreWriter), keys generated
 * at run time, and a decrypter playing the department. Invented people only.
 */
final class ExtractFixture {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-01T10:00:00Z"), ZoneOffset.UTC);
    static final String COUNCIL = "E10000012";
    static final String PERIOD = "2015-06";
    static final String IDENTIFIED = "2015-05-01";
    private static final char[] PASSPHRASE = "test-only passphrase".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<String, GeneratedPgpKey> KEYS = new HashMap<>();
    private static GatewayPgpKey gateway;

    final JdbcTemplate jdbc;
    final TransactionTemplate transactions;
    final DataKeyStore dataKeys;
    final PseudonymisationKey pseudonymisationKey;
    private final InboundLedger ledger;
    private final ObjectMapper json = new ObjectMapper();

    ExtractFixture(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.dataKeys = new DataKeyStore(jdbc, new MasterKey(randomBytes(32)), CLOCK);
        this.pseudonymisationKey = new PseudonymisationKey(randomBytes(PseudonymisationKey.BYTES));
        this.ledger = TestLedgers.councils(jdbc, transactions, CLOCK);
    }

    /** An invented person as a council row would carry them. */
    static Map<String, String> person(String ref, String forename, String surname, String dateOfBirth, String sex) {
        Map<String, String> row = new HashMap<>();
        row.put("person_ref", ref);
        row.put("family_ref", "F-" + ref);
        row.put("forename", forename);
        row.put("surname", surname);
        row.put("date_of_birth", dateOfBirth);
        row.put("sex", sex);
        row.put("address_line_1", "1 Example Street");
        row.put("town", "Exampleton");
        row.put("postcode", "CM1 1QH");
        row.put("cohort", "TREATMENT");
        row.put("date_identified", IDENTIFIED);
        for (String flag : List.of("crime_asb", "education", "children_in_need", "worklessness", "domestic_abuse", "health")) {
            row.put(flag, "0");
        }
        return row;
    }

    /** An invented person whose age at identification ({@link #IDENTIFIED}) is {@code age}. */
    static Map<String, String> personAged(String ref, int age) {
        String dateOfBirth = LocalDate.parse(IDENTIFIED).minusYears(age).minusMonths(1).toString();
        return person(ref, "Test" + lettersOnly(ref), "Person" + lettersOnly(ref), dateOfBirth, "F");
    }

    /** Names are normalised to letters before hashing, so digits are spelt as letters to keep people apart. */
    static String lettersOnly(String ref) {
        StringBuilder name = new StringBuilder();
        ref.chars().forEach(c -> name.append(Character.isDigit(c) ? (char) ('a' + c - '0') : (char) c));
        return name.toString();
    }

    String intake(InboundStatus status, List<Map<String, String>> rows) {
        return intake(status, rows.size(), add -> rows.forEach(add));
    }

    /**
     * Stages rows as intake does (row numbers from 2, the header being row 1) and records the file with
     * {@code status}; RECEIVED leaves the file in progress, as during ingestion.
     */
    String intake(InboundStatus status, long rowCount, Consumer<Consumer<Map<String, String>>> rows) {
        String intakeId = TestLedgers.claimBatch(ledger, COUNCIL, COUNCIL + "_" + PERIOD + "_" + UUID.randomUUID() + ".csv.gpg",
                hex(randomBytes(32)), 100, PERIOD);
        DataKeyStore.DataKey dataKey = transactions.execute(tx -> {
            DataKeyStore.DataKey key = dataKeys.create("council-identity");
            jdbc.update("update intake_file set data_key_id = ? where id = ?", key.id(), intakeId);
            return key;
        });
        ResearchStoreWriter writer = new ResearchStoreWriter(jdbc, transactions, intakeId);
        ResearchVariableDeriver deriver = new ResearchVariableDeriver(new Pseudonymiser(pseudonymisationKey), COUNCIL, PERIOD);
        long[] rowNumber = {1};
        rows.accept(row -> {
            long n = ++rowNumber[0];
            var derived = (ResearchVariableDeriver.Derived) deriver.derive(n, row::get);
            byte[] aad = (intakeId + "|" + n).getBytes(StandardCharsets.UTF_8);
            writer.add(derived.research(), AesGcm.seal(dataKey.key(), toJson(derived.identity()), aad));
        });
        writer.flush();
        writer.computeFamilySizes();
        if (status != InboundStatus.RECEIVED) {
            TestLedgers.complete(ledger, transactions, intakeId, COUNCIL, status, rowCount, writer.written());
        }
        return intakeId;
    }

    /** Plans an extract as the accepting transaction does; returns its id. */
    String planExtract(Department department, String intakeId) {
        String id = UUID.randomUUID().toString().replace("-", "");
        jdbc.update("insert into extract (id, department_code, intake_id, period, file_name, status, created_at)"
                        + " values (?, ?, ?, ?, ?, 'PENDING', ?)", id, department.code(), intakeId, PERIOD,
                ExtractWriter.fileName(department.code(), PERIOD, id), Timestamp.from(CLOCK.instant()));
        return id;
    }

    ExtractWriter writer() throws PGPException {
        return new ExtractWriter(jdbc, new org.linkgate.store.ResearchStore(jdbc),
                new org.linkgate.intake.IntakeFiles(jdbc), transactions, dataKeys, pseudonymisationKey, gateway());
    }

    static synchronized GeneratedPgpKey key(String code) {
        return KEYS.computeIfAbsent(code, c -> {
            try {
                return new PgpKeyPairGenerator().generate("Test " + c + " <" + c.toLowerCase() + "@example.invalid>",
                        PASSPHRASE, PgpKeyPairGenerator.KeyAlgorithm.CURVE25519);
            } catch (PGPException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static synchronized GatewayPgpKey gateway() throws PGPException {
        if (gateway == null) {
            gateway = new GatewayPgpKey(key("GATEWAY").secret(), PASSPHRASE);
        }
        return gateway;
    }

    static Department department(String code, List<String> matchFields, Department.AgeFilter filter) {
        GeneratedPgpKey key = key(code);
        return new Department(code, code + " (test)", key.publicRing(), key.fingerprint(), matchFields, filter,
                Duration.ofDays(30), new Department.EmbeddedEndpoint(List.of()), List.of());
    }

    /** Opens an extract as the department would, requiring the gateway's signature; hands the CSV to {@code reader}. */
    static <T> T openAsDepartment(Path file, String departmentCode, CsvReading<T> reader) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            VerifiedPlaintext message = new PgpDecryptVerifier().open(in,
                    new GatewayPgpKey(key(departmentCode).secret(), PASSPHRASE), gateway().publicRing(),
                    new PgpLimits(1L << 31, 1000, Files.size(file)));
            T result;
            try (Reader csv = new InputStreamReader(message.plaintext(), StandardCharsets.UTF_8);
                 CSVParser parser = CSVParser.builder().setReader(csv).setFormat(CSVFormat.RFC4180).get()) {
                result = reader.read(parser);
                message.plaintext().transferTo(java.io.OutputStream.nullOutputStream());
            }
            String signer = message.verify();
            if (!signer.equals(gateway().signingPublicKeyFingerprint())) {
                throw new AssertionError("extract not signed by the gateway");
            }
            return result;
        }
    }

    /** The whole CSV, header first, as lists of cells. */
    static List<List<String>> readAll(Path file, String departmentCode) throws Exception {
        return openAsDepartment(file, departmentCode,
                parser -> parser.getRecords().stream().map(CSVRecord::toList).toList());
    }

    interface CsvReading<T> {
        T read(CSVParser parser) throws IOException;
    }

    private byte[] toJson(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
