package org.linkgate.returns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.ArrayList;
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
import org.linkgate.crypto.AesGcm;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.PgpEncryptSigner;
import org.linkgate.crypto.PgpKeyPairGenerator;
import org.linkgate.crypto.PgpKeys;
import org.linkgate.inbound.InboundContext;
import org.linkgate.intake.GatewayTestHome;
import org.linkgate.kernel.DataKeyStore;
import org.linkgate.pseudonymisation.IdentityRecord;
import org.linkgate.support.InboundHarness;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A department return through the whole inbound lifecycle (take-in, claim, admit, verify, the
 * returns stages, commit, report, archive) on one database, with real PGP: the gateway and the demo
 * DWP keys of a throw-away home, a linkage store fixture made with plain SQL (an accepted intake
 * with sealed identities, an extract sent to DWP and its members) and return files encrypted and
 * signed as the department would. What is asserted is what the department and the store see: the
 * report, the rows loaded, the ledger and incidents. Subclasses choose the database. All people and
 * identifiers are invented.
 */
abstract class ReturnLifecycleContract {

    static final char[] PASSPHRASE = "test-only passphrase".toCharArray();
    static final Clock CLOCK = Clock.systemUTC();
    static final String TOKEN_1 = TestIdentities.hex64("dwp-token-1");
    static final String TOKEN_2 = TestIdentities.hex64("dwp-token-2");
    static final String TOKEN_3 = TestIdentities.hex64("dwp-token-3");
    static final String PSEUDO_1 = TestIdentities.hex64("pseudo-1");
    static final String PSEUDO_2 = TestIdentities.hex64("pseudo-2");
    static final String PSEUDO_3 = TestIdentities.hex64("pseudo-3");
    static final String HEADER = "pseudo_id,benefit_type,spell_start,spell_end\n";

    private static GatewayPgpKey stranger;
    private static Path sharedHome;
    /** One database and gateway per class: each test has an extract (and so ids, tokens' scope) of its own. */
    private static final java.util.Map<Class<?>, InboundHarness> GATEWAYS = new java.util.concurrent.ConcurrentHashMap<>();

    @TempDir
    Path dir;
    /** This test's extract to DWP. */
    String extract;
    JdbcTemplate jdbc;
    InboundHarness gateway;
    GatewayPgpKey departmentKey;

    abstract DataSource database();

    @BeforeAll
    static void keys() throws Exception {
        if (stranger == null) {
            stranger = new GatewayPgpKey(new PgpKeyPairGenerator().generate("Test DWP <dwp@example.invalid>",
                    PASSPHRASE).secret(), PASSPHRASE);
            sharedHome = GatewayTestHome.create();
            // This DWP also returns NPD, so one extract can test an integer-typed dataset.
            Path yaml = sharedHome.resolve("config/departments/DWP/department.yaml");
            Files.writeString(yaml, Files.readString(yaml).replace("{dataset: PAYE, schema: hmrc-paye-v1}",
                    "{dataset: PAYE, schema: hmrc-paye-v1}, {dataset: NPD, schema: dfe-npd-v1}"));
        }
    }

