package org.linkgate.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.linkgate.audit.AuditLog;
import org.linkgate.crypto.CryptoFaults;
import org.linkgate.demo.DemoBootstrap;
import org.linkgate.demo.SyntheticBatchGenerator;
import org.linkgate.inbound.DropZoneTakeIn;
import org.linkgate.inbound.InboundLedger;
import org.linkgate.inbound.InboundStatus;
import org.linkgate.inbound.TestLedgers;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.ReceivedFileCustody;
import org.linkgate.support.CouncilSide;
import org.linkgate.support.TestCsv;
import org.linkgate.transfer.SftpServerLifecycle;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * End to end through the external contract only: a council uploads over real SFTP to the
 * embedded server, with real OpenPGP, into a real database; it reads its encrypted report
 * back over SFTP. Each case asserts the outcome the contract promises.
 */
@SpringBootTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CouncilIntakeIT {

    static final String COUNCIL = DemoBootstrap.DEMO_COUNCIL;
    static final String OTHER_COUNCIL = "E10000013";
    static final Path HOME = GatewayTestHome.create(OTHER_COUNCIL);
    static final Duration WAIT = Duration.ofSeconds(60);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestHome.register(registry, HOME);
    }

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SftpServerLifecycle sftp;
    @Autowired
    GatewayHome home;
    @Autowired
    CamelContext camel;
    @Autowired
    ReceivedFileCustody custody;

    CouncilSide council;
    CouncilSide otherCouncil;

    @BeforeAll
    void connect() throws Exception {
        council = new CouncilSide(COUNCIL, home, sftp.port());
        otherCouncil = new CouncilSide(OTHER_COUNCIL, home, sftp.port());
    }

    /** A fresh contract name per upload: period and sequence vary. */
    static String nextName(String council) {
        int n = SEQUENCE.incrementAndGet();
        return String.format("%s_%d-%02d_%02d.csv.gpg", council, 2015 + n / 12, 1 + n % 12, n % 100);
    }

    JsonNode send(byte[] plaintext) throws Exception {
        String name = nextName(COUNCIL);
        council.upload(name, council.encryptAndSign(plaintext));
        return council.awaitReport(name, WAIT);
    }

    JsonNode sendRaw(byte[] content) throws Exception {
        String name = nextName(COUNCIL);
        council.upload(name, content);
        return council.awaitReport(name, WAIT);
    }

    long records(JsonNode report) {
        String id = jdbc.queryForObject("select id from intake_file where council_code = ? and file_name = ?"
                + " order by received_at desc limit 1", String.class, COUNCIL, report.get("fileName").asText());
        return jdbc.queryForObject("select count(*) from research_record where intake_id = ?", Long.class, id);
    }

    static List<String> fileErrorRules(JsonNode report) {
        return Stream.of(report.get("fileErrors")).flatMap(n -> n.findValuesAsText("rule").stream()).toList();
    }

    @Test
    void everyCouncilHasItsRoute() {
        assertThat(camel.getRoute("intake-e10000012")).isNotNull();
        assertThat(camel.getRoute("intake-e10000013")).isNotNull();
        assertThat(camel.getRoute("dropzone-e10000012")).isNotNull();
        assertThat(camel.getRoute("dropzone-e10000013")).isNotNull();
    }

    @Nested
    class GoodBatches {

        @Test
        void syntheticBatchIsAcceptedPseudonymisedAndArchived() throws Exception {
            StringWriter csv = new StringWriter();
            new SyntheticBatchGenerator(7, LocalDate.of(2015, 6, 30)).write(csv, 120);
            byte[] plaintext = csv.toString().getBytes(StandardCharsets.UTF_8);
            String name = nextName(COUNCIL);
            byte[] ciphertext = council.encryptAndSign(plaintext);
            council.upload(name, ciphertext);
            JsonNode report = council.awaitReport(name, WAIT);

            assertThat(report.get("status").asText()).isEqualTo("ACCEPTED");
            assertThat(report.get("counts").get("rows").asLong()).isEqualTo(120);
            assertThat(report.get("counts").get("accepted").asLong()).isEqualTo(120);
            assertThat(report.get("sha256").asText()).isEqualTo(sha256(ciphertext));
            assertThat(records(report)).isEqualTo(120);

            // Research records: keyed hashes and derived variables, nothing identifying.
            List<String> columns = jdbc.queryForList("select column_name from information_schema.columns"
                    + " where table_name = 'research_record'", String.class);
            assertThat(columns).doesNotContain("forename", "surname", "date_of_birth", "postcode", "nino",
                    "nhs_number", "upn", "person_ref", "family_ref");
            var sample = jdbc.queryForMap("select * from research_person r join intake_file f on f.id = r.intake_id"
                    + " where f.file_name = ? and r.row_number = 2", name);
            assertThat((String) sample.get("pseudo_id")).matches("[0-9a-f]{64}");
            assertThat(sample.get("council_code")).isEqualTo(COUNCIL);
            assertThat(sample.get("period")).isEqualTo(name.substring(10, 17));
            assertThat(sample.get("family_size")).isNotNull();
            assertThat(sample.get("age_band")).isNotNull();

            // Identity kept for extracts is sealed: no synthetic surname appears in the vault bytes.
            List<byte[]> sealed = jdbc.queryForList("select v.sealed from identity_vault v join intake_file f"
                    + " on f.id = v.intake_id where f.file_name = ?", byte[].class, name);
            assertThat(sealed).hasSize(120);
            String vaultBytes = new String(sealed.get(0), StandardCharsets.ISO_8859_1);
            for (String surname : List.of("Smith", "Jones", "Taylor", "Brown", "Khan", "Patel")) {
                assertThat(vaultBytes).doesNotContain(surname);
            }

            // The file left the drop-zone into the archive, sealed under a data key of its own (so it can be
            // crypto-shredded): not the received bytes on disk, but exactly them once opened with that key.
            // The report goes out before the file is archived, so the archive is awaited.
            java.time.Instant archiveDeadline = java.time.Instant.now().plus(WAIT);
            while (jdbc.queryForObject("select archived_at from intake_file where file_name = ?",
                    java.sql.Timestamp.class, name) == null) {
                assertThat(java.time.Instant.now()).as("archived").isBefore(archiveDeadline);
                Thread.sleep(100);
            }
            assertThat(Files.exists(home.inbound(COUNCIL).resolve(name))).isFalse();
            String archivePath = jdbc.queryForObject("select archive_path from intake_file where file_name = ?",
                    String.class, name);
            assertThat(Files.readAllBytes(home.root().resolve(archivePath))).isNotEqualTo(ciphertext);
            try (var opened = custody.open(archivePath)) {
                assertThat(opened.readAllBytes()).isEqualTo(ciphertext);
            }

            // Every movement is in the audit trail, in order.
            String id = jdbc.queryForObject("select id from intake_file where file_name = ?", String.class, name);
            assertThat(jdbc.queryForList("select event_type from audit_event where subject_id = ? order by id",
                    String.class, id)).containsExactly("FILE_RECEIVED", "FILE_VERIFIED", "FILE_ACCEPTED", "REPORT_SENT",
                    "FILE_ARCHIVED");
        }

        @Test
        void samePersonInTwoCouncilsGetsOnePseudoIdButFamiliesStayApart() throws Exception {
            byte[] plaintext = new TestCsv().validRows(1).bytes();
            String a = nextName(COUNCIL);
            String b = nextName(OTHER_COUNCIL);
            council.upload(a, council.encryptAndSign(plaintext));
            otherCouncil.upload(b, otherCouncil.encryptAndSign(plaintext));
            assertThat(council.awaitReport(a, WAIT).get("status").asText()).isEqualTo("ACCEPTED");
            assertThat(otherCouncil.awaitReport(b, WAIT).get("status").asText()).isEqualTo("ACCEPTED");
            var rows = jdbc.queryForList("select r.pseudo_id, r.family_pseudo_id from research_record r"
                    + " join intake_file f on f.id = r.intake_id where f.file_name in (?, ?)", a, b);
            assertThat(rows).hasSize(2);
            assertThat(rows.get(0).get("pseudo_id")).isEqualTo(rows.get(1).get("pseudo_id"));
            assertThat(rows.get(0).get("family_pseudo_id")).isNotEqualTo(rows.get(1).get("family_pseudo_id"));
        }

        @Test
        void sameFileTwiceIsReportedAsDuplicateAndNotProcessedAgain() throws Exception {
            byte[] ciphertext = council.encryptAndSign(new TestCsv().validRows(3).bytes());
            String first = nextName(COUNCIL);
            council.upload(first, ciphertext);
            assertThat(council.awaitReport(first, WAIT).get("status").asText()).isEqualTo("ACCEPTED");
            String second = nextName(COUNCIL);
            council.upload(second, ciphertext);
            JsonNode duplicate = council.awaitReport(second, WAIT);
            assertThat(duplicate.get("status").asText()).isEqualTo("REJECTED");
            assertThat(fileErrorRules(duplicate)).containsExactly("duplicate");
            assertThat(duplicate.get("duplicateOf").get("fileName").asText()).isEqualTo(first);
            assertThat(jdbc.queryForObject("select count(*) from research_record r join intake_file f"
                    + " on f.id = r.intake_id where f.sha256 = ?", Long.class, sha256(ciphertext))).isEqualTo(3);
        }
    }

    @Nested
    class BadRows {

        @Test
        void someBadRowsArePartialAndReportedWithoutValues() throws Exception {
            TestCsv csv = new TestCsv().validRows(40)
                    .rowWith("postcode", "ZZ99 XYZQ")
                    .rowWith("date_of_birth", "1899-12-31")
                    .rowWith("forename", "R2D2-Unit");
            JsonNode report = send(csv.bytes());
            assertThat(report.get("status").asText()).isEqualTo("PARTIAL");
            assertThat(report.get("counts").get("accepted").asLong()).isEqualTo(40);
            assertThat(report.get("counts").get("rejected").asLong()).isEqualTo(3);
            assertThat(report.get("problems").findValuesAsText("column"))
                    .containsExactlyInAnyOrder("postcode", "date_of_birth", "forename");
            // Header is row 1, so the 41st data row is spreadsheet row 42.
            assertThat(report.get("problems").get(0).get("row").asLong()).isEqualTo(42);
            assertThat(report.toString()).doesNotContain("ZZ99", "1899-12-31", "R2D2", "Mctestface", "Testbury");
            assertThat(records(report)).isEqualTo(40);
        }

        @Test
        void duplicatePersonRefsAreReportedAndOnlyTheFirstKept() throws Exception {
            TestCsv csv = new TestCsv().validRows(20).rowWith("person_ref", "P1");
            JsonNode report = send(csv.bytes());
            assertThat(report.get("status").asText()).isEqualTo("PARTIAL");
            assertThat(report.get("problems").get(0).get("rule").asText()).isEqualTo("unique");
            assertThat(report.get("problems").get(0).get("row").asLong()).isEqualTo(22);
            assertThat(records(report)).isEqualTo(20);
            // The later duplicate was staged for linkage too, and is not linked.
            String id = jdbc.queryForObject("select id from intake_file where council_code = ? and file_name = ?"
                    + " order by received_at desc limit 1", String.class, COUNCIL, report.get("fileName").asText());
            assertThat(jdbc.queryForObject("select count(*) from linkage_row where intake_id = ?", Long.class, id))
                    .isEqualTo(20);
            assertThat(jdbc.queryForObject("select count(distinct row_number) from linkage_key where intake_id = ?",
                    Long.class, id)).isEqualTo(20);
        }

        @Test
        void tooManyBadRowsRejectTheWholeFile() throws Exception {
            TestCsv csv = new TestCsv().validRows(3).rowWith("sex", "X").rowWith("cohort", "BOTH");
            JsonNode report = send(csv.bytes());
            assertThat(report.get("status").asText()).isEqualTo("REJECTED");
            assertThat(fileErrorRules(report)).containsExactly("too_many_bad_rows");
            assertThat(report.get("problems").size()).isEqualTo(2);
            assertThat(records(report)).isZero();
        }
    }

    @Nested
    class BadFiles {

        @Test
        void missingRequiredColumn() throws Exception {
            JsonNode report = send(new TestCsv().withoutColumn("postcode").validRows(3).bytes());
            assertThat(report.get("status").asText()).isEqualTo("REJECTED");
            assertThat(fileErrorRules(report)).contains("missing_column");
            assertThat(report.get("fileErrors").toString()).contains("postcode");
        }

        @Test
        void headerOnly() throws Exception {
            JsonNode report = send(new TestCsv().bytes());
            assertThat(fileErrorRules(report)).containsExactly("no_rows");
        }

        @Test
        void notUtf8() throws Exception {
            byte[] latin1 = new String(new TestCsv().rowWith("forename", "Zoë").bytes(), StandardCharsets.UTF_8)
                    .getBytes(StandardCharsets.ISO_8859_1);
            JsonNode report = send(latin1);
            assertThat(fileErrorRules(report)).containsExactly("not_utf8");
        }

        @Test
        void notCsvAtAll() throws Exception {
            byte[] binary = new byte[4096];
            new java.util.Random(3).nextBytes(binary);
            JsonNode report = send(binary);
            assertThat(report.get("status").asText()).isEqualTo("REJECTED");
            assertThat(records(report)).isZero();
        }

        @Test
        void hugeFieldIsRefusedWithoutReadingItAll() throws Exception {
            // Random letters, so the field does not compress away and trip the compression-ratio guard instead.
            java.util.Random random = new java.util.Random(11);
            StringBuilder huge = new StringBuilder(3_000_000);
            while (huge.length() < 3_000_000) {
                huge.append((char) ('a' + random.nextInt(26)));
            }
            JsonNode report = send(new TestCsv().validRows(2).rowWith("address_line_1", huge.toString()).bytes());
            assertThat(fileErrorRules(report)).containsExactly("record_too_long");
        }

        @Test
        void emptyUpload() throws Exception {
            JsonNode report = sendRaw(new byte[0]);
            assertThat(report.get("status").asText()).isEqualTo("REJECTED");
            assertThat(fileErrorRules(report)).containsExactly("not_openpgp");
        }

        @Test
        void fileNameBreakingThePatternGetsAReport() throws Exception {
            council.upload("batch-june.csv.gpg", council.encryptAndSign(new TestCsv().validRows(1).bytes()));
            JsonNode report = council.awaitReport("batch-june.csv.gpg", WAIT);
            assertThat(fileErrorRules(report)).containsExactly("file_name");
        }

        @Test
        void anotherCouncilsCodeInTheNameIsRefused() throws Exception {
            String name = nextName(OTHER_COUNCIL);
            council.upload(name, council.encryptAndSign(new TestCsv().validRows(1).bytes()));
            assertThat(fileErrorRules(council.awaitReport(name, WAIT))).containsExactly("file_name");
        }

        @Test
        void partialUploadIsLeftAlone() throws Exception {
            String name = nextName(COUNCIL);
            try (var client = council.connect()) {
                client.channel().put(new java.io.ByteArrayInputStream(council.encryptAndSign(new TestCsv().validRows(1).bytes())),
                        "inbound/" + name + ".part");
            }
            Thread.sleep(4000);
            assertThat(Files.exists(home.inbound(COUNCIL).resolve(name + ".part"))).isTrue();
            assertThat(jdbc.queryForObject("select count(*) from intake_file where file_name like ?", Long.class,
                    name + "%")).isZero();
        }
    }

    @Nested
    class BadCryptography {

        @Test
        void unsigned() throws Exception {
            JsonNode report = sendRaw(CryptoFaults.unsigned(new TestCsv().validRows(1).bytes(), council.gatewayPublic()));
            assertThat(fileErrorRules(report)).containsExactly("unsigned");
        }

        @Test
        void signedByAnotherCouncil() throws Exception {
            JsonNode report = sendRaw(CouncilSide.encryptAndSign(new TestCsv().validRows(1).bytes(),
                    council.gatewayPublic(), otherCouncil.key()));
            assertThat(fileErrorRules(report)).containsExactly("wrong_signer");
            assertThat(records(report)).isZero();
        }

        @Test
        void encryptedToTheWrongKey() throws Exception {
            JsonNode report = sendRaw(CouncilSide.encryptAndSign(new TestCsv().validRows(1).bytes(),
                    otherCouncil.key().publicRing(), council.key()));
            assertThat(fileErrorRules(report)).containsExactly("wrong_recipient");
        }

        @Test
        void tamperedCiphertext() throws Exception {
            byte[] ciphertext = council.encryptAndSign(new TestCsv().validRows(30).bytes());
            ciphertext[ciphertext.length / 2] ^= 0x01;
            JsonNode report = sendRaw(ciphertext);
            assertThat(report.get("status").asText()).isEqualTo("REJECTED");
            assertThat(fileErrorRules(report)).containsAnyOf("integrity_check_failed", "not_decryptable", "bad_signature");
            assertThat(records(report)).isZero();
        }

        @Test
        void legacyPacketWithoutIntegrityProtection() throws Exception {
            JsonNode report = sendRaw(CryptoFaults.withoutIntegrityProtection(new TestCsv().validRows(1).bytes(),
                    council.gatewayPublic(), council.key()));
            assertThat(fileErrorRules(report)).containsExactly("no_integrity_protection");
        }

        @Test
        void compressionBomb() throws Exception {
            JsonNode report = sendRaw(CryptoFaults.compressionBomb(64L << 20, council.gatewayPublic(), council.key()));
            assertThat(fileErrorRules(report)).containsExactly("too_large");
        }
    }

    /**
     * Crash recovery, simulated by leaving the ledger and custody as a crash at each step would have
     * left them: the ledger row is seeded first, then the custody copy put in place as the drop-zone
     * route would, so the intake route meets exactly that state.
     */
    @Nested
    class Recovery {

        @Autowired
        org.springframework.transaction.support.TransactionTemplate transactions;
        @Autowired
        org.linkgate.inbound.DropZoneTakeIn takeIn;
        @Autowired
        AuditLog audit;
        InboundLedger ledger;

        @BeforeEach
        void ledger() {
            ledger = TestLedgers.councils(jdbc, transactions, java.time.Clock.systemUTC(), audit);
        }

        /** Claims a file as a crashed attempt did, for the take-in of {@code upload}; returns its id. */
        String seed(String name, byte[] ciphertext, String upload) throws Exception {
            return ledger.claim(COUNCIL, name, sha256(ciphertext), ciphertext.length,
                    DropZoneTakeIn.sourceKey(COUNCIL, upload), java.util.Map.of("period", name.substring(10, 17)))
                    .file().id();
        }

        /** Puts the file in custody under the take-in of {@code upload}, as the drop-zone route does. */
        void takeIn(String name, byte[] ciphertext, String upload) throws Exception {
            Path file = Files.createTempFile("upload", ".gpg");
            Files.write(file, ciphertext);
            takeIn.takeIn(COUNCIL, file, name, upload, true);
        }

        long intakeRows(String name) {
            return jdbc.queryForObject("select count(*) from intake_file where file_name = ?", Long.class, name);
        }

        @Test
        void crashMidIngestResumesWithoutDoubleCounting() throws Exception {
            byte[] ciphertext = council.encryptAndSign(new TestCsv().validRows(10).bytes());
            String name = nextName(COUNCIL);
            String crashed = seed(name, ciphertext, "mid-ingest " + name);
            // The crashed attempt had staged rows that must not survive.
            var writer = new org.linkgate.store.ResearchStoreWriter(jdbc, transactions, crashed);
            for (int row = 2; row < 9; row++) {
                writer.add(new org.linkgate.pseudonymisation.ResearchRecord(row, "stale" + row, "stale", "stale" + row,
                        COUNCIL, "2015-06", "TREATMENT", "F", 9, org.linkgate.pseudonymisation.AgeBand.of(9), "2015-05",
                        new org.linkgate.pseudonymisation.ResearchRecord.ProblemFlags(0, 0, 0, 0, 0, 0), "v1"), new byte[] {1});
            }
            writer.flush();

            takeIn(name, ciphertext, "mid-ingest " + name);
            JsonNode report = council.awaitReport(name, WAIT);

            assertThat(report.get("status").asText()).isEqualTo("ACCEPTED");
            assertThat(intakeRows(name)).isEqualTo(1);
            assertThat(jdbc.queryForObject("select attempts from intake_file where id = ?", Integer.class, crashed))
                    .isEqualTo(2);
            assertThat(jdbc.queryForObject("select count(*) from research_person where intake_id = ?", Long.class,
                    crashed)).isEqualTo(10);
            assertThat(jdbc.queryForObject("select count(*) from research_record where intake_id = ? and pseudo_id like 'stale%'",
                    Long.class, crashed)).isZero();
        }

        @Test
        void crashAfterTheReportWentOutArchivesWithoutASecondReport() throws Exception {
            byte[] ciphertext = council.encryptAndSign(new TestCsv().validRows(2).bytes());
            String name = nextName(COUNCIL);
            String crashed = seed(name, ciphertext, "after-report " + name);
            TestLedgers.complete(ledger, transactions, crashed, COUNCIL, InboundStatus.ACCEPTED, 2, 2);
            ledger.reportSent(crashed, COUNCIL, name + ".report.json.pgp");

            takeIn(name, ciphertext, "after-report " + name);
            awaitArchived(crashed);

            assertThat(intakeRows(name)).isEqualTo(1);
            assertThat(Files.exists(home.outbound(COUNCIL).resolve(name + ".report.json.pgp"))).isFalse();
            assertThat(custodyOf(COUNCIL)).isEmpty();
        }

        @Test
        void aTakeInRepeatedAfterTheFileFinishedEndsQuietly() throws Exception {
            // The custody copy was processed to its end, but the crash came before the upload was
            // removed from the drop-zone: the next poll takes the same upload in again.
            byte[] ciphertext = council.encryptAndSign(new TestCsv().validRows(2).bytes());
            String name = nextName(COUNCIL);
            String finished = seed(name, ciphertext, "finished " + name);
            TestLedgers.complete(ledger, transactions, finished, COUNCIL, InboundStatus.ACCEPTED, 2, 2);
            ledger.reportSent(finished, COUNCIL, name + ".report.json.pgp");
            ledger.archived(finished, COUNCIL, "archive/x");
            long eventsBefore = jdbc.queryForObject("select count(*) from audit_event where subject_id = ?", Long.class,
                    finished);

            takeIn(name, ciphertext, "finished " + name);
            java.time.Instant deadline = java.time.Instant.now().plus(WAIT);
            while (!custodyOf(COUNCIL).isEmpty()) {
                assertThat(java.time.Instant.now()).isBefore(deadline);
                Thread.sleep(100);
            }
            assertThat(intakeRows(name)).as("not a second intake, not a duplicate").isEqualTo(1);
            assertThat(Files.exists(home.outbound(COUNCIL).resolve(name + ".report.json.pgp"))).isFalse();
            assertThat(jdbc.queryForObject("select count(*) from audit_event where subject_id = ?", Long.class, finished))
                    .isEqualTo(eventsBefore);
        }

        @Test
        void aFileThatKeepsFailingIsQuarantinedWithAnAlert() throws Exception {
            byte[] ciphertext = council.encryptAndSign(new TestCsv().validRows(2).bytes());
            String name = nextName(COUNCIL);
            String crashed = seed(name, ciphertext, "failing " + name);
            jdbc.update("update intake_file set attempts = 3 where id = ?", crashed);

            takeIn(name, ciphertext, "failing " + name);
            awaitArchived(crashed);

            assertThat(jdbc.queryForObject("select status from intake_file where id = ?", String.class, crashed))
                    .isEqualTo("QUARANTINED");
            assertThat(Files.exists(home.quarantine(COUNCIL).resolve(crashed + ReceivedFileCustody.SUFFIX))).isTrue();
            // The alert is raised just after the quarantine is recorded (archived_at), not in its transaction.
            java.time.Instant deadline = java.time.Instant.now().plus(WAIT);
            while (jdbc.queryForObject("select count(*) from alert where subject_id = ? and category = 'FILE_QUARANTINED'",
                    Long.class, crashed) == 0) {
                assertThat(java.time.Instant.now()).isBefore(deadline);
                Thread.sleep(100);
            }
            assertThat(jdbc.queryForObject("select count(*) from alert where subject_id = ? and category = 'FILE_QUARANTINED'",
                    Long.class, crashed)).isEqualTo(1);
            assertThat(Files.exists(home.outbound(COUNCIL).resolve(name + ".report.json.pgp"))).isFalse();
        }

        void awaitArchived(String id) throws InterruptedException {
            java.time.Instant deadline = java.time.Instant.now().plus(WAIT);
            while (jdbc.queryForObject("select archived_at from intake_file where id = ?", java.sql.Timestamp.class, id) == null) {
                assertThat(java.time.Instant.now()).isBefore(deadline);
                Thread.sleep(100);
            }
        }
    }

    List<Path> custodyOf(String partner) throws IOException {
        Path dir = home.inboundCustody(partner);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.toList();
        }
    }

    static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
