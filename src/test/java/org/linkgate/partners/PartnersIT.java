package org.linkgate.partners;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.demo.DemoBootstrap;
import org.linkgate.intake.GatewayTestHome;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.support.CouncilSide;
import org.linkgate.support.GatewayHttp;
import org.linkgate.support.TestCsv;
import org.linkgate.transfer.SftpServerLifecycle;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 14 on a running gateway, the way operators, analysts, admins, auditors and a council meet it: over HTTP with
 * CSRF and over SFTP. A person reports an incident; a table request names the agreement's purpose or is refused; the
 * calendar shows a batch due and reminds the council; a council's report download is audited; a bad configuration is
 * refused with every problem and a good one adds and removes a council's routes; a termination stops the council at
 * once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PartnersIT {

    static final Path HOME = GatewayTestHome.create();
    static final Duration WAIT = Duration.ofSeconds(60);
    static final LocalDate DUE = LocalDate.now(AgreementPolicy.AGREEMENT_ZONE).plusDays(5);

    static {
        try {
            Files.writeString(HOME.resolve("config/councils/E10000012/council.properties"),
                    "name=Test council\nexpectedEvery=P6M\nfirstDue=" + DUE + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestHome.register(registry, HOME);
        registry.add("linkgate.partners.notice-interval", () -> "500ms");
        registry.add("linkgate.partners.calendar-check-interval", () -> "1s");
        registry.add("linkgate.partners.calendar-initial-delay", () -> "500");
        registry.add("linkgate.partners.config-watch-interval", () -> "1h");
    }

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SftpServerLifecycle sftp;
    @Autowired
    GatewayHome home;
    @Autowired
    CamelContext camel;
    @LocalServerPort
    int httpPort;

    GatewayHttp as(String user) {
        return new GatewayHttp(httpPort, home.demoDir().resolve("http-users.txt"));
    }

    @Test
    @Order(1)
    void aPersonReportsAnIncidentOnTheSameClockAndTheIcoIsToldOfABreach() {
        HttpResponse<String> reported = as("operator").post("/api/ops/incidents", "operator",
                "{\"category\":\"UNAUTHORISED_RELEASE\",\"description\":\"An extract was sent to the wrong team.\","
                        + "\"personalDataBreach\":true,\"partner\":\"dfe\"}");
        assertThat(reported.statusCode()).as(reported.body()).isEqualTo(201);
        JsonNode incident = GatewayHttp.json(reported);
        assertThat(incident.get("status").asText()).isEqualTo("OPEN");
        assertThat(incident.get("reportedBy").asText()).isEqualTo("operator");
        assertThat(Duration.between(java.time.Instant.parse(incident.get("detectedAt").asText()),
                java.time.Instant.parse(incident.get("deadline").asText()))).isEqualTo(Duration.ofHours(24));
        assertThat(jdbc.queryForList("select recipient_label from incident_notification where incident_id = ?",
                String.class, incident.get("id").asText())).contains("e-mail to the ICO", "notice to DFE");

        assertThat(as("analyst").post("/api/ops/incidents", "analyst", "{\"category\":\"DATA_LOSS\",\"description\":\"x\"}")
                .statusCode()).isEqualTo(403);
        HttpResponse<String> bad = as("admin").post("/api/ops/incidents", "admin",
                "{\"category\":\"SIGNATURE_FAILURE\",\"description\":\"x\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("category is one of");
    }

    @Test
    @Order(2)
    void aTableRequestNamesOneOfTheAgreementsPurposesOrIsRefusedWithTheReason() {
        GatewayHttp analyst = as("analyst");
        HttpResponse<String> refused = analyst.post("/api/disclosure/tables", "analyst",
                "{\"measure\":\"any_offence\",\"breakdowns\":[\"sex\"],\"purpose\":\"marketing\"}");
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(GatewayHttp.json(refused).get("error").asText())
                .contains("not one of the agreement's purposes (cl. 6.1)").contains("Programme evaluation");
        HttpResponse<String> none = analyst.post("/api/disclosure/tables", "analyst",
                "{\"measure\":\"any_offence\",\"breakdowns\":[\"sex\"]}");
        assertThat(none.statusCode()).isEqualTo(422);
        HttpResponse<String> asked = analyst.post("/api/disclosure/tables", "analyst",
                "{\"measure\":\"any_offence\",\"breakdowns\":[\"sex\"],\"purpose\":\"programme evaluation\"}");
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(201);
        assertThat(GatewayHttp.json(asked).get("request").get("purpose").asText()).isEqualTo("Programme evaluation");
    }

    @Test
    @Order(3)
    void theCalendarRemindsTheCouncilAndShowsTheBatchDueOnTheStatusPage() throws Exception {
        JsonNode status = GatewayHttp.json(as("operator").get("/api/ops/status", "operator"));
        JsonNode council = null;
        for (JsonNode c : status.get("councils")) {
            if (c.get("code").asText().equals("E10000012")) {
                council = c;
            }
        }
        assertThat(council).isNotNull();
        assertThat(council.get("status").asText()).isEqualTo("DUE_SOON");
        Path notice = home.outbound("E10000012").resolve("batch-due-" + DUE + PartnerNotices.NOTICE_SUFFIX);
        eventually("the reminder in outbound/", () -> Files.exists(notice));
        CouncilSide side = new CouncilSide(DemoBootstrap.DEMO_COUNCIL, home, sftp.port());
        try (var client = side.connect()) {
            String body = side.open(client.download("outbound/" + notice.getFileName()));
            assertThat(body).contains("\"kind\":\"BATCH_DUE\"").contains("\"dueDate\":\"" + DUE + "\"");
        }
        assertThat(jdbc.queryForObject("select count(*) from alert where category = 'BATCH_DUE_SOON'", Long.class))
                .isEqualTo(1);
        // The council took the notice: its download is in the audit trail with the bytes sent.
        eventually("the download audited", () -> jdbc.queryForObject("select count(*) from audit_event where event_type"
                + " = 'SFTP_DOWNLOADED' and partner_code = 'E10000012' and detail like ?", Long.class,
                "file=outbound/" + notice.getFileName() + " bytes=%") == 1);
    }

    @Test
    @Order(4)
    void aBadConfigurationIsRefusedWithEveryProblemAndAGoodOneAddsAndRemovesACouncil() throws Exception {
        Path broken = Files.createDirectories(home.councilsDir().resolve("E10000099"));
        String agreementBefore = Files.readString(HOME.resolve("config/agreement.yaml"));
        Files.writeString(HOME.resolve("config/agreement.yaml"), agreementBefore.replace("disclosure:", "disclosur:"));
        HttpResponse<String> refused = as("admin").post("/api/admin/reload", "admin", null);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        JsonNode result = GatewayHttp.json(refused);
        assertThat(result.get("outcome").asText()).isEqualTo("REFUSED");
        assertThat(result.get("problems").toString()).contains("E10000099").contains("missing pgp-public-key.asc")
                .contains("disclosur");
        assertThat(camel.getRoute("intake-e10000012")).as("the old configuration stays").isNotNull();
        assertThat(as("operator").post("/api/admin/reload", "operator", null).statusCode()).isEqualTo(403);

        Files.delete(broken);
        DemoBootstrap.createDemoCouncil(home, "E10000014", "Test council E10000014");
        GatewayTestHome.refreshAgreement(HOME);
        HttpResponse<String> loaded = as("admin").post("/api/admin/reload", "admin", null);
        assertThat(loaded.statusCode()).as(loaded.body()).isEqualTo(200);
        JsonNode added = GatewayHttp.json(loaded);
        assertThat(added.get("outcome").asText()).isEqualTo("LOADED");
        assertThat(added.get("added").toString()).contains("E10000014");
        assertThat(camel.getRoute("intake-e10000014")).isNotNull();
        assertThat(camel.getRoute("dropzone-e10000014")).isNotNull();
        assertThat(jdbc.queryForObject("select detail from audit_event where event_type = 'CONFIG_CHANGED'"
                + " and actor = 'http:admin'", String.class)).startsWith("sha256=" + added.get("sha256").asText())
                .matches("sha256=[0-9a-f]{64} .*");
        assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type = 'CONFIG_REFUSED'", Long.class))
                .isEqualTo(1);

        // The new council takes part at once: its batch is accepted over SFTP.
        CouncilSide newcomer = new CouncilSide("E10000014", home, sftp.port());
        String name = "E10000014_2015-06_01.csv.gpg";
        newcomer.upload(name, newcomer.encryptAndSign(new TestCsv().validRows(3).bytes()));
        assertThat(newcomer.awaitReport(name, WAIT).get("status").asText()).isEqualTo("ACCEPTED");

        try (Stream<Path> files = Files.walk(home.councilDir("E10000014"))) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        GatewayTestHome.refreshAgreement(HOME);
        JsonNode gone = GatewayHttp.json(as("admin").post("/api/admin/reload", "admin", null));
        assertThat(gone.get("removed").toString()).contains("E10000014");
        assertThat(camel.getRoute("intake-e10000014")).isNull();
        assertThat(camel.getRoute("dropzone-e10000014")).isNull();
        assertThat(GatewayHttp.json(as("admin").post("/api/admin/reload", "admin", null)).get("outcome").asText())
                .isEqualTo("UNCHANGED");
    }

    @Test
    @Order(5)
    void aTerminationStopsTheCouncilAtOnce() throws Exception {
        assertThat(as("operator").post("/api/admin/terminate", "operator",
                "{\"party\":\"E10000012\",\"reason\":\"test\"}").statusCode()).isEqualTo(403);
        HttpResponse<String> terminated = as("admin").post("/api/admin/terminate", "admin",
                "{\"party\":\"E10000012\",\"reason\":\"notice given under cl. 15.1\"}");
        assertThat(terminated.statusCode()).as(terminated.body()).isEqualTo(200);
        assertThat(as("admin").post("/api/admin/terminate", "admin",
                "{\"party\":\"E10000012\",\"reason\":\"again\"}").statusCode()).isEqualTo(409);

        CouncilSide council = new CouncilSide(DemoBootstrap.DEMO_COUNCIL, home, sftp.port());
        String name = "E10000012_2015-06_09.csv.gpg";
        council.upload(name, council.encryptAndSign(new TestCsv().validRows(3).bytes()));
        JsonNode report = council.awaitReport(name, WAIT);
        assertThat(report.get("status").asText()).isEqualTo("REJECTED");
        assertThat(report.get("fileErrors").findValuesAsText("rule")).containsExactly("party_terminated");
        Path notice = home.outbound("E10000012");
        eventually("the termination notice", () -> {
            try (Stream<Path> files = Files.list(notice)) {
                return files.anyMatch(f -> f.getFileName().toString().startsWith("termination-"));
            } catch (IOException e) {
                return false;
            }
        });
        assertThat(GatewayHttp.json(as("auditor").get("/api/admin/terminations", "auditor")).get(0).get("party").asText())
                .isEqualTo("E10000012");
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