    @BeforeEach
    void store() throws Exception {
        gateway = GATEWAYS.computeIfAbsent(getClass(), c -> new InboundHarness(database(), CLOCK, sharedHome));
        extract = UUID.randomUUID().toString().replace("-", "");
        jdbc = gateway.jdbc;
        departmentKey = gateway.partnerKey("DWP");
        ObjectMapper json = new ObjectMapper();
        Timestamp now = Timestamp.from(CLOCK.instant());
        String intake = UUID.randomUUID().toString();
        DataKeyStore.DataKey key = gateway.transactions.execute(tx -> gateway.dataKeys.create("council-identity"));
        jdbc.update("insert into intake_file (id, council_code, file_name, sha256, size_bytes, period, status,"
                + " data_key_id, received_at) values (?, 'E10000012', 'E10000012_2015-06_01.csv.gpg', ?, 100,"
                + " '2015-06', 'ACCEPTED', ?, ?)", intake, "a".repeat(64), key.id(), now);
        jdbc.update("insert into extract (id, department_code, intake_id, period, file_name, status, created_at,"
                + " sent_at) values (?, 'DWP', ?, '2015-06', ?, 'SENT', ?, ?)",
                extract, intake, "DWP_" + extract + ".csv.pgp", now, now);
        member(json, key, intake, 2, TOKEN_1, PSEUDO_1, "TREATMENT", TestIdentities.person());
        member(json, key, intake, 3, TOKEN_2, PSEUDO_2, "TREATMENT", TestIdentities.other());
        member(json, key, intake, 4, TOKEN_3, PSEUDO_3, "COMPARISON", TestIdentities.other());
        // A second extract of another department: its token is not DWP's.
        jdbc.update("insert into extract (id, department_code, intake_id, period, file_name, status, created_at)"
                + " values (?, 'HMRC', ?, '2015-06', 'x', 'SENT', ?)", hmrcExtract(), intake, now);
        jdbc.update("insert into extract_member (extract_id, department_token, pseudo_id, intake_id, row_number,"
                + " cohort) values (?, ?, ?, ?, 2, 'TREATMENT')", hmrcExtract(), TestIdentities.hex64("hmrc-1"),
                PSEUDO_1, intake);
    }

    /** Another department's extract of the same batch: its token is not DWP's. */
    String hmrcExtract() {
        return new StringBuilder(extract).reverse().toString();
    }

    private void member(ObjectMapper json, DataKeyStore.DataKey key, String intake, long row, String token,
                        String pseudo, String cohort, IdentityRecord identity) throws IOException {
        byte[] sealed = AesGcm.seal(key.key(), json.writeValueAsBytes(identity),
                (intake + "|" + row).getBytes(StandardCharsets.UTF_8));
        jdbc.update("insert into identity_vault (intake_id, row_number, pseudo_id, sealed) values (?, ?, ?, ?)",
                intake, row, pseudo, sealed);
        jdbc.update("insert into extract_member (extract_id, department_token, pseudo_id, intake_id, row_number,"
                + " cohort) values (?, ?, ?, ?, ?, ?)", extract, token, pseudo, intake, row, cohort);
    }

    /** What one return came to: the department's report and what the gateway recorded. */
    record Outcome(String id, JsonNode report, String status, String signer, long staged, long incidents) {

        List<String> rules() {
            List<String> rules = new ArrayList<>();
            report.path("fileErrors").forEach(e -> rules.add(e.path("rule").asText()));
            return rules;
        }

        List<String> findings() {
            List<String> found = new ArrayList<>();
            report.path("findings").forEach(f -> found.add(f.path("column").asText() + ":" + f.path("rule").asText()
                    + ":" + f.path("cells").asLong()));
            return found;
        }

        boolean accepted() {
            return "ACCEPTED".equals(status);
        }

        long loaded() {
            return report.path("counts").path("loaded").asLong();
        }
    }

    // ---- helpers ----

