package org.linkgate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.linkgate.demo.DemoBootstrap;
import org.linkgate.demo.SshKeyFiles;
import org.linkgate.demo.SyntheticBatchGenerator;
import org.linkgate.intake.GatewayTestHome;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.support.CouncilSide;
import org.linkgate.support.HeadlessChromium;
import org.linkgate.transfer.SftpServerLifecycle;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The operations surface of a real running gateway, over real HTTP: Hawtio and Jolokia for
 * operators only, Jolokia deny-by-default, the browser login, the audit of console requests
 * and logins; a department whose own SFTP server is down (a closed port) not stopping the
 * gateway; and the logs of a real council batch carrying route, partner and file id in the MDC
 * and not one personal value of the batch.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperationsConsoleIT {

    static final Path HOME = GatewayTestHome.create();
    static final String DOWN = "XDOWN";
    static final Duration WAIT = Duration.ofSeconds(60);
    static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();
    static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        downDepartment();
        GatewayTestHome.refreshAgreement(HOME);
        GatewayTestHome.register(registry, HOME);
        registry.add("linkgate.departments.poll-interval", () -> "300ms");
        registry.add("linkgate.departments.endpoint-check-interval", () -> "500");
        // Captures everything the gateway logs, from start-up on.
        LOGS.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        LOGS.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(LOGS);
    }

    /** A department on its own SFTP server at a port where nothing listens. */
    static void downDepartment() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Path config = Files.createDirectories(HOME.resolve("config/departments").resolve(DOWN));
        Files.copy(HOME.resolve("config/departments/DFE/pgp-public-key.asc"), config.resolve("pgp-public-key.asc"));
        SshKeyFiles.write(SshKeyFiles.generate(), "linkgate", HOME.resolve("secrets").resolve("xdown-sftp-key"));
        String[] parts = SshKeyFiles.publicLine(SshKeyFiles.generate(), "host").split("\\s+");
        Files.writeString(config.resolve("ssh-known-hosts"), "[127.0.0.1]:" + closedPort + " " + parts[0] + " " + parts[1] + "\n");
        Files.writeString(config.resolve("department.yaml"), "name: Department whose server is down\n"
                + "matchFields: [forename, surname, date_of_birth]\n"
                + "returnDueDays: 30\n"
                + "endpoint: {type: remote, host: 127.0.0.1, port: " + closedPort + ", user: linkgate"
                + ", privateKey: xdown-sftp-key, knownHosts: ssh-known-hosts, uploadDir: upload, returnsDir: returns}\n"
                + "returns: [{dataset: HES, schema: hscic-hes-v1}]\n", StandardCharsets.UTF_8);
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
    int port;

    String intakeId;
    final Set<String> personalValues = new HashSet<>();

    @BeforeAll
    void councilBatch() throws Exception {
        StringWriter csv = new StringWriter();
        new SyntheticBatchGenerator(77, LocalDate.of(2015, 6, 30)).write(csv, 40);
        for (CSVRecord row : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(csv.toString()))) {
            for (String column : List.of("forename", "middle_names", "surname", "date_of_birth", "address_line_1",
                    "address_line_2", "postcode", "nino", "nhs_number", "upn")) {
                String value = row.toMap().getOrDefault(column, "");
                if (value.length() >= 5) {
                    personalValues.add(value);
                }
            }
        }
        assertThat(personalValues).hasSizeGreaterThan(100);
        CouncilSide council = new CouncilSide(DemoBootstrap.DEMO_COUNCIL, home, sftp.port());
        String name = "E10000012_2015-06_01.csv.gpg";
        council.upload(name, council.encryptAndSign(csv.toString().getBytes(StandardCharsets.UTF_8)));
        assertThat(council.awaitReport(name, WAIT).get("status").asText()).isEqualTo("ACCEPTED");
        intakeId = jdbc.queryForObject("select id from intake_file where file_name = ?", String.class, name);
    }

    @AfterAll
    void detachLogs() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
    }

    // ---------------------------------------------------------------- HTTP roles

    @Test
    void anonymousIsAskedToAuthenticate() {
        Client anonymous = new Client(null);
        for (String path : List.of("/actuator/hawtio/", "/actuator/hawtio", "/actuator/jolokia", "/actuator/jolokia/version")) {
            HttpResponse<String> response = anonymous.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).as(path).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        }
        assertThat(new Client(null).get("/actuator/health").statusCode()).isEqualTo(200);
    }

    @Test
    void analystsAndAuditorsAreRefused() {
        for (String user : List.of("analyst", "auditor")) {
            Client client = new Client(user);
            assertThat(client.get("/actuator/hawtio/").statusCode()).as(user).isEqualTo(403);
            assertThat(client.get("/actuator/jolokia").statusCode()).as(user).isEqualTo(403);
            assertThat(client.jolokia(readRoute("ExchangesCompleted")).statusCode()).as(user).isEqualTo(403);
        }
        assertThat(auditCount("CONSOLE_ACCESS", "http:analyst", "POST /actuator/jolokia -> 403%")).isPositive();
    }

    @Test
    void operatorsAndAdminsReachHawtio() {
        for (String user : List.of("operator", "admin")) {
            HttpResponse<String> page = new Client(user).get("/actuator/hawtio/");
            assertThat(page.statusCode()).as(user).isEqualTo(200);
            assertThat(page.body()).contains("<html").containsIgnoringCase("hawtio");
        }
        assertThat(auditCount("CONSOLE_ACCESS", "http:operator", "GET /actuator/hawtio/ -> 200")).isPositive();
    }

    @Test
    void hawtiosProxyIsNotThere() {
        Client operator = new Client("operator");
        assertThat(operator.get("/actuator/hawtio/proxy/http/127.0.0.1/" + port + "/actuator/jolokia").statusCode())
                .isIn(403, 404);
        assertThat(operator.jolokiaAt("/actuator/hawtio/proxy/http/127.0.0.1/" + port + "/actuator/jolokia",
                readRoute("ExchangesCompleted")).statusCode()).isIn(403, 404);
    }

    // ---------------------------------------------------------------- Jolokia policy

    @Test
    void operatorReadsRouteStatisticsThroughJolokia() throws Exception {
        Client operator = new Client("operator");
        JsonNode read = operator.jolokiaJson(readRoute("ExchangesCompleted"));
        assertThat(read.get("status").asInt()).as(read.toString()).isEqualTo(200);
        // The council batch went through this route: at least one completed exchange.
        assertThat(read.get("value").asLong()).isGreaterThanOrEqualTo(1);

        JsonNode several = operator.jolokiaJson(Map.of("type", "read", "mbean", routeMBean("intake-e10000012"),
                "attribute", List.of("ExchangesTotal", "ExchangesFailed", "State")));
        assertThat(several.get("status").asInt()).as(several.toString()).isEqualTo(200);
        assertThat(several.at("/value/State").asText()).isEqualTo("Started");

        // What was asked is in the audit trail: type, MBean and attribute, no values.
        assertThat(auditCount("CONSOLE_ACCESS", "http:operator",
                "POST /actuator/jolokia -> 200 [read org.apache.camel:%intake-e10000012% ExchangesCompleted]")).isPositive();
    }

    @Test
    void hawtioReachesJolokiaThroughItsOwnPath() throws Exception {
        // Hawtio's scripts call "jolokia" relative to the console, forwarded to the agent.
        HttpResponse<String> read = new Client("operator").jolokiaAt("/actuator/hawtio/jolokia", readRoute("ExchangesCompleted"));
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(read.body()).get("status").asInt()).as(read.body()).isEqualTo(200);
        HttpResponse<String> refused = new Client("operator").jolokiaAt("/actuator/hawtio/jolokia",
                Map.of("type", "exec", "mbean", "java.lang:type=Memory", "operation", "gc()"));
        assertThat(refused(refused)).as(refused.body()).isTrue();
    }

    @Test
    void operatorStopsAndStartsAPartnerRouteButNoGatewayRoute() throws Exception {
        Client operator = new Client("operator");
        String mbean = routeMBean("fanout-dfe");
        assertThat(operator.jolokiaJson(Map.of("type", "exec", "mbean", mbean, "operation", "stop()")).get("status").asInt())
                .isEqualTo(200);
        assertThat(camel.getRouteController().getRouteStatus("fanout-dfe")).isEqualTo(ServiceStatus.Stopped);
        assertThat(operator.jolokiaJson(Map.of("type", "exec", "mbean", mbean, "operation", "start()")).get("status").asInt())
                .isEqualTo(200);
        assertThat(camel.getRouteController().getRouteStatus("fanout-dfe")).isEqualTo(ServiceStatus.Started);
        // The gateway's own routes are not the console's to stop.
        HttpResponse<String> refused = operator.jolokia(Map.of("type", "exec", "mbean", routeMBean("ops-overdue-returns"),
                "operation", "stop()"));
        assertThat(refused(refused)).as(refused.body()).isTrue();
        assertThat(camel.getRouteController().getRouteStatus("ops-overdue-returns")).isEqualTo(ServiceStatus.Started);
    }

    @Test
    void dangerousMBeansAndBodyReturningOperationsAreRefused() throws Exception {
        Client operator = new Client("operator");
        String context = contextMBean();
        List<Map<String, Object>> forbidden = List.of(
                Map.of("type", "read", "mbean", "com.sun.management:type=DiagnosticCommand"),
                Map.of("type", "exec", "mbean", "com.sun.management:type=DiagnosticCommand", "operation", "vmSystemProperties()"),
                Map.of("type", "read", "mbean", "com.sun.management:type=HotSpotDiagnostic", "attribute", "DiagnosticOptions"),
                Map.of("type", "read", "mbean", "jdk.management.jfr:type=FlightRecorder", "attribute", "Recordings"),
                Map.of("type", "exec", "mbean", "jdk.management.jfr:type=FlightRecorder", "operation", "newRecording()"),
                Map.of("type", "read", "mbean", "java.util.logging:type=Logging", "attribute", "LoggerNames"),
                Map.of("type", "exec", "mbean", "java.util.logging:type=Logging", "operation", "setLoggerLevel",
                        "arguments", List.of("org.linkgate", "FINEST")),
                Map.of("type", "exec", "mbean", "java.lang:type=Memory", "operation", "gc()"),
                Map.of("type", "read", "mbean", "java.lang:type=Runtime", "attribute", "SystemProperties"),
                Map.of("type", "exec", "mbean", "javax.management.loading:type=MLet", "operation", "getMBeansFromURL(java.lang.String)",
                        "arguments", List.of("http://127.0.0.1/evil")),
                Map.of("type", "exec", "mbean", context, "operation", "sendBody(java.lang.String,java.lang.Object)",
                        "arguments", List.of("direct:x", "body")),
                Map.of("type", "exec", "mbean", endpointMBean(), "operation", "browseAllMessagesAsXml(java.lang.Boolean)",
                        "arguments", List.of(true)),
                Map.of("type", "exec", "mbean", endpointMBean(), "operation", "browseMessageBody(java.lang.Integer)",
                        "arguments", List.of(0)),
                Map.of("type", "exec", "mbean", routeMBean("intake-e10000012"), "operation", "dumpRouteAsXml()"),
                Map.of("type", "exec", "mbean", context, "operation", "dumpRoutesAsXml()"),
                Map.of("type", "write", "mbean", routeMBean("intake-e10000012"), "attribute", "Tracing", "value", true),
                Map.of("type", "write", "mbean", context, "attribute", "Tracing", "value", true));
        for (Map<String, Object> request : forbidden) {
            HttpResponse<String> response = operator.jolokia(request);
            assertThat(refused(response)).as(request + " -> " + response.body()).isTrue();
        }
        // Nor does the JVM's diagnostic surface even show up in a listing.
        JsonNode search = operator.jolokiaJson(Map.of("type", "search", "mbean", "com.sun.management:*"));
        assertThat(search.get("value").toString()).doesNotContain("DiagnosticCommand");
        assertThat(camel.isTracing()).isFalse();
        assertThat(camel.isBacklogTracing()).isFalse();
    }

    @Test
    void jolokiaTakesOnlyPostsWithTheCsrfTokenAndAnOrigin() {
        Client operator = new Client("operator");
        HttpResponse<String> get = operator.get("/actuator/jolokia/read/" + routeMBean("intake-e10000012").replace("\"", "%22")
                + "/ExchangesCompleted");
        assertThat(get.statusCode()).as(get.body()).isEqualTo(403);
        assertThat(operator.get("/actuator/hawtio/jolokia").statusCode()).isEqualTo(403);
        assertThat(operator.jolokiaWithoutCsrf(readRoute("ExchangesCompleted")).statusCode()).isEqualTo(403);
        HttpResponse<String> noOrigin = operator.jolokiaWithoutOrigin(readRoute("ExchangesCompleted"));
        assertThat(refused(noOrigin)).as(noOrigin.body()).isTrue();
    }

    // ---------------------------------------------------------------- browser login

    @Test
    void anOperatorsBrowserLogsInAndUsesHawtio() throws Exception {
        Client browser = new Client(null);
        HttpResponse<String> first = browser.send(browser.request("/actuator/hawtio/").header("Accept", "text/html").GET());
        assertThat(first.statusCode()).isEqualTo(302);
        assertThat(first.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));

        HttpResponse<String> loginPage = browser.get("/login");
        assertThat(loginPage.statusCode()).isEqualTo(200);
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(loginPage.body());
        assertThat(csrf.find()).as(loginPage.body()).isTrue();

        // A wrong password first: refused and audited, never the password itself.
        HttpResponse<String> wrong = browser.form("/login", Map.of("username", "operator", "password", "not-the-password",
                "_csrf", csrf.group(1)));
        assertThat(wrong.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).contains("error"));
        csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(browser.get("/login").body());
        assertThat(csrf.find()).isTrue();
        HttpResponse<String> login = browser.form("/login", Map.of("username", "operator",
                "password", new Client("operator").password(), "_csrf", csrf.group(1)));
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).contains("/actuator/hawtio"));

        HttpResponse<String> hawtio = browser.send(browser.request("/actuator/hawtio/").header("Accept", "text/html").GET());
        assertThat(hawtio.statusCode()).isEqualTo(200);
        assertThat(hawtio.body()).containsIgnoringCase("hawtio");
        // As Hawtio's scripts do: the token from the XSRF-TOKEN cookie, the session cookie, an Origin.
        String token = browser.cookie("XSRF-TOKEN");
        assertThat(token).as("XSRF-TOKEN cookie after the Hawtio page").isNotNull();
        HttpResponse<String> read = browser.send(browser.request("/actuator/jolokia")
                .header("X-XSRF-TOKEN", token).header("Origin", "http://127.0.0.1:" + port)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(readRoute("ExchangesCompleted")))));
        assertThat(JSON.readTree(read.body()).get("status").asInt()).as(read.body()).isEqualTo(200);

        assertThat(auditCount("HTTP_LOGIN", "http:operator", "form login")).isPositive();
        assertThat(auditCount("HTTP_LOGIN_FAILED", "http", "user operator: BadCredentialsException")).isPositive();
        assertThat(auditCount("CONSOLE_ACCESS", "http:operator", "POST /actuator/jolokia -> 200%")).isPositive();
        assertThat(jdbc.queryForObject("select count(*) from audit_event where detail like '%not-the-password%'", Long.class))
                .isZero();
    }

    @Test
    void inARealBrowserAnOperatorLogsInAndHawtioShowsTheRoutes() throws Exception {
        HeadlessChromium.requireOrSkip();
        try (HeadlessChromium chromium = new HeadlessChromium()) {
            String base = "http://127.0.0.1:" + port;
            chromium.navigate(base + "/actuator/hawtio/");
            chromium.await("location.pathname === '/login' && !!document.querySelector('#username')", Duration.ofSeconds(30));
            chromium.evaluate("document.querySelector('#username').value = 'operator';"
                    + "document.querySelector('#password').value = " + JSON.writeValueAsString(new Client("operator").password()) + ";"
                    + "document.querySelector('form').submit(); true");
            chromium.await("location.pathname.startsWith('/actuator/hawtio')", Duration.ofSeconds(30));
            // Hawtio's scripts find Jolokia, list the MBeans and show the Camel routes (POSTs with the XSRF token).
            chromium.navigate(base + "/actuator/hawtio/camel/routes");
            chromium.await("document.body.innerText.includes('intake-e10000012')"
                    + " && document.body.innerText.includes('ops-partner-endpoints')", Duration.ofSeconds(60));
        }
        assertThat(auditCount("CONSOLE_ACCESS", "http:operator", "POST /actuator/hawtio/jolokia% -> 200 [%")).isPositive();
    }

    @Test
    void anAnalystsBrowserLoginDoesNotOpenHawtio() {
        Client browser = new Client(null);
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(browser.get("/login").body());
        assertThat(csrf.find()).isTrue();
        browser.form("/login", Map.of("username", "analyst", "password", new Client("analyst").password(), "_csrf", csrf.group(1)));
        assertThat(browser.send(browser.request("/actuator/hawtio/").header("Accept", "text/html").GET()).statusCode())
                .isEqualTo(403);
    }

    // ---------------------------------------------------------------- supervised start

    @Test
    void aDepartmentWhoseServerIsDownDoesNotStopTheGateway() throws Exception {
        // The gateway started (this test runs), is healthy, and took the council batch in.
        HttpResponse<String> health = new Client(null).get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).get("status").asText()).isEqualTo("UP");
        assertThat(intakeId).isNotNull();
        assertThat(camel.getRouteController().isSupervising()).isTrue();
        assertThat(camel.getRoute("collect-xdown")).isNotNull();
        // Department routes are started, and restarted, by the supervising route controller.
        assertThat(camel.getRouteController().adapt(org.apache.camel.spi.SupervisingRouteController.class)
                .getControlledRoutes()).extracting(org.apache.camel.Route::getRouteId).contains("collect-xdown", "returns-xdown", "fanout-dfe");
        assertThat(camel.getRouteController().getRouteStatus("intake-e10000012")).isEqualTo(ServiceStatus.Started);
        // The failing partner is reported to operators: an alert naming the partner and the route.
        Instant deadline = Instant.now().plus(WAIT);
        while (alerts(DOWN) == 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertThat(alerts(DOWN)).as("an alert for the down department").isPositive();
    }

    long alerts(String partner) {
        return jdbc.queryForObject("select count(*) from alert where partner_code = ? and category = 'PARTNER_ENDPOINT_DOWN'",
                Long.class, partner);
    }

    // ---------------------------------------------------------------- logs

    @Test
    void logsCarryRouteDepartmentAndFileIdButNoPersonalData() {
        List<ILoggingEvent> events = new ArrayList<>(LOGS.list);
        assertThat(events).hasSizeGreaterThan(10);
        assertThat(events).anySatisfy(event -> {
            assertThat(event.getMDCPropertyMap()).containsEntry("camel.routeId", "intake-e10000012")
                    .containsEntry("partner", DemoBootstrap.DEMO_COUNCIL)
                    .containsEntry("fileId", intakeId);
        });
        List<String> leaks = new ArrayList<>();
        for (ILoggingEvent event : events) {
            StringBuilder line = new StringBuilder(event.getFormattedMessage()).append(' ').append(event.getMDCPropertyMap());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                line.append(' ').append(t.getMessage());
            }
            for (String value : personalValues) {
                if (line.indexOf(value) >= 0) {
                    leaks.add(value + " in: " + event.getLoggerName());
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    Map<String, Object> readRoute(String attribute) {
        return Map.of("type", "read", "mbean", routeMBean("intake-e10000012"), "attribute", attribute);
    }

    String routeMBean(String routeId) {
        return "org.apache.camel:context=" + camel.getManagementName() + ",type=routes,name=\"" + routeId + "\"";
    }

    String contextMBean() {
        return "org.apache.camel:context=" + camel.getManagementName() + ",type=context,name=\"" + camel.getName() + "\"";
    }

    String endpointMBean() throws Exception {
        JsonNode found = new Client("operator").jolokiaJson(Map.of("type", "search",
                "mbean", "org.apache.camel:context=" + camel.getManagementName() + ",type=endpoints,*"));
        for (JsonNode name : found.get("value")) {
            if (name.asText().contains("file://") && name.asText().contains("inbound")) {
                return name.asText();
            }
        }
        throw new AssertionError("no inbound file endpoint MBean in " + found);
    }

    static boolean refused(HttpResponse<String> response) {
        if (response.statusCode() == 403 || response.statusCode() == 405) {
            return true;
        }
        try {
            JsonNode json = JSON.readTree(response.body());
            if (json.isArray()) {
                return false;
            }
            int status = json.path("status").asInt();
            // A read of all attributes of an MBean whose attributes are all refused answers an empty value.
            JsonNode value = json.path("value");
            return status == 403 || (status == 200 && value.isObject() && value.isEmpty());
        } catch (IOException e) {
            return false;
        }
    }

    /** Audit events matching; waits a little for them, as a request is recorded once its response is sent. */
    long auditCount(String type, String actor, String detailLike) {
        Instant deadline = Instant.now().plusSeconds(10);
        long count;
        while ((count = countAudit(type, actor, detailLike)) == 0 && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return count;
    }

    long countAudit(String type, String actor, String detailLike) {
        return jdbc.queryForObject("select count(*) from audit_event where event_type = ? and actor = ? and detail like ?",
                Long.class, type, actor, detailLike);
    }

    /** One HTTP client with its own cookie jar: Basic credentials of a demo user, or none (a browser). */
    final class Client {
        final String user;
        final CookieManager cookies = new CookieManager();
        final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();

        Client(String user) {
            this.user = user;
        }

        String password() {
            return password(user);
        }

        String password(String name) {
            try {
                return Files.readAllLines(home.demoDir().resolve("http-users.txt")).stream()
                        .filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow().split(" ")[1];
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        HttpRequest.Builder request(String path) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
            if (user != null) {
                builder.header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((user + ":" + password()).getBytes(StandardCharsets.UTF_8)));
            }
            return builder;
        }

        HttpResponse<String> get(String path) {
            return send(request(path).GET());
        }

        HttpResponse<String> form(String path, Map<String, String> fields) {
            StringBuilder body = new StringBuilder();
            fields.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(k).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
            return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        }

        String csrfToken() {
            HttpResponse<String> csrf = get("/api/csrf");
            assertThat(csrf.statusCode()).as("GET /api/csrf as " + user).isEqualTo(200);
            try {
                return JSON.readTree(csrf.body()).get("token").asText();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        String cookie(String name) {
            return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                    .map(HttpCookie::getValue).findFirst().orElse(null);
        }

        HttpResponse<String> jolokia(Object request) {
            return jolokiaAt("/actuator/jolokia", request);
        }

        HttpResponse<String> jolokiaAt(String path, Object request) {
            return post(path, request, true, true);
        }

        JsonNode jolokiaJson(Object request) throws IOException {
            HttpResponse<String> response = jolokia(request);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return JSON.readTree(response.body());
        }

        HttpResponse<String> jolokiaWithoutCsrf(Object request) {
            return post("/actuator/jolokia", request, false, true);
        }

        HttpResponse<String> jolokiaWithoutOrigin(Object request) {
            return post("/actuator/jolokia", request, true, false);
        }

        HttpResponse<String> post(String path, Object request, boolean csrf, boolean origin) {
            HttpRequest.Builder builder = request(path).header("Content-Type", "application/json");
            if (user != null && csrf) {
                builder.header("X-XSRF-TOKEN", csrfToken());
            }
            if (origin) {
                builder.header("Origin", "http://127.0.0.1:" + port);
            }
            try {
                return send(builder.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request))));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
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
