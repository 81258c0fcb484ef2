package org.linkgate.returns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyKeyEncryptionMethodGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.linkgate.agreement.Department;
import org.linkgate.crypto.AesGcm;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.GeneratedPgpKey;
import org.linkgate.crypto.PgpEncryptSigner;
import org.linkgate.crypto.PgpKeyPairGenerator;
import org.linkgate.crypto.PgpKeys;
import org.linkgate.kernel.DataKeyStore;
import org.linkgate.kernel.MasterKey;
import org.linkgate.pseudonymisation.IdentityRecord;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link ReturnFileProcessor} end to end on one database: real PGP with keys generated here, a
 * linkage store fixture made with plain SQL (an accepted intake with sealed identities, an extract
 * sent to DWP and its members) and return files encrypted and signed as the department would.
 * Subclasses choose the database. All people and identifiers are invented.
 */
abstract class ReturnFileProcessorContract {

    static final char[] PASSPHRASE = "test-only passphrase".toCharArray();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
    static final String EXTRACT = "0123456789abcdef0123456789abcdef";
    static final String TOKEN_1 = TestIdentities.hex64("dwp-token-1");
    static final String TOKEN_2 = TestIdentities.hex64("dwp-token-2");
    static final String TOKEN_3 = TestIdentities.hex64("dwp-token-3");
    static final String PSEUDO_1 = TestIdentities.hex64("pseudo-1");
    static final String PSEUDO_2 = TestIdentities.hex64("pseudo-2");
    static final String PSEUDO_3 = TestIdentities.hex64("pseudo-3");
    static final String HEADER = "pseudo_id,benefit_type,spell_start,spell_end\n";

    private static GatewayPgpKey gateway;
    private static GatewayPgpKey departmentKey;
    private static GatewayPgpKey stranger;
    private static Department dwp;

    @TempDir
    Path dir;
    JdbcTemplate jdbc;
    TransactionTemplate transactions;
    ReturnFileProcessor processor;
    String returnId;

    abstract DataSource database();

    @BeforeAll
    static void keys() throws PGPException {
        PgpKeyPairGenerator generator = new PgpKeyPairGenerator();
        if (gateway == null) {
            gateway = new GatewayPgpKey(generator.generate("Test Gateway <gw@example.invalid>", PASSPHRASE).secret(),
                    PASSPHRASE);
            GeneratedPgpKey department = generator.generate("Test DWP <dwp@example.invalid>", PASSPHRASE);
            departmentKey = new GatewayPgpKey(department.secret(), PASSPHRASE);
            stranger = new GatewayPgpKey(generator.generate("Test DWP <dwp@example.invalid>", PASSPHRASE).secret(),
                    PASSPHRASE);
            dwp = new Department("DWP", "Test department", department.publicRing(), department.fingerprint(),
                    List.of("forename", "surname", "date_of_birth"), Department.AgeFilter.EVERYONE, Duration.ofDays(90),
                    new Department.EmbeddedEndpoint(List.of()),
                    List.of(new Department.ReturnDataset("WPLS", "dwp-wpls-v1"),
                            new Department.ReturnDataset("NPD", "dfe-npd-v1")));
        }
    }