    Path signedBy(GatewayPgpKey signer, String csv) throws Exception {
        Path file = dir.resolve(UUID.randomUUID() + ".pgp");
        try (OutputStream out = Files.newOutputStream(file)) {
            new PgpEncryptSigner().encryptAndSign(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                    out, gateway.gatewayKey.publicRing(), signer, "return.csv");
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
                PgpKeys.requireEncryptionKey(gateway.gatewayKey.publicRing())).setProvider(new BouncyCastleProvider()));
        byte[] data = csv.getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(file);
             OutputStream encrypted = encryption.open(out, new byte[1 << 12]);
             OutputStream literal = new PGPLiteralDataGenerator().open(encrypted, PGPLiteralData.BINARY, "r.csv",
                     data.length, new Date())) {
            literal.write(data);
        }
        return file;
    }

    Outcome process(Path file, String dataset) {
        return processAs(file, "DWP_" + dataset + "_" + extract + ".csv.pgp");
    }

    Outcome processAs(Path file, String receivedName) {
        return outcome(gateway.department("DWP", file, receivedName));
    }

    Outcome process(String csv) throws Exception {
        return process(signed(csv), "WPLS");
    }

    Outcome outcome(InboundContext context) {
        String id = context.entry().id();
        return new Outcome(id, gateway.report(context),
                jdbc.queryForObject("select status from return_file where id = ?", String.class, id),
                jdbc.queryForObject("select signer_fingerprint from return_file where id = ?", String.class, id),
                jdbc.queryForObject("select count(*) from return_record where return_id = ?", Long.class, id),
                jdbc.queryForObject("select count(*) from incident where subject_id = ? and category = ?", Long.class,
                        id, "IDENTIFIERS_IN_RETURN"));
    }

    String dwpFingerprint() {
        return gateway.registry.requireDepartment("DWP").pgpFingerprint();
    }

    List<String> linkageQuality(String dataset) {
        return jdbc.queryForList("select cohort || ':' || sent || ':' || matched from linkage_quality"
                + " where extract_id = ? and dataset = ? order by cohort", String.class, extract, dataset);
    }

    static String goodReturn() {
        return HEADER
                + TOKEN_1 + ",JSA,2015-01-05,2015-03-01\n"
                + TOKEN_1 + ",ESA,2015-04-01,\n"
                + TOKEN_2 + ",uc,2016-02-01,\n";
    }

    /** The report holds none of the test's personal values, in any field. */
    static void echoesNothing(Outcome outcome) {
        assertThat(outcome.report().toString()).doesNotContain(TestIdentities.SURNAME, TestIdentities.FORENAME,
                TestIdentities.DATE_OF_BIRTH, TestIdentities.POSTCODE, TestIdentities.NINO,
                TestIdentities.NHS_NUMBER, TestIdentities.OTHER_POSTCODE, TestIdentities.UPN, "ZX 12",
                TOKEN_1, TOKEN_2, TOKEN_3, PSEUDO_1, PSEUDO_2, TestIdentities.hex64("never-sent"));
    }

    static List<String> rules(Outcome outcome) {
        return outcome.rules();
    }

    void rejectedAndNothingStaged(Outcome outcome) {
        assertThat(outcome.status()).isEqualTo("REJECTED");
        assertThat(outcome.report().path("status").asText()).isEqualTo("REJECTED");
        assertThat(outcome.loaded()).isZero();
        assertThat(outcome.staged()).isZero();
        assertThat(linkageQuality("WPLS")).isEmpty();
        echoesNothing(outcome);
    }

    @Nested
    class Accepted {

        @Test
        void rowsLandUnderTheLinkagePseudoId() throws Exception {
            Outcome outcome = process(goodReturn());

            assertThat(outcome.rules()).isEmpty();
            assertThat(outcome.findings()).isEmpty();
            assertThat(outcome.incidents()).isZero();
            assertThat(outcome.accepted()).isTrue();
            assertThat(outcome.report().path("counts").path("rows").asLong()).isEqualTo(3);
            assertThat(outcome.loaded()).isEqualTo(3);
            assertThat(outcome.signer()).isEqualTo(dwpFingerprint());
            // Linkage quality is recorded in the commit: distinct people sent and found, per cohort.
            assertThat(linkageQuality("WPLS")).containsExactly("COMPARISON:1:0", "TREATMENT:2:2");
            List<Map<String, Object>> rows = jdbc.queryForList("select row_number, department_code, dataset,"
                    + " pseudo_id, data from return_record where return_id = ? order by row_number", outcome.id());
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
            Outcome outcome = process(signed("\uFEFFacademic_year,pseudo_id,sessions_possible,sessions_absent,exclusions\r\n"
                    + "2015-16," + TOKEN_3 + ",300,12,0\r\n"), "NPD");
            assertThat(outcome.accepted()).isTrue();
            assertThat(jdbc.queryForObject("select data from return_record where return_id = ?", String.class, outcome.id()))
                    .isEqualTo("{\"academic_year\":\"2015-16\",\"sessions_possible\":300,\"sessions_absent\":12,"
                            + "\"exclusions\":0}");
            assertThat(linkageQuality("NPD")).containsExactly("COMPARISON:1:1", "TREATMENT:2:0");
        }

        @Test
        void manyRowsAreStagedInBatches() throws Exception {
            StringBuilder csv = new StringBuilder(HEADER);
            int rows = ReturnStages.BATCH * 2 + 17;
            for (int i = 0; i < rows; i++) {
                csv.append(i % 2 == 0 ? TOKEN_2 : TOKEN_3).append(",PIP,2015-01-01,\n");
            }
            Outcome outcome = process(csv.toString());
            assertThat(outcome.accepted()).isTrue();
            assertThat(outcome.loaded()).isEqualTo(rows);
            assertThat(outcome.staged()).isEqualTo(rows);
        }

        @Test
        void linkageQualityComparesSentAndMatchedPerCohort() throws Exception {
            assertThat(process(goodReturn()).accepted()).isTrue();
            // Recomputing replaces the figures; a second accepted return for the same dataset counts once.
            new LinkageQuality(jdbc).record(extract, "WPLS");
            assertThat(process(signed(HEADER + TOKEN_3 + ",JSA,2015-01-05,\n"), "WPLS").accepted()).isTrue();

            assertThat(linkageQuality("WPLS")).containsExactly("COMPARISON:1:1", "TREATMENT:2:2");
            // 2 of 2 against 0 of 1 is no evidence of bias at this size.
            assertThat(LinkageQuality.cohortGapFlagged(2, 2, 1, 0)).isFalse();
        }

        @Test
        void theCohortGapIsFlaggedWhenSignificantForItsSampleSize() {
            assertThat(LinkageQuality.cohortGapFlagged(100, 80, 100, 71)).isFalse();
            assertThat(LinkageQuality.cohortGapFlagged(100, 80, 100, 69)).isFalse(); // 11 points, z = 1.79
            assertThat(LinkageQuality.cohortGapFlagged(100, 60, 100, 75)).isTrue();  // z = -2.26
            assertThat(LinkageQuality.cohortGapFlagged(1000, 800, 1000, 760)).isTrue(); // 4 points, z = 2.16
            assertThat(LinkageQuality.cohortGapFlagged(10, 8, 10, 6)).isFalse();     // 20 points, z = 0.98
            assertThat(LinkageQuality.cohortGapFlagged(0, 0, 100, 75)).isFalse();
        }
    }

    /** found:notFound:unknown per cohort, from the return's optional matched column. */
    List<String> foundNotFoundUnknown(String dataset) {
        return jdbc.queryForList("select cohort || ':' || sent || ':' || found || ':' || not_found || ':' || not_known"
                + " from linkage_quality where extract_id = ? and dataset = ? order by cohort", String.class, extract, dataset);
    }

    static final String MATCHED_HEADER = "pseudo_id,benefit_type,spell_start,spell_end,matched\n";

    @Nested
    class MatchedStatus {

        @Test
        void foundNoEventsIsToldApartFromNotFound() throws Exception {
            Outcome outcome = process(MATCHED_HEADER
                    + TOKEN_1 + ",JSA,2015-01-05,2015-03-01,Y\n"   // found, an event
                    + TOKEN_2 + ",,,,Y\n"                          // found, no events
                    + TOKEN_3 + ",,,,N\n");                        // not found
            assertThat(outcome.rules()).isEmpty();
            assertThat(outcome.accepted()).isTrue();
            assertThat(outcome.loaded()).isEqualTo(3);
            assertThat(outcome.staged()).as("only the event row is a returned record").isEqualTo(1);
            assertThat(jdbc.queryForList("select pseudo_id || ':' || matched from return_match_status where return_id = ?"
                    + " order by row_number", String.class, outcome.id()))
                    .containsExactly(PSEUDO_1 + ":Y", PSEUDO_2 + ":Y", PSEUDO_3 + ":N");
            assertThat(linkageQuality("WPLS")).as("matched counts the found").containsExactly("COMPARISON:1:0", "TREATMENT:2:2");
            assertThat(foundNotFoundUnknown("WPLS")).containsExactly("COMPARISON:1:0:1:0", "TREATMENT:2:2:0:0");
            echoesNothing(outcome);
        }

        @Test
        void withoutTheColumnTheAbsentAreUnknownAndRowsAreFound() throws Exception {
            assertThat(process(goodReturn()).accepted()).isTrue();
            assertThat(foundNotFoundUnknown("WPLS")).containsExactly("COMPARISON:1:0:0:1", "TREATMENT:2:2:0:0");
        }

        @Test
        void aLaterFoundOutweighsAnEarlierNotFoundAndPeopleLeftOutAreUnknown() throws Exception {
            assertThat(process(signed(MATCHED_HEADER + TOKEN_3 + ",,,,N\n"), "WPLS").accepted()).isTrue();
            assertThat(foundNotFoundUnknown("WPLS")).containsExactly("COMPARISON:1:0:1:0", "TREATMENT:2:0:0:2");
            assertThat(process(signed(MATCHED_HEADER + TOKEN_3 + ",PIP,2015-01-01,,Y\n"), "WPLS").accepted()).isTrue();
            assertThat(foundNotFoundUnknown("WPLS")).containsExactly("COMPARISON:1:1:0:0", "TREATMENT:2:0:0:2");
        }

        @Test
        void aPersonFoundAndNotFoundInOneReturnRejectsIt() throws Exception {
            Outcome outcome = process(MATCHED_HEADER
                    + TOKEN_1 + ",JSA,2015-01-05,2015-03-01,Y\n"
                    + TOKEN_2 + ",,,,Y\n"
                    + TOKEN_1 + ",,,,N\n");
            assertThat(rules(outcome)).containsExactly("matched_conflict");
            assertThat(outcome.report().path("fileErrors").get(0).path("message").asText())
                    .contains("1 person(s)", "first at row 2");
            rejectedAndNothingStaged(outcome);
            echoesNothing(outcome);
        }

        @Test
        void theColumnIsCheckedStrictly() throws Exception {
            for (String bad : List.of("y", "n", "YES", "1", "true", "X")) {
                Outcome outcome = process(MATCHED_HEADER + TOKEN_1 + ",JSA,2015-01-05,," + bad + "\n");
                assertThat(rules(outcome)).as(bad).containsExactly("one_of");
                assertThat(outcome.report().path("fileErrors").get(0).path("message").asText()).contains("column matched");
                rejectedAndNothingStaged(outcome);
            }
            Outcome empty = process(MATCHED_HEADER + TOKEN_1 + ",JSA,2015-01-05,,\n");
            assertThat(rules(empty)).containsExactly("required");
            rejectedAndNothingStaged(empty);
            Outcome twice = process("pseudo_id,benefit_type,spell_start,matched,matched\n" + TOKEN_1 + ",JSA,2015-01-05,Y,Y\n");
            assertThat(rules(twice)).contains("duplicate_column");
            rejectedAndNothingStaged(twice);
        }

        @Test
        void notFoundWithEventsRejectsTheReturn() throws Exception {
            Outcome outcome = process(MATCHED_HEADER
                    + TOKEN_1 + ",JSA,2015-01-05,,Y\n"
                    + TOKEN_2 + ",,,2015-03-01,N\n");
            assertThat(rules(outcome)).containsExactly(ReturnStages.NOT_FOUND_WITH_EVENTS);
            rejectedAndNothingStaged(outcome);
            assertThat(jdbc.queryForObject("select count(*) from return_match_status where return_id = ?", Long.class,
                    outcome.id())).isZero();
        }

        @Test
        void foundWithSomeEventsStillNeedsTheMandatoryOnes() throws Exception {
            Outcome outcome = process(MATCHED_HEADER + TOKEN_1 + ",JSA,,,Y\n" + TOKEN_2 + ",,,2015-03-01,Y\n");
            assertThat(rules(outcome)).containsExactly("required", "required");
            assertThat(outcome.report().path("fileErrors").toString()).contains("column spell_start")
                    .contains("column benefit_type");
            rejectedAndNothingStaged(outcome);
        }

        @Test
        void withoutTheColumnEmptyEventsAreStillRequired() throws Exception {
            Outcome outcome = process(HEADER + TOKEN_2 + ",,,\n");
            assertThat(rules(outcome)).containsExactly("required", "required");
            assertThat(outcome.report().path("fileErrors").toString()).contains("column benefit_type")
                    .contains("column spell_start");
            rejectedAndNothingStaged(outcome);
        }

        @Test
        void theIdentifierGuardAndTheTokenCheckStillHold() throws Exception {
            Outcome surname = process("pseudo_id,benefit_type,spell_start,matched,surname\n"
                    + TOKEN_2 + ",,,Y,Ottersby\n");
            assertThat(surname.findings()).contains("surname:" + GuardFinding.IDENTIFIER_COLUMN + ":1");
            assertThat(surname.incidents()).isEqualTo(1);
            rejectedAndNothingStaged(surname);
            Outcome postcode = process(MATCHED_HEADER + TOKEN_2 + ",,," + TestIdentities.POSTCODE + ",N\n");
            assertThat(postcode.incidents()).isEqualTo(1);
            rejectedAndNothingStaged(postcode);
            Outcome neverSent = process(MATCHED_HEADER + TestIdentities.hex64("never-sent") + ",,,,N\n");
            assertThat(rules(neverSent)).containsExactly("unknown_pseudo_id");
            rejectedAndNothingStaged(neverSent);
        }
    }

    @Nested
    class SignatureRefusals {

        @Test
        void anUnsignedReturnIsRejectedAsUnsigned() throws Exception {
            Outcome outcome = process(unsigned(goodReturn()), "WPLS");
            assertThat(rules(outcome)).containsExactly("unsigned");
            assertThat(outcome.signer()).isNull();
            rejectedAndNothingStaged(outcome);
        }

        @Test
        void aReturnSignedByAnotherKeyIsRejected() throws Exception {
            Outcome outcome = process(signedBy(stranger, goodReturn()), "WPLS");
            assertThat(rules(outcome)).containsExactly("wrong_signer");
            assertThat(outcome.signer()).isNull();
            rejectedAndNothingStaged(outcome);
        }

        @Test
        void aWronglySignedReturnIsASignatureFailureAndIsNeverComparedWithAnyone() throws Exception {
            // The forged return carries the person's date of birth: unverified, it is not even read.
            long before = jdbc.queryForObject("select coalesce(sum(occurrences), 0) from incident"
                    + " where category = 'SIGNATURE_FAILURE' and partner_code = 'DWP'", Long.class);
            Outcome outcome = process(signedBy(stranger, HEADER + TOKEN_1 + ",JSA," + TestIdentities.DATE_OF_BIRTH
                    + ",\n"), "WPLS");
            assertThat(rules(outcome)).containsExactly("wrong_signer");
            assertThat(outcome.findings()).isEmpty();
            assertThat(outcome.incidents()).as("no identifier incident").isZero();
            assertThat(jdbc.queryForObject("select coalesce(sum(occurrences), 0) from incident"
                    + " where category = 'SIGNATURE_FAILURE' and partner_code = 'DWP'", Long.class)).isEqualTo(before + 1);
            rejectedAndNothingStaged(outcome);
        }

        @Test
        void aFileThatIsNotOpenPgpIsRejected() throws Exception {
            Path file = dir.resolve("plain.pgp");
            Files.writeString(file, goodReturn());
            Outcome outcome = process(file, "WPLS");
            assertThat(rules(outcome)).containsExactly("not_openpgp");
            rejectedAndNothingStaged(outcome);
        }
    }

    @Nested
    class IdentifierColumns {

        @Test
        void aSurnameColumnIsAnIncident() throws Exception {
            Outcome outcome = process("pseudo_id,benefit_type,spell_start,surname\n"
                    + TOKEN_2 + ",JSA,2015-01-05,Ottersby\n");
            assertThat(outcome.findings()).contains("surname:" + GuardFinding.IDENTIFIER_COLUMN + ":1");
            assertThat(outcome.incidents()).isEqualTo(1);
            assertThat(rules(outcome)).startsWith("identifiers").contains("unknown_column");
            rejectedAndNothingStaged(outcome);
            assertThat(outcome.toString()).doesNotContain("Ottersby");
        }

        @Test
        void aDobColumnIsAnIncident() throws Exception {
            Outcome outcome = process("pseudo_id,DOB,benefit_type,spell_start\n"
                    + TOKEN_2 + ",2011-12-01,JSA,2015-01-05\n");
            assertThat(outcome.findings()).contains("dob:" + GuardFinding.IDENTIFIER_COLUMN + ":1");
            assertThat(outcome.incidents()).isEqualTo(1);
            rejectedAndNothingStaged(outcome);
        }
    }

    @Nested
    class IdentifierValues {

        private Outcome withNotes(String column, String value) throws Exception {
            return process("pseudo_id,benefit_type,spell_start," + column + "\n"
                    + TOKEN_2 + ",JSA,2015-01-05,\n"
                    + TOKEN_1 + ",JSA,2015-01-05,\"" + value + "\"\n");
        }

        private void incidentAt(Outcome outcome, long row, String column) {
            assertThat(outcome.findings()).contains(column + ":" + GuardFinding.IDENTIFIER_VALUE + ":1");
            assertThat(outcome.incidents()).isEqualTo(1);
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
            Outcome outcome = process(HEADER
                    + TOKEN_2 + ",JSA,2015-01-05,\n"
                    + TOKEN_1 + ",JSA," + TestIdentities.DATE_OF_BIRTH + ",\n");
            assertThat(outcome.findings()).containsExactly("spell_start:" + GuardFinding.IDENTIFIER_VALUE + ":1");
            assertThat(rules(outcome)).containsExactly("identifiers");
            incidentAt(outcome, 3, "spell_start");
        }

        @Test
        void onceTheIdentityIsShreddedOnlyShapesAreChecked() throws Exception {
            String keyId = jdbc.queryForObject("select data_key_id from intake_file where id ="
                    + " (select intake_id from extract where id = ?)", String.class, extract);
            jdbc.update("update data_key set wrapped_key = null where id = ?", keyId);
            Outcome outcome = process(HEADER + TOKEN_1 + ",JSA," + TestIdentities.DATE_OF_BIRTH + ",\n");
            assertThat(outcome.findings()).isEmpty();
            assertThat(outcome.accepted()).isTrue();
        }

        @Test
        void anotherPersonsDateOfBirthIsNotTheirs() throws Exception {
            // TOKEN_2's person was born 2011-12-01; TOKEN_1's date of birth in their row is just a date.
            Outcome outcome = process(HEADER + TOKEN_2 + ",JSA," + TestIdentities.DATE_OF_BIRTH + ",\n");
            assertThat(outcome.accepted()).isTrue();
        }
    }

    @Nested
    class Rejections {

        @Test
        void aPseudoIdNeverSentToTheDepartment() throws Exception {
            Outcome outcome = process(HEADER
                    + TOKEN_1 + ",JSA,2015-01-05,\n"
                    + TestIdentities.hex64("never-sent") + ",JSA,2015-01-05,\n"
                    + TestIdentities.hex64("hmrc-1") + ",JSA,2015-01-05,\n");
            assertThat(rules(outcome)).containsExactly("unknown_pseudo_id");
            assertThat(outcome.report().path("fileErrors").get(0).path("message").asText()).contains("2 row(s)")
                    .contains("row 3");
            assertThat(outcome.incidents()).isZero();
            rejectedAndNothingStaged(outcome);
        }

        @Test
        void anUnknownTokenAfterAStagedBatchRemovesTheStagedRows() throws Exception {
            StringBuilder csv = new StringBuilder(HEADER);
            for (int i = 0; i < ReturnStages.BATCH + 3; i++) {
                csv.append(TOKEN_2).append(",PIP,2015-01-01,\n");
            }
            csv.append(TestIdentities.hex64("never-sent")).append(",PIP,2015-01-01,\n");
            Outcome outcome = process(csv.toString());
            assertThat(rules(outcome)).containsExactly("unknown_pseudo_id");
            rejectedAndNothingStaged(outcome);
        }

        @Test
        void anySchemaViolationRejectsTheWholeReturn() throws Exception {
            Outcome outcome = process(HEADER
                    + TOKEN_1 + ",JSA,2015-01-05,\n"
                    + TOKEN_2 + ",XYZ,2015-13-05,\n"
                    + "NOT-A-TOKEN,JSA,,\n");
            assertThat(rules(outcome)).containsExactlyInAnyOrder("one_of", "iso_date", "pattern", "required");
            assertThat(outcome.report().path("fileErrors").toString()).doesNotContain("XYZ", "2015-13-05", "NOT-A-TOKEN");
            assertThat(outcome.incidents()).isZero();
            rejectedAndNothingStaged(outcome);
        }

        @Test
        void aMissingRequiredColumn() throws Exception {
            Outcome outcome = process("pseudo_id,spell_start\n" + TOKEN_1 + ",2015-01-05\n");
            assertThat(rules(outcome)).contains("missing_column", "required");
            rejectedAndNothingStaged(outcome);
        }

        @Test
        void aDatasetTheDepartmentDoesNotReturn() throws Exception {
            Outcome outcome = process(signed(goodReturn()), "ILR");
            assertThat(rules(outcome)).containsExactly("dataset_not_declared");
            assertThat(outcome.signer()).isEqualTo(dwpFingerprint());
            rejectedAndNothingStaged(outcome);
        }

        @Test
        void anUndeclaredDatasetIsStillGuarded() throws Exception {
            Outcome outcome = process(signed("pseudo_id,notes\n" + TOKEN_1 + "," + TestIdentities.NINO + "\n"),
                    "ILR");
            assertThat(rules(outcome)).containsExactly("identifiers", "dataset_not_declared");
            assertThat(outcome.incidents()).isEqualTo(1);
            rejectedAndNothingStaged(outcome);
        }

        @Test
        void anExtractNeverMadeForTheDepartment() throws Exception {
            Outcome outcome = processAs(signed(goodReturn()), "DWP_WPLS_" + UUID.randomUUID().toString().replace("-", "") + ".csv.pgp");
            assertThat(rules(outcome)).containsExactly("unknown_extract");
            rejectedAndNothingStaged(outcome);
        }

        @Test
        void anExtractWithdrawnBecauseItsCouncilDataWasDestroyed() throws Exception {
            // What retention leaves: the extract REFUSED with the reason, its members gone.
            jdbc.update("update extract set status = 'REFUSED', last_error = ? where id = ?",
                    DepartmentReturns.DATA_DESTROYED, extract);
            jdbc.update("delete from extract_member where extract_id = ?", extract);
            Outcome outcome = process(signed(goodReturn()), "WPLS");
            assertThat(rules(outcome)).containsExactly("extract_data_destroyed");
            assertThat(outcome.report().path("fileErrors").get(0).path("message").asText()).contains("destroyed");
            rejectedAndNothingStaged(outcome);
        }

        @Test
        void aNameOfAnotherDepartment() throws Exception {
            // In DWP's account, a name of another department's return: refused unopened.
            Outcome outcome = processAs(signed(goodReturn()), "HMRC_WPLS_" + extract + ".csv.pgp");
            assertThat(rules(outcome)).containsExactly("file_name");
            assertThat(outcome.signer()).as("not even decrypted").isNull();
            rejectedAndNothingStaged(outcome);
        }

        @Test
        void anEmptyFileAndAHeaderOnly() throws Exception {
            assertThat(rules(process(""))).containsExactly("no_header");
            Outcome headerOnly = process(HEADER);
            assertThat(rules(headerOnly)).containsExactly("no_rows");
            assertThat(headerOnly.staged()).isZero();
        }

        @Test
        void leftoversOfAnInterruptedAttemptAreRemovedFirst() throws Exception {
            // A first attempt claimed the file and staged a row, then the gateway crashed.
            Path file = signed(goodReturn());
            String name = "DWP_WPLS_" + extract + ".csv.pgp";
            Path custody = gateway.takeIn.takeIn("DWP", file, name, "crashed-upload", false);
            String returnId = gateway.returns.claim("DWP", custody).entry().id();
            jdbc.update("insert into return_record (return_id, row_number, department_code, dataset, pseudo_id, data)"
                    + " values (?, 99, 'DWP', 'WPLS', ?, '{}')", returnId, PSEUDO_3);

            // The same upload taken in again after the restart: the same return, resumed.
            Outcome outcome = outcome(gateway.department("DWP", file, name, "crashed-upload"));
            assertThat(outcome.id()).isEqualTo(returnId);
            assertThat(outcome.accepted()).isTrue();
            assertThat(outcome.staged()).isEqualTo(3);
            assertThat(jdbc.queryForObject("select attempts from return_file where id = ?", Integer.class, returnId))
                    .isEqualTo(2);
        }
    }
}
