package org.linkgate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.crypto.PgpKeyPairGenerator;
import org.linkgate.demo.DemoBootstrap;
import org.linkgate.demo.SshKeyFiles;
import org.linkgate.intake.GatewayTestHome;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.support.CouncilSide;
import org.linkgate.support.GatewayHttp;
import org.linkgate.support.HeadlessChromium;
import org.linkgate.support.TestCsv;
import org.linkgate.transfer.SftpServerLifecycle;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What operators see, on a running gateway with real traffic: a council batch in over SFTP (some
 * rows bad), extracts out to six departments, and a seventh department whose own SFTP server is
 * down. Then the status page in a real headless Chromium (screenshot kept in
 * {@code target/screenshots/status-page.png}), its JSON, the Prometheus scrape and the health
 * endpoints, each as operator, as another role and anonymously.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability(tracing = false) // Spring Boot tests turn metrics export off unless asked
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorViewIT {

    static final String COUNCIL = DemoBootstrap.DEMO_COUNCIL;
    /** A council whose OpenPGP key expires in 20 days and which has sent nothing yet. */
    static final String EXPIRING = "E10000014";
    /** A department with its own SFTP server, which is not listening. */
    static final String CLOSED = "XCLOSED";
    static final Duration WAIT = Duration.ofSeconds(60);
    static final int GOOD_ROWS = 30;
    static final int BAD_ROWS = 2;
    static final Path SCREENSHOT = Path.of("target", "screenshots", "status-page.png");
    static Path home;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        home = GatewayTestHome.create(EXPIRING);
        GatewayHome layout = new GatewayHome(home, home.resolve("secrets"));
        // The demo council says it sends monthly; the expected next batch follows from that.
        Files.writeString(layout.councilDir(COUNCIL).resolve(PartnerRegistry.PROPERTIES_FILE),
                "name=Demo County Council\nexpectedEvery=P1M\n", StandardCharsets.UTF_8);
        new PgpKeyPairGenerator().generate("Expiring council (test) <e10000014@council.invalid>", "x".toCharArray(),
                        PgpKeyPairGenerator.DEFAULT_ALGORITHM, Duration.ofDays(20))
                .writeArmoredPublic(layout.councilDir(EXPIRING).resolve(PartnerRegistry.PGP_KEY_FILE));

        Path config = Files.createDirectories(layout.departmentDir(CLOSED));
        new PgpKeyPairGenerator().generate("Closed department (test) <closed@department.invalid>", "x".toCharArray())
                .writeArmoredPublic(config.resolve(PartnerRegistry.PGP_KEY_FILE));
        KeyPair client = SshKeyFiles.generate();
        SshKeyFiles.write(client, "linkgate", layout.secretsDir().resolve("xclosed-sftp-key"));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Files.writeString(config.resolve("ssh-known-hosts"), "[127.0.0.1]:" + closedPort + " "
                + SshKeyFiles.publicLine(SshKeyFiles.generate(), "host") + "\n", StandardCharsets.UTF_8);
        Files.writeString(config.resolve("department.yaml"), "name: Closed test department\n"
                + "matchFields: [forename, surname, date_of_birth]\n"
                + "returnDueDays: 30\n"
                + "endpoint: {type: remote, host: 127.0.0.1, port: " + closedPort + ", user: linkgate,"
                + " privateKey: xclosed-sftp-key, knownHosts: ssh-known-hosts, uploadDir: upload, returnsDir: returns}\n"
                + "returns: [{dataset: HES, schema: hscic-hes-v1}]\n", StandardCharsets.UTF_8);
        GatewayTestHome.refreshAgreement(home);
        GatewayTestHome.register(registry, home);
        registry.add("linkgate.departments.poll-interval", () -> "300ms");
        registry.add("linkgate.departments.retry-base", () -> "200ms");
        registry.add("linkgate.departments.retry-max", () -> "1s");
        registry.add("linkgate.ops.endpoint-probe-interval", () -> "1s");
        registry.add("linkgate.ops.endpoint-probe-timeout", () -> "500ms");
    }

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SftpServerLifecycle sftp;
    @Autowired
    GatewayHome gatewayHome;
    @LocalServerPort
    int httpPort;

    GatewayHttp http;
    String batchName = COUNCIL + "_2015-06_01.csv.gpg";
    String intakeId;

    @BeforeAll
    void traffic() throws Exception {
        http = new GatewayHttp(httpPort, gatewayHome.demoDir().resolve("http-users.txt"));
        CouncilSide council = new CouncilSide(COUNCIL, gatewayHome, sftp.port());
        byte[] csv = new TestCsv().validRows(GOOD_ROWS).rowWith("postcode", "NOT A POSTCODE")
                .rowWith("date_of_birth", "1990-13-45").bytes();
        council.upload(batchName, council.encryptAndSign(csv));
        assertThat(council.awaitReport(batchName, WAIT).get("status").asText()).isEqualTo("PARTIAL");
        intakeId = jdbc.queryForObject("select id from intake_file where file_name = ?", String.class, batchName);
        await(() -> count("select count(*) from extract where status = 'SENT'") == 6, "six extracts delivered");
        await(() -> count("select count(*) from audit_event where event_type = 'EXTRACT_DELIVERY_FAILED'"
                + " and partner_code = '" + CLOSED + "'") >= 1, "a failed delivery to the closed department");
    }

    long count(String sql) {
        Long n = jdbc.queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as(what).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + http.password(user)).getBytes(StandardCharsets.UTF_8));
    }

    /** Things from the batch that are personal data (invented, but shaped like it): never shown to operators. */
    static final List<String> PERSONAL = List.of("Mctestface", "Testy", "Testbury", "Example Street", "cm1 1qh",
            "CM1 1QH", "1990-01-0");

    @Nested
    class StatusJson {

        JsonNode status() {
            HttpResponse<String> response = http.get("/api/ops/status", "operator");
            assertThat(response.statusCode()).isEqualTo(200);
            return GatewayHttp.json(response);
        }

        JsonNode find(JsonNode list, String field, String value) {
            for (JsonNode item : list) {
                if (value.equals(item.path(field).asText())) {
                    return item;
                }
            }
            throw new AssertionError("no " + field + "=" + value + " in " + list);
        }

        @Test
        void councilsShowTheirLastBatchRejectedRowsAndWhenTheNextIsDue() {
            JsonNode status = status();
            JsonNode council = find(status.get("councils"), "code", COUNCIL);
            assertThat(council.get("status").asText()).isEqualTo("OK");
            JsonNode last = council.get("lastBatch");
            assertThat(last.get("intakeId").asText()).isEqualTo(intakeId);
            assertThat(last.get("status").asText()).isEqualTo("PARTIAL");
            assertThat(last.get("period").asText()).isEqualTo("2015-06");
            assertThat(last.get("rowsAccepted").asLong()).isEqualTo(GOOD_ROWS);
            assertThat(last.get("rowsRejected").asLong()).isEqualTo(BAD_ROWS);
            assertThat(council.get("rowsRejected").asLong()).isEqualTo(BAD_ROWS);
            assertThat(council.get("expectedEvery").asText()).isEqualTo("P1M");
            Instant received = jdbc.queryForObject("select received_at from intake_file where id = ?", Timestamp.class,
                    intakeId).toInstant();
            assertThat(Instant.parse(council.get("expectedNextBatch").asText())).isEqualTo(
                    ZonedDateTime.ofInstant(received, AgreementPolicy.AGREEMENT_ZONE).plusMonths(1).toInstant());

            JsonNode expiring = find(status.get("councils"), "code", EXPIRING);
            assertThat(expiring.get("status").asText()).isEqualTo("AWAITING_FIRST_BATCH");
            assertThat(expiring.get("lastBatch").isNull()).isTrue();
            assertThat(expiring.get("expectedEvery").asText()).isEqualTo("P6M");
        }

        @Test
        void departmentsShowExtractsSentAndReturnsDue() {
            JsonNode departments = status().get("departments");
            assertThat(departments).hasSize(7);
            for (DemoBootstrap.DemoDepartment demo : DemoBootstrap.DemoDepartment.values()) {
                JsonNode department = find(departments, "code", demo.name());
                assertThat(department.get("extractsSent").asLong()).as(demo.name()).isEqualTo(1);
                assertThat(department.get("awaitingReturn").asLong()).as(demo.name()).isEqualTo(1);
                assertThat(department.get("overdue").asLong()).as(demo.name()).isZero();
                assertThat(department.get("nextReturnDue").isNull()).as(demo.name()).isFalse();
            }
            JsonNode closed = find(departments, "code", CLOSED);
            assertThat(closed.get("endpoint").asText()).isEqualTo("remote");
            assertThat(closed.get("pending").asLong()).isEqualTo(1);
            assertThat(closed.get("extractsSent").asLong()).isZero();
            assertThat(closed.get("lastError").asText()).isNotBlank();
        }

        @Test
        void keysAndRecentFailuresAreListed() {
            String extractId = jdbc.queryForObject("select id from extract where department_code = ?", String.class, CLOSED);
            String failed = "select count(*) from audit_event where event_type = 'EXTRACT_DELIVERY_FAILED' and subject_id = '"
                    + extractId + "'";
            long before = count(failed);
            JsonNode status = status();
            long after = count(failed);
            JsonNode key = find(status.get("keys"), "owner", EXPIRING);
            assertThat(key.get("status").asText()).isEqualTo("WARN");
            assertThat(key.get("daysLeft").asLong()).isBetween(19L, 20L);
            assertThat(find(status.get("keys"), "owner", "gateway").get("status").asText()).isEqualTo("UP");
            JsonNode failure = find(status.get("failures"), "kind", "EXTRACT_DELIVERY_FAILED");
            assertThat(failure.get("partner").asText()).isEqualTo(CLOSED);
            // Retries of one extract are one line with a count, not a screenful.
            assertThat(failure.get("subject").asText()).isEqualTo(extractId);
            assertThat(failure.get("count").asLong()).isBetween(before, after); // retries go on meanwhile
            assertThat(status.toString()).doesNotContain(PERSONAL).doesNotContain(batchName);
        }

        @Test
        void onlyOperatorsAndAdminsMaySeeIt() {
            assertThat(http.get("/api/ops/status", "admin").statusCode()).isEqualTo(200);
            assertThat(http.get("/api/ops/status", "analyst").statusCode()).isEqualTo(403);
            assertThat(http.get("/api/ops/status", "auditor").statusCode()).isEqualTo(403);
            assertThat(http.get("/api/ops/status", null).statusCode()).isEqualTo(401);
            assertThat(http.get("/status", "analyst").statusCode()).isEqualTo(403);
            assertThat(http.get("/status", null).statusCode()).isEqualTo(401);
        }
    }

    @Nested
    class StatusPageInABrowser {

        @Test
        void operatorSeesCouncilsDepartmentsAndFailures() throws IOException {
            HeadlessChromium.requireOrSkip();
            try (HeadlessChromium browser = HeadlessChromium.start();
                 HeadlessChromium.Page page = browser.open(http.uri("/status"), basic("operator"))) {
                page.screenshot(SCREENSHOT);
                assertThat(page.status()).isEqualTo(200);
                assertThat(page.header("Content-Security-Policy")).startsWith("default-src 'none'; style-src 'sha256-");
                String text = page.text();
                assertThat(text).contains("Linkgate status", COUNCIL, EXPIRING, "PARTIAL", "AWAITING_FIRST_BATCH",
                        "EXTRACT_DELIVERY_FAILED", intakeId);
                String dom = page.dom();
                assertThat(dom).contains("<section id=\"departments\">");
                for (String department : List.of("BIS", "DFE", "DWP", "HSCIC", "MOJ", "PHE", CLOSED)) {
                    assertThat(dom).contains("<td><b>" + department + "</b></td>");
                }
                // The council row: code, status, last batch's intake id and period, its status, rows.
                assertThat(dom).containsPattern("<td><b>" + COUNCIL + "</b></td><td><span class=\"st ok\">OK</span></td>"
                        + "<td><span class=\"id\">" + intakeId + "</span><br><span class=\"sub\">period 2015-06 [^<]*</span></td>"
                        + "<td><span class=\"st warn\">PARTIAL</span></td><td class=\"num\">" + GOOD_ROWS + " / " + BAD_ROWS + "</td>");
                assertThat(dom).doesNotContain(PERSONAL).doesNotContain(batchName);
                // Self-contained: the page itself and nothing else was loaded; the inline style was allowed.
                assertThat(page.requestedUrls()).containsExactly(http.uri("/status").toString());
                assertThat(page.messages()).noneMatch(m -> m.contains("Content Security Policy"));
            }
            // Viewing the page is recorded like any access to the API (cl. 12.5).
            assertThat(count("select count(*) from audit_event where event_type = 'API_ACCESS' and actor = 'http:operator'"
                    + " and detail = 'GET /status -> 200'")).isPositive();
            byte[] png = Files.readAllBytes(SCREENSHOT);
            assertThat(png).startsWith(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
            assertThat(png.length).isGreaterThan(20_000);
        }

        @Test
        void withoutCredentialsThePageIsRefused() {
            HeadlessChromium.requireOrSkip();
            try (HeadlessChromium browser = HeadlessChromium.start();
                 HeadlessChromium.Page page = browser.open(http.uri("/status"))) {
                // The gateway answers 401 with a Basic challenge; headless Chromium has nobody to ask
                // for a password, gives up and shows its own error page.
                assertThat(page.navigationError()).isEqualTo("net::ERR_INVALID_AUTH_CREDENTIALS");
                assertThat(page.dom()).doesNotContain(COUNCIL).doesNotContain("Linkgate status");
            }
        }

        @Test
        void anotherRoleIsRefused() {
            HeadlessChromium.requireOrSkip();
            try (HeadlessChromium browser = HeadlessChromium.start();
                 HeadlessChromium.Page page = browser.open(http.uri("/status"), basic("analyst"))) {
                assertThat(page.status()).isEqualTo(403);
                assertThat(page.dom()).doesNotContain(COUNCIL);
            }
        }
    }

    @Nested
    class Prometheus {

        String scrape() {
            HttpResponse<String> response = http.get("/actuator/prometheus", "operator");
            assertThat(response.statusCode()).isEqualTo(200);
            try {
                Files.createDirectories(SCREENSHOT.getParent());
                Files.writeString(SCREENSHOT.resolveSibling("prometheus.txt"), response.body());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return response.body();
        }

        double value(String scrape, String name, String... labels) {
            List<Double> found = new ArrayList<>();
            Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} ([0-9.Ee+-]+)$", Pattern.MULTILINE);
            Matcher m = line.matcher(scrape);
            while (m.find()) {
                String tags = m.group(1);
                boolean all = true;
                for (String label : labels) {
                    all &= tags.contains(label);
                }
                if (all) {
                    found.add(Double.parseDouble(m.group(2)));
                }
            }
            assertThat(found).as(name + " " + List.of(labels)).hasSize(1);
            return found.get(0);
        }

        @Test
        void filesRowsBytesAndTimingsPerPartnerAndStage() {
            String scrape = scrape();
            assertThat(value(scrape, "linkgate_files_total", "partner=\"" + COUNCIL + "\"", "stage=\"intake\"",
                    "outcome=\"partial\"")).isEqualTo(1.0);
            assertThat(value(scrape, "linkgate_rows_total", "partner=\"" + COUNCIL + "\"", "stage=\"intake\"",
                    "outcome=\"accepted\"")).isEqualTo(GOOD_ROWS);
            assertThat(value(scrape, "linkgate_rows_total", "partner=\"" + COUNCIL + "\"", "stage=\"intake\"",
                    "outcome=\"rejected\"")).isEqualTo(BAD_ROWS);
            Long size = jdbc.queryForObject("select size_bytes from intake_file where id = ?", Long.class, intakeId);
            assertThat(value(scrape, "linkgate_bytes_total", "partner=\"" + COUNCIL + "\"", "stage=\"intake\""))
                    .isEqualTo(size.doubleValue());
            assertThat(value(scrape, "linkgate_processing_seconds_count", "partner=\"" + COUNCIL + "\"",
                    "stage=\"intake\"")).isEqualTo(1.0);
            assertThat(value(scrape, "linkgate_files_total", "partner=\"" + COUNCIL + "\"", "stage=\"report\"",
                    "outcome=\"sent\"")).isEqualTo(1.0);
            assertThat(value(scrape, "linkgate_files_total", "partner=\"DFE\"", "stage=\"extract\"",
                    "outcome=\"sent\"")).isEqualTo(1.0);
            // People sent per department (DFE's age filter leaves none of this batch's adults).
            List<java.util.Map<String, Object>> sent = jdbc.queryForList(
                    "select department_code, rows_sent from extract where status = 'SENT' and rows_sent > 0");
            assertThat(sent).isNotEmpty();
            for (java.util.Map<String, Object> extract : sent) {
                assertThat(value(scrape, "linkgate_rows_total", "partner=\"" + extract.get("department_code") + "\"",
                        "stage=\"extract\"", "outcome=\"accepted\"")).isEqualTo(((Number) extract.get("rows_sent")).doubleValue());
            }
            assertThat(value(scrape, "linkgate_files_total", "partner=\"" + CLOSED + "\"", "stage=\"extract\"",
                    "outcome=\"failed\"")).isGreaterThanOrEqualTo(1.0);
        }

        @Test
        void camelRouteMetricsPerRoute() {
            String scrape = scrape();
            assertThat(value(scrape, "camel_exchanges_total", "routeId=\"intake-e10000012\"")).isGreaterThanOrEqualTo(1.0);
            assertThat(scrape).contains("routeId=\"fanout-dfe\"").contains("routeId=\"returns-dfe\"");
        }

        @Test
        void nothingPersonalAndOnlyForOperators() {
            assertThat(scrape()).doesNotContain(PERSONAL);
            assertThat(http.get("/actuator/prometheus", "analyst").statusCode()).isEqualTo(403);
            assertThat(http.get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
        }
    }

    @Nested
    class Health {

        JsonNode health(String path, String user) {
            return GatewayHttp.json(http.get(path, user));
        }

        @Test
        void aKeyExpiringSoonWarnsButReadinessStaysUp() {
            JsonNode keys = health("/actuator/health", "operator").path("components").path("keyExpiry").path("components");
            assertThat(keys.path(EXPIRING).path("status").asText()).isEqualTo("WARN");
            assertThat(keys.path(EXPIRING).path("details").path("daysLeft").asLong()).isBetween(19L, 20L);
            assertThat(keys.path(COUNCIL).path("status").asText()).isEqualTo("UP");
            assertThat(keys.path("gateway").path("status").asText()).isEqualTo("UP");
            assertThat(health("/actuator/health/keyExpiry", "operator").path("status").asText()).isEqualTo("WARN");
            // Needs attention, still serving: the overall status is WARN and answered with 200.
            HttpResponse<String> overall = http.get("/actuator/health", null);
            assertThat(overall.statusCode()).isEqualTo(200);
            assertThat(GatewayHttp.json(overall).path("status").asText()).isEqualTo("WARN");

            HttpResponse<String> readiness = http.get("/actuator/health/readiness", null);
            assertThat(readiness.statusCode()).isEqualTo(200);
            assertThat(GatewayHttp.json(readiness).path("status").asText()).isEqualTo("UP");
            HttpResponse<String> liveness = http.get("/actuator/health/liveness", null);
            assertThat(liveness.statusCode()).isEqualTo(200);
            assertThat(GatewayHttp.json(liveness).path("status").asText()).isEqualTo("UP");
        }

        @Test
        void aClosedPartnerServerIsDownButTheGatewayServes() throws InterruptedException {
            await(() -> "DOWN".equals(health("/actuator/health", "operator").path("components").path("sftpEndpoints")
                    .path("details").path(CLOSED).path("status").asText()), "the closed endpoint probed DOWN");
            JsonNode all = health("/actuator/health", "operator").path("components");
            JsonNode endpoints = all.path("sftpEndpoints");
            assertThat(endpoints.path("details").path(CLOSED).path("problem").asText()).startsWith("cannot connect");
            assertThat(endpoints.path("details").path("down").toString()).isEqualTo("[\"" + CLOSED + "\"]");
            // The department's outage is not the gateway's: the gateway stays UP (and is alerted about it).
            assertThat(endpoints.path("status").asText()).isEqualTo("UP");
            HttpResponse<String> anonymous = http.get("/actuator/health", null);
            assertThat(anonymous.statusCode()).isEqualTo(200);
            assertThat(all.path("sftpServer").path("status").asText()).isEqualTo("UP");
            assertThat(all.path("db").path("status").asText()).isEqualTo("UP");
            assertThat(all.path("diskSpace").path("status").asText()).isEqualTo("UP");
            assertThat(all.path("diskSpace").path("details").path("path").asText()).isEqualTo(home.toAbsolutePath().toString());

            assertThat(http.get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
            assertThat(http.get("/status", "operator").statusCode()).isEqualTo(200);
            assertThat(http.get("/api/ops/departments", "operator").statusCode()).isEqualTo(200);
        }

        @Test
        void anonymousCallersGetTheStatusOnly() {
            JsonNode anonymous = health("/actuator/health", null);
            assertThat(anonymous.path("status").asText()).isNotEmpty();
            assertThat(anonymous.has("components")).isFalse();
            assertThat(anonymous.has("details")).isFalse();
            assertThat(health("/actuator/health/readiness", null).has("components")).isFalse();
            assertThat(health("/actuator/health", "analyst").has("components")).isFalse();
        }
    }
}
