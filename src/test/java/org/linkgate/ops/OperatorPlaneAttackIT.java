package org.linkgate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.linkgate.intake.GatewayTestHome;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.GatewaySecrets;
import org.linkgate.support.RawHttp;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Attacks on the operator plane of a real running gateway, over real HTTP, as the security review
 * made them: an operator stopping the gateway's own controls through Jolokia, a padded bulk
 * request hiding an exec from the audit, oversized and ambiguous requests, another origin, the
 * notification service, password guessing (per account and per address, from many loopback
 * addresses), an anonymous flood of the audit chain; and what a start leaves on disk.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorPlaneAttackIT {

    static final Path HOME = GatewayTestHome.create();
    static final String VICTIM = "victim";
    static final String VICTIM_PASSWORD = "correct-horse-battery-staple";
    static final ObjectMapper JSON = new ObjectMapper();
    static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();
    static final List<String> GATEWAY_ROUTES = List.of("audit-chain-check", "incident-notifier", "incident-deadlines",
            "sftp-layout-check", "retention-destruction", "ops-overdue-returns", "ops-partner-endpoints", "feedback-packs",
            "partner-notices");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        // One more HTTP user, whose password the attacker guesses.
        Path users = HOME.resolve("config").resolve(HttpSecurityConfiguration.USERS_FILE);
        Files.writeString(users, Files.readString(users) + VICTIM + " = "
                + PasswordEncoderFactories.createDelegatingPasswordEncoder().encode(VICTIM_PASSWORD) + ",ROLE_AUDITOR\n");
        // As a home made with umask 022 would be: the gateway must tighten it.
        Files.setPosixFilePermissions(HOME, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(HOME.resolve("secrets"), PosixFilePermissions.fromString("rwxr-xr-x"));
        GatewayTestHome.register(registry, HOME);
        registry.add("linkgate.http.refusal-window", () -> "2s");
        LOGS.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        LOGS.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(LOGS);
    }

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CamelContext camel;
    @Autowired
    GatewayHome home;
    @LocalServerPort
    int port;

    @AfterAll
    void detachLogs() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
    }

    // ---------------------------------------------------------------- route control (item 1)

    @Test
    void theConsoleCannotStopSuspendOrRestartTheGatewaysOwnRoutes() throws Exception {
        Operator operator = new Operator("operator");
        for (String route : GATEWAY_ROUTES) {
            assertThat(camel.getRoute(route)).as(route).isNotNull();
            for (String operation : List.of("stop()", "stop", "suspend()", "suspend", "stop(long)")) {
                for (String path : List.of("/actuator/jolokia", "/actuator/hawtio/jolokia")) {
                    HttpResponse<String> response = operator.jolokia(path, Map.of("type", "exec", "mbean", routeMBean(route),
                            "operation", operation, "arguments", operation.contains("long") ? List.of(1) : List.of()));
                    assertThat(response.statusCode()).as(route + " " + operation + " " + response.body()).isEqualTo(403);
                }
            }
            // Spelt another way, or hidden behind a harmless first entry of a bulk request.
            assertThat(operator.jolokia(Map.of("type", "EXEC", "mbean", routeMBean(route), "operation", "stop()"))
                    .statusCode()).isEqualTo(403);
            assertThat(operator.jolokia(Map.of("type", "exec", "mbean", routeMBean(route).replace("\"", ""),
                    "operation", "stop()")).statusCode()).isEqualTo(403);
            assertThat(operator.jolokia(List.of(readRoute("fanout-dfe"),
                    Map.of("type", "exec", "mbean", routeMBean(route), "operation", "stop()"))).statusCode()).isEqualTo(403);
            assertThat(camel.getRouteController().getRouteStatus(route)).as(route).isEqualTo(ServiceStatus.Started);
        }
        // A request mixing a permitted partner stop with a refused one runs none of it.
        assertThat(operator.jolokia(List.of(Map.of("type", "exec", "mbean", routeMBean("fanout-dwp"), "operation", "stop()"),
                Map.of("type", "exec", "mbean", routeMBean("audit-chain-check"), "operation", "stop()"))).statusCode())
                .isEqualTo(403);
        assertThat(camel.getRouteController().getRouteStatus("fanout-dwp")).isEqualTo(ServiceStatus.Started);
        // Reading the gateway's routes stays allowed.
        assertThat(operator.jolokiaJson(readRoute("audit-chain-check")).get("status").asInt()).isEqualTo(200);
    }

    @Test
    void aPartnerRouteStoppedFromTheConsoleIsAuditedAlertedAndShownUntilStartedAgain() throws Exception {
        Operator operator = new Operator("operator");
        assertThat(operator.jolokiaJson(Map.of("type", "exec", "mbean", routeMBean("fanout-bis"), "operation", "stop()"))
                .get("status").asInt()).isEqualTo(200);
        assertThat(camel.getRouteController().getRouteStatus("fanout-bis")).isEqualTo(ServiceStatus.Stopped);
        assertThat(count("select count(*) from audit_event where event_type = 'ROUTE_STOPPED' and actor = 'http:operator'"
                + " and partner_code = 'BIS' and subject_id = 'fanout-bis'")).isEqualTo(1);
        assertThat(count("select count(*) from alert where category = 'ROUTE_STATE_CHANGED' and subject_id = 'fanout-bis'"
                + " and message = 'route fanout-bis stopped by http:operator'")).isEqualTo(1);

        HttpResponse<String> page = operator.get("/status");
        assertThat(page.statusCode()).isEqualTo(200);
        String routes = page.body().substring(page.body().indexOf("id=\"routes\""));
        assertThat(routes.substring(0, routes.indexOf("</section>"))).contains("fanout-bis").contains("STOPPED");
        JsonNode status = JSON.readTree(operator.get("/api/ops/status").body());
        assertThat(status.get("stoppedRoutes").toString()).contains("\"route\":\"fanout-bis\"").contains("Stopped");

        assertThat(operator.jolokiaJson(Map.of("type", "exec", "mbean", routeMBean("fanout-bis"), "operation", "start()"))
                .get("status").asInt()).isEqualTo(200);
        assertThat(count("select count(*) from audit_event where event_type = 'ROUTE_STARTED' and actor = 'http:operator'"
                + " and subject_id = 'fanout-bis'")).isEqualTo(1);
        assertThat(JSON.readTree(operator.get("/api/ops/status").body()).get("stoppedRoutes").toString())
                .doesNotContain("fanout-bis");
    }

    @Test
    void aGatewayRouteStoppedByCamelItselfIsAuditedAndAlertedToo() throws Exception {
        camel.getRouteController().stopRoute("feedback-packs");
        try {
            assertThat(count("select count(*) from audit_event where event_type = 'ROUTE_STOPPED' and actor = 'camel'"
                    + " and subject_id = 'feedback-packs'")).isEqualTo(1);
            assertThat(count("select count(*) from alert where category = 'ROUTE_STATE_CHANGED'"
                    + " and message = 'route feedback-packs stopped by camel'")).isEqualTo(1);
            assertThat(new Operator("operator").get("/status").body()).contains("feedback-packs");
        } finally {
            camel.getRouteController().startRoute("feedback-packs");
        }
        camel.getRouteController().suspendRoute("feedback-packs");
        camel.getRouteController().resumeRoute("feedback-packs");
        assertThat(count("select count(*) from audit_event where event_type in ('ROUTE_SUSPENDED', 'ROUTE_STOPPED')"
                + " and subject_id = 'feedback-packs'")).isEqualTo(2);
        assertThat(count("select count(*) from audit_event where event_type in ('ROUTE_RESUMED', 'ROUTE_STARTED')"
                + " and subject_id = 'feedback-packs'")).isEqualTo(2);
    }

    // ---------------------------------------------------------------- console audit (item 2)

    @Test
    void aBulkPaddedWithReadsCannotHideItsExecFromTheAudit() throws Exception {
        Operator operator = new Operator("operator");
        List<Object> bulk = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            bulk.add(Map.of("type", "read", "mbean", routeMBean("intake-e10000012"),
                    "attribute", List.of("ExchangesCompleted", "ExchangesFailed", "ExchangesTotal", "State", "Uptime")));
        }
        bulk.add(Map.of("type", "exec", "mbean", routeMBean("fanout-moj"), "operation", "stop()"));
        HttpResponse<String> response = operator.jolokia(bulk);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        camel.getRouteController().startRoute("fanout-moj");

        // The exec is an event of its own, and every one of the 81 entries is in some event: none left out.
        assertThat(count("select count(*) from audit_event where event_type = 'CONSOLE_ACCESS' and actor = 'http:operator'"
                + " and detail like '%[exec org.apache.camel:%fanout-moj% stop()] (entry 81 of 81)'")).isEqualTo(1);
        TreeSet<Integer> covered = new TreeSet<>();
        Pattern range = Pattern.compile("\\((?:entries (\\d+)-(\\d+)|entry (\\d+)) of 81\\)");
        for (String detail : jdbc.queryForList("select detail from audit_event where event_type = 'CONSOLE_ACCESS'"
                + " and detail like '% of 81)%'", String.class)) {
            assertThat(detail.length()).isLessThanOrEqualTo(2000);
            Matcher m = range.matcher(detail);
            assertThat(m.find()).as(detail).isTrue();
            int from = Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(3));
            int to = Integer.parseInt(m.group(2) != null ? m.group(2) : m.group(3));
            for (int i = from; i <= to; i++) {
                covered.add(i);
            }
        }
        assertThat(covered).hasSize(81).first().isEqualTo(1);
    }

    @Test
    void tooLargeTooManyOrAmbiguousRequestsAreRefusedWholeAndRunNothing() throws Exception {
        Operator operator = new Operator("operator");
        Map<String, Object> stop = Map.of("type", "exec", "mbean", routeMBean("fanout-hscic"), "operation", "stop()");
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            many.add(readRoute("intake-e10000012"));
        }
        many.add(stop);
        assertThat(operator.jolokia(many).statusCode()).isEqualTo(400);

        String padding = "x".repeat(1_100_000);
        assertThat(operator.jolokia(List.of(Map.of("type", "read", "mbean", routeMBean("intake-e10000012"),
                "attribute", padding), stop)).statusCode()).isEqualTo(413);

        // Two parsers could read a repeated key differently: refused rather than guessed.
        HttpResponse<String> duplicate = operator.jolokiaRaw("/actuator/jolokia", "{\"type\":\"read\",\"type\":\"exec\","
                + "\"mbean\":" + JSON.writeValueAsString(routeMBean("fanout-hscic")) + ",\"operation\":\"stop()\"}");
        assertThat(duplicate.statusCode()).isEqualTo(400);
        assertThat(camel.getRouteController().getRouteStatus("fanout-hscic")).isEqualTo(ServiceStatus.Started);
        assertThat(count("select count(*) from audit_event where event_type = 'CONSOLE_ACCESS'"
                + " and detail like 'POST /actuator/jolokia -> 413 [too large request]'")).isEqualTo(1);
    }

    // ---------------------------------------------------------------- Jolokia surface (item 5)

    @Test
    void onlyTheGatewaysOwnOriginReachesJolokia() throws Exception {
        Operator operator = new Operator("operator");
        for (String origin : List.of("http://evil.example", "http://127.0.0.1:" + (port + 1), "https://127.0.0.1:" + port,
                "null")) {
            HttpResponse<String> response = operator.jolokia("/actuator/jolokia", readRoute("intake-e10000012"), origin, null);
            assertThat(response.statusCode()).as(origin).isEqualTo(403);
            assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).as(origin).isEmpty();
        }
        HttpResponse<String> own = operator.jolokia("/actuator/jolokia", readRoute("intake-e10000012"),
                "http://127.0.0.1:" + port, null);
        assertThat(own.statusCode()).isEqualTo(200);
        HttpResponse<String> byReferer = operator.jolokia("/actuator/jolokia", readRoute("intake-e10000012"), null,
                "http://127.0.0.1:" + port + "/actuator/hawtio/camel/routes");
        assertThat(byReferer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(byReferer.body()).get("status").asInt()).isEqualTo(200);
    }

    @Test
    void theNotificationServiceIsNotThere() throws Exception {
        assertThat(getClass().getClassLoader().getResource("org/jolokia/service/notif")).isNull();
        for (String command : List.of("register", "list", "ping")) {
            HttpResponse<String> response = new Operator("operator").jolokia(Map.of("type", "notification", "command", command));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
            assertThat(JSON.readTree(response.body()).has("value")).isFalse();
        }
    }

    // ---------------------------------------------------------------- HTTP logins and refusals (item 9)

    @Test
    void guessingOnePasswordIsThrottledAndAlerted() {
        RawHttp attacker = new RawHttp("127.0.0.21", port);
        for (int i = 0; i < 5; i++) {
            assertThat(attacker.get("/api/audit/events", RawHttp.basic(VICTIM, "guess-" + i)).status()).isEqualTo(401);
        }
        // Now even the right password is not checked: the account waits, from any address.
        RawHttp.Response throttled = attacker.get("/api/audit/events", RawHttp.basic(VICTIM, VICTIM_PASSWORD));
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(Long.parseLong(throttled.headers().get("retry-after"))).isPositive();
        assertThat(new RawHttp("127.0.0.31", port).get("/api/audit/events", RawHttp.basic(VICTIM, VICTIM_PASSWORD)).status())
                .isEqualTo(429);
        assertThat(count("select count(*) from audit_event where event_type = 'HTTP_LOGIN_THROTTLED'"
                + " and detail like '5 failed HTTP logins of account victim %'")).isEqualTo(1);
        assertThat(count("select count(*) from alert where category = 'HTTP_LOGIN_THROTTLED'"
                + " and message like '%account victim%'")).isEqualTo(1);
        // Other accounts are not held up.
        assertThat(new Operator("operator").get("/api/ops/alerts").statusCode()).isEqualTo(200);
    }

    @Test
    void guessingFromOneAddressIsThrottledForEveryAccountFromThere() {
        RawHttp attacker = new RawHttp("127.0.0.22", port);
        for (int i = 0; i < 5; i++) {
            assertThat(attacker.get("/api/ops/alerts", RawHttp.basic("nobody" + i, "guess")).status()).isEqualTo(401);
        }
        assertThat(attacker.get("/api/ops/alerts", RawHttp.basic("operator", new Operator("operator").password)).status())
                .isEqualTo(429);
        assertThat(new RawHttp("127.0.0.32", port).get("/api/ops/alerts",
                RawHttp.basic("operator", new Operator("operator").password)).status()).isEqualTo(200);
        assertThat(count("select count(*) from audit_event where event_type = 'HTTP_LOGIN_THROTTLED'"
                + " and detail like '5 failed HTTP logins from address 127.0.0.22 %'")).isEqualTo(1);
        // Names typed by the attacker that are no users are never written down.
        assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type = 'HTTP_LOGIN_THROTTLED'"
                + " and detail like '%nobody%'", Long.class)).isZero();
    }

    @Test
    void anAnonymousFloodIsAFewCountedAuditEventsNotOnePerRequest() throws Exception {
        String anonymousEvents = "select count(*) from audit_event where event_type in ('API_ACCESS', 'CONSOLE_ACCESS')"
                + " and actor = 'anonymous'";
        long before = count(anonymousEvents);
        RawHttp flood = new RawHttp("127.0.0.23", port);
        int requests = 150;
        for (int i = 0; i < requests; i++) {
            assertThat(flood.get(i % 2 == 0 ? "/api/ops/status" : "/actuator/jolokia/version", null).status()).isEqualTo(401);
        }
        // One event in full per address and window (2 s here), the rest counted: every request accounted for.
        long individually = count(anonymousEvents) - before;
        assertThat(individually).isBetween(1L, 5L);
        Instant deadline = Instant.now().plusSeconds(30);
        long counted = countedRefusals("127.0.0.23");
        while (individually + counted < requests && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            counted = countedRefusals("127.0.0.23");
        }
        assertThat(individually + counted).isEqualTo(requests);
    }

    /** The sum of the counts in HTTP_REFUSALS events for one address. */
    long countedRefusals(String address) {
        long sum = 0;
        for (String detail : jdbc.queryForList("select detail from audit_event where event_type = 'HTTP_REFUSALS'"
                + " and detail like ?", String.class, "% more refused anonymous requests from " + address + " %")) {
            sum += Long.parseLong(detail.substring(0, detail.indexOf(' ')));
        }
        return sum;
    }

    // ---------------------------------------------------------------- files and start-up (items 6, 7)

    @Test
    void whatTheGatewayKeepsIsOwnerOnly() throws IOException {
        assertThat(mode(home.root())).isEqualTo("rwx------");
        assertThat(mode(home.secretsDir())).isEqualTo("rwx------");
        assertThat(mode(home.root().resolve("db"))).isEqualTo("rwx------");
        assertThat(mode(home.root().resolve("config").resolve(HttpSecurityConfiguration.USERS_FILE))).isEqualTo("rw-------");
        Path databasePassword = home.secretsDir().resolve(GatewaySecrets.DATABASE_PASSWORD);
        assertThat(mode(databasePassword)).isEqualTo("rw-------");
        assertThat(Files.readString(databasePassword).strip()).hasSizeGreaterThanOrEqualTo(24);
        try (Stream<Path> secrets = Files.list(home.secretsDir())) {
            for (Path secret : secrets.filter(Files::isRegularFile).toList()) {
                assertThat(mode(secret)).as(secret.toString()).isEqualTo("rw-------");
            }
        }
        // Directories the gateway made while running (staging, archive) are owner-only as well.
        for (Path dir : List.of(home.inbound("E10000012"), home.outbound("E10000012"))) {
            assertThat(mode(dir)).as(dir.toString()).isEqualTo("rwx------");
        }
    }

    @Test
    void aStartWithoutTheDemoSaysWhichPartnersAreDemoPartners() {
        assertThat(new ArrayList<>(LOGS.list)).anySatisfy(event -> {
            assertThat(event.getLoggerName()).isEqualTo("org.linkgate.demo.DemoPartnerWarning");
            assertThat(event.getFormattedMessage()).contains("demo partners configured").contains("E10000012").contains("DWP");
        });
    }

    // ---------------------------------------------------------------- helpers

    static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    long count(String sql) {
        Instant deadline = Instant.now().plusSeconds(10);
        long found = jdbc.queryForObject(sql, Long.class);
        // A console request is audited once its response is sent: wait a little for it.
        while (found == 0 && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            found = jdbc.queryForObject(sql, Long.class);
        }
        return found;
    }

    Map<String, Object> readRoute(String route) {
        return Map.of("type", "read", "mbean", routeMBean(route), "attribute", "ExchangesCompleted");
    }

    String routeMBean(String routeId) {
        return "org.apache.camel:context=" + camel.getManagementName() + ",type=routes,name=\"" + routeId + "\"";
    }

    /** An operator (or admin) with Basic credentials, the CSRF token and the gateway's own Origin. */
    final class Operator {
        final String user;
        final String password;
        final HttpClient http = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();

        Operator(String user) {
            this.user = user;
            try {
                this.password = Files.readAllLines(home.demoDir().resolve("http-users.txt")).stream()
                        .filter(l -> l.startsWith(user + " ")).findFirst().orElseThrow().split(" ")[1];
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }

        HttpResponse<String> get(String path) {
            return send(request(path).GET());
        }

        HttpResponse<String> jolokia(Object body) {
            return jolokia("/actuator/jolokia", body);
        }

        HttpResponse<String> jolokia(String path, Object body) {
            return jolokia(path, body, "http://127.0.0.1:" + port, null);
        }

        HttpResponse<String> jolokia(String path, Object body, String origin, String referer) {
            try {
                return post(path, JSON.writeValueAsString(body), origin, referer);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        HttpResponse<String> jolokiaRaw(String path, String body) {
            return post(path, body, "http://127.0.0.1:" + port, null);
        }

        JsonNode jolokiaJson(Object body) throws IOException {
            HttpResponse<String> response = jolokia(body);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return JSON.readTree(response.body());
        }

        HttpResponse<String> post(String path, String body, String origin, String referer) {
            HttpResponse<String> csrf = get("/api/csrf");
            assertThat(csrf.statusCode()).isEqualTo(200);
            HttpRequest.Builder builder = request(path).header("Content-Type", "application/json");
            try {
                JsonNode token = JSON.readTree(csrf.body());
                builder.header(token.get("headerName").asText(), token.get("token").asText());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            if (origin != null) {
                builder.header("Origin", origin);
            }
            if (referer != null) {
                builder.header("Referer", referer);
            }
            return send(builder.POST(HttpRequest.BodyPublishers.ofString(body)));
        }

        HttpResponse<String> send(HttpRequest.Builder builder) {
            try {
                return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