    @BeforeEach
    void store() throws Exception {
        DataSource ds = database();
        jdbc = new JdbcTemplate(ds);
        transactions = new TransactionTemplate(new DataSourceTransactionManager(ds));
        DataKeyStore dataKeys = new DataKeyStore(jdbc, new MasterKey(new byte[32]), CLOCK);
        ObjectMapper json = new ObjectMapper();
        processor = new ReturnFileProcessor(jdbc, transactions, dataKeys,
                new ReturnFileProcessor.Limits(1L << 30, 100), CLOCK, json);

        Timestamp now = Timestamp.from(CLOCK.instant());
        String intake = UUID.randomUUID().toString();
        DataKeyStore.DataKey key = transactions.execute(tx -> dataKeys.create("council-identity"));
        jdbc.update("insert into intake_file (id, council_code, file_name, sha256, size_bytes, period, status,"
                + " data_key_id, received_at) values (?, 'E10000012', 'E10000012_2015-06_01.csv.gpg', ?, 100,"
                + " '2015-06', 'ACCEPTED', ?, ?)", intake, "a".repeat(64), key.id(), now);
        jdbc.update("insert into extract (id, department_code, intake_id, period, file_name, status, created_at,"
                + " sent_at) values (?, 'DWP', ?, '2015-06', ?, 'SENT', ?, ?)",
                EXTRACT, intake, "DWP_" + EXTRACT + ".csv.pgp", now, now);
        member(json, key, intake, 2, TOKEN_1, PSEUDO_1, "TREATMENT", TestIdentities.person());
        member(json, key, intake, 3, TOKEN_2, PSEUDO_2, "TREATMENT", TestIdentities.other());
        member(json, key, intake, 4, TOKEN_3, PSEUDO_3, "COMPARISON", TestIdentities.other());
        // A second extract of another department: its token is not DWP's.
        jdbc.update("insert into extract (id, department_code, intake_id, period, file_name, status, created_at)"
                + " values (?, 'HMRC', ?, '2015-06', 'x', 'SENT', ?)", "f".repeat(32), intake, now);
        jdbc.update("insert into extract_member (extract_id, department_token, pseudo_id, intake_id, row_number,"
                + " cohort) values (?, ?, ?, ?, 2, 'TREATMENT')", "f".repeat(32), TestIdentities.hex64("hmrc-1"),
                PSEUDO_1, intake);

        returnId = UUID.randomUUID().toString();
        jdbc.update("insert into return_file (id, department_code, dataset, extract_id, file_name, sha256,"
                + " size_bytes, status, received_at) values (?, 'DWP', 'WPLS', ?, 'f', ?, 1, 'RECEIVED', ?)",
                returnId, EXTRACT, "b".repeat(64), now);
    }

    private void member(ObjectMapper json, DataKeyStore.DataKey key, String intake, long row, String token,
                        String pseudo, String cohort, IdentityRecord identity) throws IOException {
        byte[] sealed = AesGcm.seal(key.key(), json.writeValueAsBytes(identity),
                (intake + "|" + row).getBytes(StandardCharsets.UTF_8));
        jdbc.update("insert into identity_vault (intake_id, row_number, pseudo_id, sealed) values (?, ?, ?, ?)",
                intake, row, pseudo, sealed);
        jdbc.update("insert into extract_member (extract_id, department_token, pseudo_id, intake_id, row_number,"
                + " cohort) values (?, ?, ?, ?, ?, ?)", EXTRACT, token, pseudo, intake, row, cohort);
    }

    // ---- helpers ----

    static ReturnFileName name(String dataset) {
        return ReturnFileName.parse("DWP_" + dataset + "_" + EXTRACT + ".csv.pgp").orElseThrow();
    }

    Path signedBy(GatewayPgpKey signer, String csv) throws Exception {
        Path file = dir.resolve(UUID.randomUUID() + ".pgp");
        try (OutputStream out = Files.newOutputStream(file)) {
            new PgpEncryptSigner().encryptAndSign(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                    out, gateway.publicRing(), signer, "return.csv");
        }
        return file;
    }

    Path signed(String csv) throws Exception {
        return signedBy(departmentKey, csv);
    }

