package org.linkgate.incident;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.linkgate.agreement.Agreement;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.audit.AuditLog;
import org.linkgate.crypto.CryptoFaults;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.PgpDecryptVerifier;
import org.linkgate.crypto.PgpLimits;
import org.linkgate.crypto.VerifiedPlaintext;
import org.linkgate.demo.DemoBootstrap;
import org.linkgate.demo.DemoReturns;
import org.linkgate.demo.PartnerSftpClient;
import org.linkgate.demo.SshKeyFiles;
import org.linkgate.demo.SyntheticBatchGenerator;
import org.linkgate.intake.GatewayTestHome;
import org.linkgate.kernel.Alerts;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.GatewaySecrets;
import org.linkgate.support.CouncilSide;
import org.linkgate.support.DepartmentSide;
import org.linkgate.support.GatewayHttp;
import org.linkgate.transfer.SftpServerLifecycle;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Incidents end to end on a running gateway with a real SMTP server (GreenMail) in the test: for
 * each trigger — a council's bad signature, identifiers in a department return, a department's bad
 * signature, repeated SFTP authentication failures, a hostile file name, a file outside the
 * drop-zone layout, an audit-chain break and a destruction failure — the incident is recorded with
 * its 24-hour deadline, an e-mail reaches every agreement contact and configured address, and a
 * partner-related incident puts an encrypted, gateway-signed notice into that partner's outbound
 * folder. Nothing personal is in any of them. Then operators acknowledge and close over HTTP with
 * CSRF, and an incident past its deadline is flagged.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IncidentNotificationIT {

    static final Path HOME = GatewayTestHome.create("E10000013");
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String CONFIGURED = "operators@gateway.example.invalid";
    static final GreenMail SMTP = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    static final Set<String> IDENTITY_COLUMNS = Set.of("person_ref", "family_ref", "forename", "middle_names", "surname",
            "date_of_birth", "address_line_1", "address_line_2", "town", "postcode", "nino", "nhs_number", "upn");

    static {
        SMTP.start();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestHome.register(registry, HOME);
        registry.add("linkgate.departments.poll-interval", () -> "300ms");
        registry.add("linkgate.departments.stable-for", () -> "300ms");
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> String.valueOf(SMTP.getSmtp().getPort()));
        registry.add("linkgate.incidents.notify[0]", () -> CONFIGURED);
        registry.add("linkgate.incidents.notify-interval", () -> "300");
        registry.add("linkgate.incidents.deadline-check-interval", () -> "500");
        registry.add("linkgate.incidents.audit-chain-check-interval", () -> "1000");
        registry.add("linkgate.incidents.drop-zone-check-interval", () -> "500");
        registry.add("linkgate.incidents.sftp-auth-failures", () -> "3");
        registry.add("linkgate.incidents.retry-base", () -> "1000");
    }

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SftpServerLifecycle sftp;
    @Autowired
    GatewayHome home;
    @Autowired
    PartnerRegistry registry;
    @Autowired
    AgreementPolicy agreement;
    @Autowired
    Incidents incidents;
    @Autowired
    AuditLog audit;
    @Autowired
    Alerts alerts;
    @Autowired
    IncidentRecipients recipients;
    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;
    @LocalServerPort
    int httpPort;

    CouncilSide council;
    CouncilSide otherCouncil;
    DepartmentSide dfe;
    DepartmentSide.Extract dfeExtract;
    /** Every identifying value the test sent: none may appear in an e-mail or notice. */
    final Set<String> personalValues = new HashSet<>();

    @BeforeAll
    void acceptABatchAndCollectTheDfeExtract() throws Exception {
        council = new CouncilSide(DemoBootstrap.DEMO_COUNCIL, home, sftp.port());
        otherCouncil = new CouncilSide("E10000013", home, sftp.port());
        StringWriter csv = new StringWriter();
        new SyntheticBatchGenerator(31, LocalDate.of(2015, 6, 30)).write(csv, 40);
        remember(csv.toString());
        String name = "E10000012_2015-06_01.csv.gpg";
        council.upload(name, council.encryptAndSign(csv.toString().getBytes(StandardCharsets.UTF_8)));
        assertThat(council.awaitReport(name, WAIT).get("status").asText()).isEqualTo("ACCEPTED");
        dfe = new DepartmentSide("DFE", home, sftp.port());
        dfeExtract = dfe.awaitExtract(WAIT);
        assertThat(personalValues).hasSizeGreaterThan(100);
    }

    @AfterAll
    void stopSmtp() {
        SMTP.stop();
    }

    @Test
    void councilSignatureFailureIsOneIncidentToldToEveryone() throws Exception {
        byte[] batch = csvOf(5);
        String name = "E10000012_2015-06_02.csv.gpg";
        council.upload(name, CouncilSide.encryptAndSign(batch, council.gatewayPublic(), otherCouncil.key()));
        assertThat(council.awaitReport(name, WAIT).get("fileErrors").findValuesAsText("rule")).containsExactly("wrong_signer");

        String id = await("SIGNATURE_FAILURE", "E10000012");
        assertIncident(id, IncidentCategory.SIGNATURE_FAILURE, "E10000012");
        assertNotice(id, council.key(), home.outbound("E10000012"), "E10000012");

        // A second bad file while the incident is open counts on it: no new incident, no new e-mails.
        String again = "E10000012_2015-06_03.csv.gpg";
        council.upload(again, CryptoFaults.unsigned(csvOf(6), council.gatewayPublic()));
        assertThat(council.awaitReport(again, WAIT).get("fileErrors").findValuesAsText("rule")).containsExactly("unsigned");
        assertThat(jdbc.queryForObject("select occurrences from incident where id = ?", Integer.class, id)).isEqualTo(2);
        assertThat(jdbc.queryForObject("select count(*) from incident where category = 'SIGNATURE_FAILURE'"
                + " and partner_code = 'E10000012'", Long.class)).isEqualTo(1);
        Thread.sleep(1500);
        assertThat(emailsFor(id)).as("no second e-mail for the recurrence").hasSize(expectedAddresses().size());
    }

    @Test
    void identifiersInADepartmentReturn() throws Exception {
        String csv = goodReturn();
        String withSurname = csv.lines().findFirst().orElseThrow() + ",surname\r\n"
                + csv.lines().skip(1).map(l -> l + ",Returnperson").reduce("", (a, b) -> a + b + "\r\n");
        personalValues.add("Returnperson");
        JsonNode report = sendReturn(dfe.encryptAndSign(withSurname.getBytes(StandardCharsets.UTF_8)));
        assertThat(report.get("status").asText()).isEqualTo("REJECTED");

        String id = await("IDENTIFIERS_IN_RETURN", "DFE");
        assertIncident(id, IncidentCategory.IDENTIFIERS_IN_RETURN, "DFE");
        assertNotice(id, dfe.key(), home.sftpHome("dfe").resolve("upload"), "DFE");
    }

    @Test
    void departmentSignatureFailure() throws Exception {
        JsonNode report = sendReturn(CryptoFaults.unsigned(goodReturn().getBytes(StandardCharsets.UTF_8),
                council.gatewayPublic()));
        assertThat(report.get("fileErrors").findValuesAsText("rule")).contains("unsigned");

        String id = await("SIGNATURE_FAILURE", "DFE");
        assertIncident(id, IncidentCategory.SIGNATURE_FAILURE, "DFE");
        assertNotice(id, dfe.key(), home.sftpHome("dfe").resolve("upload"), "DFE");
    }

    @Test
    void repeatedSftpAuthenticationFailures() throws Exception {
        Path strangerKey = Files.createTempDirectory("stranger").resolve("id");
        SshKeyFiles.write(SshKeyFiles.generate(), "stranger", strangerKey);
        for (int i = 0; i < 3; i++) {
            try (PartnerSftpClient client = new PartnerSftpClient("localhost", sftp.port(), "e10000013", strangerKey,
                    home.gatewayKeyDir().resolve(GatewaySecrets.SSH_KNOWN_HOSTS))) {
                throw new AssertionError("a key not registered for the account logged in");
            } catch (com.jcraft.jsch.JSchException expected) {
                // refused, as it must be
            }
        }
        String id = await("SFTP_AUTH_FAILURES", "E10000013");
        assertIncident(id, IncidentCategory.SFTP_AUTH_FAILURES, "E10000013");
        assertNotice(id, otherCouncil.key(), home.outbound("E10000013"), "E10000013");
        // The client's address (personal data) is named only by its keyed label, in the incident and the e-mails.
        String summary = jdbc.queryForObject("select summary from incident where id = ?", String.class, id);
        assertThat(summary).containsPattern("addr:[0-9a-f]{16}").doesNotContain("127.0.0.1").doesNotContain("0:0:0:0:0:0:0:1");
        for (MimeMessage mail : emailsFor(id)) {
            assertThat(GreenMailUtil.getBody(mail) + mail.getSubject()).doesNotContain("127.0.0.1")
                    .doesNotContain("0:0:0:0:0:0:0:1");
        }
    }

    @Test
    void aFileWithAHostileNameIsQuarantinedAndAnIncident() throws Exception {
        try (PartnerSftpClient client = council.connect()) {
            client.upload(new ByteArrayInputStream(council.encryptAndSign(csvOf(3))), "inbound", "batch$(x).csv.gpg");
        }
        String id = await("UNEXPECTED_FILE", "E10000012");
        assertIncident(id, IncidentCategory.UNEXPECTED_FILE, "E10000012");
        assertThat(jdbc.queryForObject("select status from intake_file where id = (select subject_id from incident"
                + " where id = ?)", String.class, id)).isEqualTo("QUARANTINED");
        assertNotice(id, council.key(), home.outbound("E10000012"), "E10000012");
        assertThat(emailsFor(id)).allSatisfy(m -> assertThat(GreenMailUtil.getBody(m)).doesNotContain("$(x)"));
    }

    @Test
    void aFileWhereTheDropZoneLayoutNeverPutsOne() throws Exception {
        Files.writeString(home.sftpHome("e10000013").resolve("stray-notes.txt"), "left on the host");
        String id = await("UNEXPECTED_FILE", "E10000013");
        assertIncident(id, IncidentCategory.UNEXPECTED_FILE, "E10000013");
        assertThat(incidents.find(id).orElseThrow().summary()).doesNotContain("stray-notes");
        assertNotice(id, otherCouncil.key(), home.outbound("E10000013"), "E10000013");
        Thread.sleep(1500);
        assertThat(jdbc.queryForObject("select count(*) from incident where category = 'UNEXPECTED_FILE'"
                + " and partner_code = 'E10000013'", Long.class)).as("one incident while it lasts").isEqualTo(1);
    }

    @Test
    void anAuditChainBreak() throws Exception {
        jdbc.update("update audit_event set detail = 'rewritten' where seq = 3");
        String id = await("AUDIT_CHAIN_BREAK", null);
        assertIncident(id, IncidentCategory.AUDIT_CHAIN_BREAK, null);
        assertThat(incidents.find(id).orElseThrow().subjectId()).isEqualTo("audit-seq-3");
        Thread.sleep(2500);
        assertThat(jdbc.queryForObject("select count(*) from incident where category = 'AUDIT_CHAIN_BREAK'", Long.class))
                .as("one incident per distinct break, not per check").isEqualTo(1);
    }

    @Test
    void aDestructionFailureOpenedOutsideAnyTransaction() throws Exception {
        String id = incidents.open(IncidentCategory.DESTRUCTION_FAILURE, "E10000012", "batch-under-destruction",
                "the data key of a batch due for destruction could not be destroyed");
        assertIncident(id, IncidentCategory.DESTRUCTION_FAILURE, "E10000012");
        assertNotice(id, council.key(), home.outbound("E10000012"), "E10000012");
    }

    @Test
    void operatorsAcknowledgeAndCloseOverHttpWithCsrf() {
        String id = incidents.open(IncidentCategory.DESTRUCTION_FAILURE, null, "batch-api", "for the API test");
        GatewayHttp operator = http();
        GatewayHttp admin = http();
        GatewayHttp analyst = http();
        String path = "/api/ops/incidents/" + id;

        assertThat(analyst.post(path + "/acknowledge", "analyst", "{}").statusCode()).isEqualTo(403);
        assertThat(operator.postWithoutCsrf(path + "/acknowledge", "operator", "{}").statusCode()).isEqualTo(403);
        assertThat(operator.post(path + "/close", "operator", "{\"note\":\"too early\"}").statusCode()).isEqualTo(409);
        assertThat(operator.post(path + "/acknowledge", "operator", "{\"note\":\"" + "x".repeat(501) + "\"}")
                .statusCode()).isEqualTo(400);
        assertThat(operator.post("/api/ops/incidents/no-such-incident/acknowledge", "operator", "{}").statusCode())
                .isEqualTo(404);

        HttpResponse<String> acknowledged = operator.post(path + "/acknowledge", "operator",
                "{\"note\":\"taken on by the duty operator\"}");
        assertThat(acknowledged.statusCode()).isEqualTo(200);
        assertThat(GatewayHttp.json(acknowledged).get("status").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(GatewayHttp.json(acknowledged).get("acknowledgedBy").asText()).isEqualTo("operator");
        assertThat(operator.post(path + "/acknowledge", "operator", "{}").statusCode()).isEqualTo(409);

        HttpResponse<String> closed = admin.post(path + "/close", "admin", "{\"note\":\"data key destroyed on retry\"}");
        assertThat(closed.statusCode()).isEqualTo(200);
        JsonNode done = GatewayHttp.json(closed);
        assertThat(done.get("status").asText()).isEqualTo("CLOSED");
        assertThat(done.get("closedBy").asText()).isEqualTo("admin");
        assertThat(done.get("closeNote").asText()).isEqualTo("data key destroyed on retry");
        assertThat(admin.post(path + "/close", "admin", "{}").statusCode()).isEqualTo(409);
        assertThat(jdbc.queryForList("select event_type || ' ' || actor from audit_event where subject_id = ?"
                + " and event_type in ('INCIDENT_ACKNOWLEDGED', 'INCIDENT_CLOSED') order by seq", String.class, id))
                .containsExactly("INCIDENT_ACKNOWLEDGED operator", "INCIDENT_CLOSED admin");

        JsonNode closedList = GatewayHttp.json(operator.get("/api/ops/incidents?status=CLOSED", "operator"));
        assertThat(closedList.findValuesAsText("id")).contains(id);
        assertThat(analyst.get("/api/ops/incidents", "analyst").statusCode()).isEqualTo(403);
    }

    @Test
    void anIncidentPastItsDeadlineIsFlaggedLoudlyOnce() throws Exception {
        Incidents yesterday = new Incidents(jdbc, audit, alerts, recipients,
                Clock.fixed(Instant.now().minus(Duration.ofHours(25)), ZoneOffset.UTC));
        String id = yesterday.open(IncidentCategory.DESTRUCTION_FAILURE, null, "batch-late", "detected a day ago");
        GatewayHttp operator = http();

        JsonNode listed = null;
        for (JsonNode incident : GatewayHttp.json(operator.get("/api/ops/incidents", "operator"))) {
            if (incident.get("id").asText().equals(id)) {
                listed = incident;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.get("overdue").asBoolean()).isTrue();
        assertThat(Instant.parse(listed.get("deadline").asText())).isBefore(Instant.now());
        waitFor(() -> count("select count(*) from alert where category = 'INCIDENT_OVERDUE' and subject_id = ?", id) == 1);
        // Spring Boot tests do not export to Prometheus; the registry holds the gauges it would scrape.
        waitFor(() -> meters.get("linkgate.incidents.overdue").gauge().value() >= 1);
        assertThat(meters.get("linkgate.incidents.open").gauge().value()).isGreaterThanOrEqualTo(1);
        Thread.sleep(1500);
        assertThat(count("select count(*) from alert where category = 'INCIDENT_OVERDUE' and subject_id = ?", id))
                .as("flagged once, not at every check").isEqualTo(1);
        assertThat(count("select count(*) from audit_event where event_type = 'INCIDENT_OVERDUE' and subject_id = ?", id))
                .isEqualTo(1);
    }

    // ---------------------------------------------------------------------------------------------

    /** The incident has its 24-hour deadline and an e-mail reached each expected address, free of personal data. */
    void assertIncident(String id, String category, String partner) throws Exception {
        Map<String, Object> row = jdbc.queryForMap("select * from incident where id = ?", id);
        assertThat(row.get("category")).isEqualTo(category);
        assertThat(row.get("partner_code")).isEqualTo(partner);
        assertThat(Duration.between(IncidentNotifier.toInstant(row.get("opened_at")),
                IncidentNotifier.toInstant(row.get("deadline_at")))).isEqualTo(Duration.ofHours(24));

        Set<String> expected = expectedAddresses();
        waitFor(() -> emailsFor(id).size() >= expected.size());
        List<MimeMessage> mails = emailsFor(id);
        Set<String> to = new TreeSet<>();
        for (MimeMessage mail : mails) {
            for (Address address : mail.getAllRecipients()) {
                to.add(address.toString().toLowerCase(Locale.ROOT));
            }
            String body = GreenMailUtil.getBody(mail);
            assertThat(body).contains("category: " + category, "detectedAt: ", "reportBy: ", "gatewayAction: ");
            if (partner != null) {
                assertThat(body).contains("partner: " + partner);
                assertThat(mail.getSubject()).contains(category + " " + partner);
            }
            assertNoPersonalData(body + mail.getSubject());
        }
        assertThat(to).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(mails).hasSize(expected.size());
        waitFor(() -> count("select count(*) from audit_event where event_type = 'INCIDENT_NOTIFIED' and subject_id = ?",
                id) == count("select count(*) from incident_notification where incident_id = ?", id));
        assertThat(count("select count(*) from incident_notification where incident_id = ? and status <> 'SENT'", id)).isZero();
        assertThat(jdbc.queryForObject("select reported_at from incident where id = ?", java.sql.Timestamp.class, id))
                .isNotNull();
    }

    /** The partner's notice is in its outbound folder, encrypted to it, signed by the gateway, metadata only. */
    void assertNotice(String id, GatewayPgpKey partnerKey, Path outbound, String partner) throws Exception {
        Path notice = outbound.resolve("incident-" + id + IncidentNotifier.NOTICE_SUFFIX);
        waitFor(() -> Files.exists(notice));
        byte[] sealed = Files.readAllBytes(notice);
        String text = open(sealed, partnerKey, council.gatewayPublic());
        JsonNode json = new ObjectMapper().readTree(text);
        assertThat(json.get("incidentId").asText()).isEqualTo(id);
        assertThat(json.get("partner").asText()).isEqualTo(partner);
        Map<String, Object> row = jdbc.queryForMap("select * from incident where id = ?", id);
        assertThat(json.get("category").asText()).isEqualTo(row.get("category"));
        assertThat(Instant.parse(json.get("reportBy").asText())).isEqualTo(IncidentNotifier.toInstant(row.get("deadline_at")));
        assertThat(json.get("gatewayAction").asText()).isNotBlank();
        assertNoPersonalData(text);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).as("never in clear").doesNotContain(id);
    }

    void assertNoPersonalData(String text) {
        for (String value : personalValues) {
            assertThat(text).as("personal data in an incident message").doesNotContain(value);
        }
    }

    Set<String> expectedAddresses() {
        Set<String> expected = new TreeSet<>();
        for (Agreement.Contact contact : agreement.agreement().contacts()) {
            if (IncidentRecipients.TOLD.contains(contact.role())) {
                expected.add(contact.email().toLowerCase(Locale.ROOT));
            }
        }
        assertThat(expected).as("the demo agreement names contacts").isNotEmpty();
        expected.add(CONFIGURED);
        return expected;
    }

    List<MimeMessage> emailsFor(String id) {
        return Arrays.stream(SMTP.getReceivedMessages())
                .filter(m -> GreenMailUtil.getBody(m).contains("incidentId: " + id)).toList();
    }

    String await(String category, String partner) throws Exception {
        String sql = "select id from incident where category = ? and "
                + (partner == null ? "partner_code is null" : "partner_code = ?") + " order by opened_at desc";
        Object[] args = partner == null ? new Object[] {category} : new Object[] {category, partner};
        waitFor(() -> !jdbc.queryForList(sql, String.class, args).isEmpty());
        return jdbc.queryForList(sql, String.class, args).get(0);
    }

    static String open(byte[] sealed, GatewayPgpKey key, PGPPublicKeyRing gateway) throws Exception {
        VerifiedPlaintext message = new PgpDecryptVerifier().open(new ByteArrayInputStream(sealed), key, gateway,
                new PgpLimits(1L << 20, 1000, sealed.length));
        byte[] plaintext = message.plaintext().readAllBytes();
        message.verify();
        return new String(plaintext, StandardCharsets.UTF_8);
    }

    String goodReturn() throws Exception {
        byte[] plaintext = new DemoReturns(new Random(9)).returnFile(
                registry.requireDepartment("DFE").returnDataset("NPD").orElseThrow(), dfeExtract.sentValues(), 20);
        return new String(plaintext, StandardCharsets.UTF_8);
    }

    JsonNode sendReturn(byte[] content) throws Exception {
        String name = "DFE_NPD_" + dfeExtract.extractId() + ".csv.gpg";
        dfe.uploadReturn(name, content);
        return dfe.awaitReport(name, WAIT);
    }

    byte[] csvOf(int rows) throws Exception {
        StringWriter csv = new StringWriter();
        new SyntheticBatchGenerator(rows * 7L, LocalDate.of(2015, 6, 30)).write(csv, rows);
        remember(csv.toString());
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    void remember(String csv) throws Exception {
        for (CSVRecord record : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(csv))) {
            for (String column : IDENTITY_COLUMNS) {
                if (record.isMapped(column) && record.get(column).length() >= 4) {
                    personalValues.add(record.get(column));
                }
            }
        }
    }

    GatewayHttp http() {
        return new GatewayHttp(httpPort, home.demoDir().resolve("http-users.txt"));
    }

    long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }

    static void waitFor(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within " + WAIT);
            }
            Thread.sleep(100);
        }
    }
}