    /** Encrypted to the gateway, but with no signature at all. */
    Path unsigned(String csv) throws Exception {
        Path file = dir.resolve(UUID.randomUUID() + ".pgp");
        PGPEncryptedDataGenerator encryption = new PGPEncryptedDataGenerator(
                new JcePGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256).setWithIntegrityPacket(true)
                        .setSecureRandom(new SecureRandom()));
        encryption.addMethod(new JcePublicKeyKeyEncryptionMethodGenerator(
                PgpKeys.requireEncryptionKey(gateway.publicRing())).setProvider(new BouncyCastleProvider()));
        byte[] data = csv.getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(file);
             OutputStream encrypted = encryption.open(out, new byte[1 << 12]);
             OutputStream literal = new PGPLiteralDataGenerator().open(encrypted, PGPLiteralData.BINARY, "r.csv",
                     data.length, new Date())) {
            literal.write(data);
        }
        return file;
    }

    ReturnOutcome process(Path file, String dataset) {
        return processor.process(file, returnId, dwp, name(dataset), gateway);
    }

    ReturnOutcome process(String csv) throws Exception {
        return process(signed(csv), "WPLS");
    }

    long staged() {
        return jdbc.queryForObject("select count(*) from return_record where return_id = ?", Long.class, returnId);
    }

    static String goodReturn() {
        return HEADER
                + TOKEN_1 + ",JSA,2015-01-05,2015-03-01\n"
                + TOKEN_1 + ",ESA,2015-04-01,\n"
                + TOKEN_2 + ",uc,2016-02-01,\n";
    }

    /** The outcome holds none of the test's personal values, in any field. */
    static void echoesNothing(ReturnOutcome outcome) {
        assertThat(outcome.toString()).doesNotContain(TestIdentities.SURNAME, TestIdentities.FORENAME,
                TestIdentities.DATE_OF_BIRTH, TestIdentities.POSTCODE, TestIdentities.NINO,
                TestIdentities.NHS_NUMBER, TestIdentities.OTHER_POSTCODE, TestIdentities.UPN, "ZX 12",
                TOKEN_1, TOKEN_2, TOKEN_3, PSEUDO_1, PSEUDO_2, TestIdentities.hex64("never-sent"));
    }

    static List<String> rules(ReturnOutcome outcome) {
        return outcome.fileErrors().stream().map(ReturnError::rule).toList();
    }

    void rejectedAndNothingStaged(ReturnOutcome outcome) {
        assertThat(outcome.accepted()).isFalse();
        assertThat(outcome.loaded()).isZero();
        assertThat(outcome.matchedByCohort()).isEmpty();
        assertThat(staged()).isZero();
        echoesNothing(outcome);
    }

    @Nested
    class Accepted {

        @Test
        void rowsLandUnderTheLinkagePseudoId() throws Exception {
            ReturnOutcome outcome = process(goodReturn());

            assertThat(outcome.fileErrors()).isEmpty();
            assertThat(outcome.findings()).isEmpty();
            assertThat(outcome.identifierIncident()).isFalse();
            assertThat(outcome.accepted()).isTrue();
            assertThat(outcome.rows()).isEqualTo(3);
            assertThat(outcome.loaded()).isEqualTo(3);
            assertThat(outcome.signerFingerprint()).isEqualTo(dwp.pgpFingerprint());
            assertThat(outcome.matchedByCohort()).isEqualTo(Map.of("WPLS", Map.of("TREATMENT", 2L)));
            List<Map<String, Object>> rows = jdbc.queryForList("select row_number, department_code, dataset,"
                    + " pseudo_id, data from return_record where return_id = ? order by row_number", returnId);
            assertThat(rows).extracting(r -> r.get("pseudo_id")).containsExactly(PSEUDO_1, PSEUDO_1, PSEUDO_2);
            assertThat(rows).extracting(r -> ((Number) r.get("row_number")).longValue()).containsExactly(2L, 3L, 4L);
            assertThat(rows).extracting(r -> r.get("dataset")).containsOnly("WPLS");
            assertThat(rows).extracting(r -> r.get("department_code")).containsOnly("DWP");
            assertThat(new ObjectMapper().readTree((String) rows.get(0).get("data")))
                    .isEqualTo(new ObjectMapper().readTree(
                            "{\"benefit_type\":\"JSA\",\"spell_start\":\"2015-01-05\",\"spell_end\":\"2015-03-01\"}"));
            assertThat((String) rows.get(1).get("data")).contains("\"spell_end\":null");
            // No department token reaches the store.
            assertThat(jdbc.queryForObject("select count(*) from return_record where data like ? or pseudo_id = ?",
                    Long.class, "%" + TOKEN_1 + "%", TOKEN_1)).isZero();
        }

        @Test
        void integerColumnsAreStoredAsNumbers() throws Exception {
            ReturnOutcome outcome = process(signed("\uFEFFacademic_year,pseudo_id,sessions_possible,sessions_absent,exclusions\r\n"
                    + "2015-16," + TOKEN_3 + ",300,12,0\r\n"), "NPD");
            assertThat(outcome.accepted()).isTrue();
            assertThat(jdbc.queryForObject("select data from return_record where return_id = ?", String.class, returnId))
                    .isEqualTo("{\"academic_year\":\"2015-16\",\"sessions_possible\":300,\"sessions_absent\":12,"
                            + "\"exclusions\":0}");
            assertThat(outcome.matchedByCohort()).isEqualTo(Map.of("NPD", Map.of("COMPARISON", 1L)));
        }

        @Test
        void manyRowsAreStagedInBatches() throws Exception {
            StringBuilder csv = new StringBuilder(HEADER);
            int rows = ReturnFileProcessor.BATCH * 2 + 17;
            for (int i = 0; i < rows; i++) {
                csv.append(i % 2 == 0 ? TOKEN_2 : TOKEN_3).append(",PIP,2015-01-01,\n");
            }
            ReturnOutcome outcome = process(csv.toString());
            assertThat(outcome.accepted()).isTrue();
            assertThat(outcome.loaded()).isEqualTo(rows);
            assertThat(staged()).isEqualTo(rows);
        }

        @Test
        void linkageQualityComparesSentAndMatchedPerCohort() throws Exception {
            assertThat(process(goodReturn()).accepted()).isTrue();
            // The caller's final transaction records the return; only then does it count.
            jdbc.update("update return_file set status = 'ACCEPTED' where id = ?", returnId);
            processor.recordLinkageQuality(EXTRACT, "WPLS");
            processor.recordLinkageQuality(EXTRACT, "WPLS");

            assertThat(jdbc.queryForList("select cohort || ':' || sent || ':' || matched from linkage_quality"
                    + " where extract_id = ? and dataset = 'WPLS' order by cohort", String.class, EXTRACT))
                    .containsExactly("COMPARISON:1:0", "TREATMENT:2:2");
            assertThat(ReturnFileProcessor.cohortGapFlagged(2, 2, 1, 0)).isTrue();
        }

        @Test
        void theCohortGapIsFlaggedAboveTenPoints() {
            assertThat(ReturnFileProcessor.cohortGapFlagged(100, 80, 100, 71)).isFalse();
            assertThat(ReturnFileProcessor.cohortGapFlagged(100, 80, 100, 69)).isTrue();
            assertThat(ReturnFileProcessor.cohortGapFlagged(100, 60, 100, 75)).isTrue();
            assertThat(ReturnFileProcessor.cohortGapFlagged(0, 0, 100, 75)).isFalse();
        }
    }

    @Nested
    class SignatureRefusals {

        @Test
        void anUnsignedReturnIsRejectedAsUnsigned() throws Exception {
            ReturnOutcome outcome = process(unsigned(goodReturn()), "WPLS");
            assertThat(rules(outcome)).containsExactly("unsigned");
            assertThat(outcome.signerFingerprint()).isNull();
            rejectedAndNothingStaged(outcome);
        }

        @Test
        void aReturnSignedByAnotherKeyIsRejected() throws Exception {
            ReturnOutcome outcome = process(signedBy(stranger, goodReturn()), "WPLS");
            assertThat(rules(outcome)).containsExactly("wrong_signer");
            assertThat(outcome.signerFingerprint()).isNull();
            rejectedAndNothingStaged(outcome);
        }

        @Test
        void aFileThatIsNotOpenPgpIsRejected() throws Exception {
            Path file = dir.resolve("plain.pgp");
            Files.writeString(file, goodReturn());
            ReturnOutcome outcome = process(file, "WPLS");
            assertThat(rules(outcome)).containsExactly("not_openpgp");
            rejectedAndNothingStaged(outcome);
        }
    }

    @Nested
    class IdentifierColumns {

        @Test
        void aSurnameColumnIsAnIncident() throws Exception {
            ReturnOutcome outcome = process("pseudo_id,benefit_type,spell_start,surname\n"
                    + TOKEN_2 + ",JSA,2015-01-05,Ottersby\n");
            assertThat(outcome.findings()).contains(new GuardFinding(1, "surname", GuardFinding.IDENTIFIER_COLUMN));
            assertThat(outcome.identifierIncident()).isTrue();
            assertThat(rules(outcome)).startsWith("identifiers").contains("unknown_column");
            rejectedAndNothingStaged(outcome);
            assertThat(outcome.toString()).doesNotContain("Ottersby");
        }

        @Test
        void aDobColumnIsAnIncident() throws Exception {
            ReturnOutcome outcome = process("pseudo_id,DOB,benefit_type,spell_start\n"
                    + TOKEN_2 + ",2011-12-01,JSA,2015-01-05\n");
            assertThat(outcome.findings()).contains(new GuardFinding(1, "dob", GuardFinding.IDENTIFIER_COLUMN));
            assertThat(outcome.identifierIncident()).isTrue();
            rejectedAndNothingStaged(outcome);
        }
    }

    @Nested
    class IdentifierValues {

        private ReturnOutcome withNotes(String column, String value) throws Exception {
            return process("pseudo_id,benefit_type,spell_start," + column + "\n"
                    + TOKEN_2 + ",JSA,2015-01-05,\n"
                    + TOKEN_1 + ",JSA,2015-01-05,\"" + value + "\"\n");
        }

        private void incidentAt(ReturnOutcome outcome, long row, String column) {
            assertThat(outcome.findings()).contains(new GuardFinding(row, column, GuardFinding.IDENTIFIER_VALUE));
            assertThat(outcome.identifierIncident()).isTrue();
            assertThat(rules(outcome)).first().isEqualTo("identifiers");
            rejectedAndNothingStaged(outcome);
        }

        @Test
        void aNinoInNotes() throws Exception {
            incidentAt(withNotes("notes", "ZX 12 34 56 B"), 3, "#4");
        }

        @Test
        void aValidNhsNumberInRef() throws Exception {
            incidentAt(withNotes("ref", TestIdentities.NHS_NUMBER), 3, "#4");
        }

        @Test
        void aPostcode() throws Exception {
            incidentAt(withNotes("notes", TestIdentities.OTHER_POSTCODE), 3, "#4");
        }

        @Test
        void thePersonsOwnSurname() throws Exception {
            incidentAt(withNotes("notes", TestIdentities.SURNAME.toUpperCase()), 3, "#4");
        }

        @Test
        void thePersonsDateOfBirthInADeclaredDateColumn() throws Exception {
            // Schema-valid in every way: only the guard can see it is this person's date of birth.
            ReturnOutcome outcome = process(HEADER
                    + TOKEN_2 + ",JSA,2015-01-05,\n"
                    + TOKEN_1 + ",JSA," + TestIdentities.DATE_OF_BIRTH + ",\n");
            assertThat(outcome.findings()).containsExactly(
                    new GuardFinding(3, "spell_start", GuardFinding.IDENTIFIER_VALUE));
            assertThat(rules(outcome)).containsExactly("identifiers");
            incidentAt(outcome, 3, "spell_start");
        }

        @Test
        void onceTheIdentityIsShreddedOnlyShapesAreChecked() throws Exception {
            String keyId = jdbc.queryForObject("select data_key_id from intake_file where id ="
                    + " (select intake_id from extract where id = ?)", String.class, EXTRACT);
            jdbc.update("update data_key set wrapped_key = null where id = ?", keyId);
            ReturnOutcome outcome = process(HEADER + TOKEN_1 + ",JSA," + TestIdentities.DATE_OF_BIRTH + ",\n");
            assertThat(outcome.findings()).isEmpty();
            assertThat(outcome.accepted()).isTrue();
        }

        @Test
        void anotherPersonsDateOfBirthIsNotTheirs() throws Exception {
            // TOKEN_2's person was born 2011-12-01; TOKEN_1's date of birth in their row is just a date.
            ReturnOutcome outcome = process(HEADER + TOKEN_2 + ",JSA," + TestIdentities.DATE_OF_BIRTH + ",\n");
            assertThat(outcome.accepted()).isTrue();
        }
    }

    @Nested
    class Rejections {

        @Test
        void aPseudoIdNeverSentToTheDepartment() throws Exception {
            ReturnOutcome outcome = process(HEADER
                    + TOKEN_1 + ",JSA,2015-01-05,\n"
                    + TestIdentities.hex64("never-sent") + ",JSA,2015-01-05,\n"
                    + TestIdentities.hex64("hmrc-1") + ",JSA,2015-01-05,\n");
            assertThat(rules(outcome)).containsExactly("unknown_pseudo_id");
            assertThat(outcome.fileErrors().get(0).message()).contains("2 row(s)").contains("row 3");
            assertThat(outcome.identifierIncident()).isFalse();
            rejectedAndNothingStaged(outcome);
        }

        @Test
        void anUnknownTokenAfterAStagedBatchRemovesTheStagedRows() throws Exception {
            StringBuilder csv = new StringBuilder(HEADER);
            for (int i = 0; i < ReturnFileProcessor.BATCH + 3; i++) {
                csv.append(TOKEN_2).append(",PIP,2015-01-01,\n");
            }
            csv.append(TestIdentities.hex64("never-sent")).append(",PIP,2015-01-01,\n");
            ReturnOutcome outcome = process(csv.toString());
            assertThat(rules(outcome)).containsExactly("unknown_pseudo_id");
            rejectedAndNothingStaged(outcome);
        }

        @Test
        void anySchemaViolationRejectsTheWholeReturn() throws Exception {
            ReturnOutcome outcome = process(HEADER
                    + TOKEN_1 + ",JSA,2015-01-05,\n"
                    + TOKEN_2 + ",XYZ,2015-13-05,\n"
                    + "NOT-A-TOKEN,JSA,,\n");
            assertThat(rules(outcome)).containsExactlyInAnyOrder("one_of", "iso_date", "pattern", "required");
            assertThat(outcome.fileErrors()).extracting(ReturnError::message)
                    .allSatisfy(m -> assertThat(m).doesNotContain("XYZ", "2015-13-05", "NOT-A-TOKEN"));
            assertThat(outcome.identifierIncident()).isFalse();
            rejectedAndNothingStaged(outcome);
        }

        @Test
        void aMissingRequiredColumn() throws Exception {
            ReturnOutcome outcome = process("pseudo_id,spell_start\n" + TOKEN_1 + ",2015-01-05\n");
            assertThat(rules(outcome)).contains("missing_column", "required");
            rejectedAndNothingStaged(outcome);
        }

        @Test
        void aDatasetTheDepartmentDoesNotReturn() throws Exception {
            ReturnOutcome outcome = process(signed(goodReturn()), "PAYE");
            assertThat(rules(outcome)).containsExactly("dataset_not_declared");
            assertThat(outcome.signerFingerprint()).isEqualTo(dwp.pgpFingerprint());
            rejectedAndNothingStaged(outcome);
        }

        @Test
        void anUndeclaredDatasetIsStillGuarded() throws Exception {
            ReturnOutcome outcome = process(signed("pseudo_id,notes\n" + TOKEN_1 + "," + TestIdentities.NINO + "\n"),
                    "PAYE");
            assertThat(rules(outcome)).containsExactly("identifiers", "dataset_not_declared");
            assertThat(outcome.identifierIncident()).isTrue();
            rejectedAndNothingStaged(outcome);
        }

        @Test
        void anExtractNeverMadeForTheDepartment() throws Exception {
            ReturnOutcome outcome = processor.process(signed(goodReturn()), returnId, dwp,
                    ReturnFileName.parse("DWP_WPLS_" + "f".repeat(32) + ".csv.pgp").orElseThrow(), gateway);
            assertThat(rules(outcome)).containsExactly("unknown_extract");
            rejectedAndNothingStaged(outcome);
        }

        @Test
        void anExtractWithdrawnBecauseItsCouncilDataWasDestroyed() throws Exception {
            // What retention leaves: the extract REFUSED with the reason, its members gone.
            jdbc.update("update extract set status = 'REFUSED', last_error = ? where id = ?",
                    ReturnFileProcessor.DATA_DESTROYED, EXTRACT);
            jdbc.update("delete from extract_member where extract_id = ?", EXTRACT);
            ReturnOutcome outcome = process(signed(goodReturn()), "WPLS");
            assertThat(rules(outcome)).containsExactly("extract_data_destroyed");
            assertThat(outcome.fileErrors().get(0).message()).contains("destroyed");
            rejectedAndNothingStaged(outcome);
        }

        @Test
        void aNameOfAnotherDepartment() throws Exception {
            ReturnOutcome outcome = processor.process(signed(goodReturn()), returnId, dwp,
                    ReturnFileName.parse("HMRC_WPLS_" + EXTRACT + ".csv.pgp").orElseThrow(), gateway);
            assertThat(rules(outcome)).containsExactly("file_name");
            rejectedAndNothingStaged(outcome);
        }

        @Test
        void anEmptyFileAndAHeaderOnly() throws Exception {
            assertThat(rules(process(""))).containsExactly("no_header");
            assertThat(rules(process(HEADER))).containsExactly("no_rows");
            assertThat(staged()).isZero();
        }

        @Test
        void leftoversOfAnInterruptedAttemptAreRemovedFirst() throws Exception {
            jdbc.update("insert into return_record (return_id, row_number, department_code, dataset, pseudo_id, data)"
                    + " values (?, 99, 'DWP', 'WPLS', ?, '{}')", returnId, PSEUDO_3);
            ReturnOutcome outcome = process(goodReturn());
            assertThat(outcome.accepted()).isTrue();
            assertThat(staged()).isEqualTo(3);
        }
    }
}
