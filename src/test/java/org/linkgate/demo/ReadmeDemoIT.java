package org.linkgate.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.linkgate.LinkgateApplication;
import org.linkgate.crypto.GpgCli;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.GatewaySecrets;
import org.linkgate.kernel.SecretFiles;
import org.linkgate.support.GatewayHttp;
import org.linkgate.transfer.SftpServerLifecycle;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The README's "See files flow" as a newcomer runs it: the gateway in profile {@code demo} on an empty home (what
 * {@code ./mvnw spring-boot:run} does), the demo drop ({@code exec:java@demo-drop}: {@link DemoCouncilDrop#main}),
 * the demo departments answering every extract, the analyst's {@code curl} for the linked data, and the feedback
 * pack opened with {@code gpg} exactly as step 5 says. Only the timers are shortened.
 */
class ReadmeDemoIT {

    private static final Duration WAIT = Duration.ofSeconds(150);

    @Test
    void theDemoDropTheDemoDepartmentsAndTheFeedbackPackWorkAsTheReadmeSays() throws Exception {
        Path dir = Files.createTempDirectory("linkgate-readme-");
        GatewayHome home = new GatewayHome(dir, dir.resolve("secrets"));
        try (ConfigurableApplicationContext gateway = new SpringApplicationBuilder(LinkgateApplication.class)
                .profiles("demo")
                .run("--linkgate.home=" + dir, "--server.port=0", "--linkgate.sftp.port=0",
                        "--linkgate.sftp.bind-host=127.0.0.1", "--linkgate.demo.simulate-interval=500",
                        "--linkgate.departments.poll-interval=300ms", "--linkgate.departments.stable-for=300ms",
                        "--linkgate.feedback.check-interval=500", "--linkgate.feedback.initial-delay=500")) {
            int sftpPort = gateway.getBean(SftpServerLifecycle.class).port();
            JdbcTemplate jdbc = gateway.getBean(JdbcTemplate.class);

            // Step 2: ./mvnw -q exec:java@demo-drop (50 rows to keep it quick).
            String printed = runDemoDrop(new String[] {"50", dir.toString(), Integer.toString(sftpPort)});
            assertThat(printed).contains("uploaded E10000012_").contains("gateway signature verified")
                    .contains("ACCEPTED");

            // Step 3: the audit events the log shows.
            assertThat(jdbc.queryForList("select distinct event_type from audit_event where partner_code = 'E10000012'",
                    String.class)).contains("FILE_RECEIVED", "FILE_VERIFIED", "FILE_ACCEPTED", "REPORT_SENT",
                    "FILE_ARCHIVED");
            assertThat(jdbc.queryForObject("select count(*) from research_person", Long.class)).isEqualTo(50);

            // Step 4: one EXTRACT_SENT per department, eleven RETURN_ACCEPTED from the demo departments.
            eventually("six extracts and eleven accepted returns", () ->
                    count(jdbc, "EXTRACT_SENT") == 6 && count(jdbc, "RETURN_ACCEPTED") == 11);
            GatewayHttp http = new GatewayHttp(((WebServerApplicationContext) gateway).getWebServer().getPort(),
                    home.demoDir().resolve("http-users.txt"));
            HttpResponse<String> linked = http.get("/api/linked?department=DFE&limit=5", "analyst");
            assertThat(linked.statusCode()).as(linked.body()).isEqualTo(200);
            assertThat(linked.body()).doesNotContain("forename").doesNotContain("date_of_birth");
            JsonNode quality = GatewayHttp.json(http.get("/api/linkage/quality", "analyst"));
            assertThat(quality.isEmpty()).isFalse();

            // Step 5: the feedback pack, opened with gpg as the council would.
            Path outbound = home.outbound(DemoBootstrap.DEMO_COUNCIL);
            eventually("the feedback pack in outbound/", () -> pack(outbound) != null);
            Map<String, byte[]> pack = openWithGpg(home, pack(outbound));
            assertThat(pack).containsKeys("report.html", "manifest.json");
            assertThat(new String(pack.get("report.html"), StandardCharsets.UTF_8)).contains("<html");

            // Step 6: the auditor's check.
            JsonNode verify = GatewayHttp.json(http.get("/api/audit/verify", "auditor"));
            assertThat(verify.get("intact").asBoolean()).as(verify.toString()).isTrue();
        }
    }

    private static String runDemoDrop(String[] args) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            DemoCouncilDrop.main(args);
        } finally {
            System.setOut(original);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        original.print(printed);
        return printed;
    }

    private static long count(JdbcTemplate jdbc, String type) {
        Long n = jdbc.queryForObject("select count(*) from audit_event where event_type = ?", Long.class, type);
        return n == null ? 0 : n;
    }

    private static Path pack(Path outbound) {
        try (Stream<Path> files = Files.list(outbound)) {
            return files.filter(f -> f.getFileName().toString().matches("feedback-E10000012-\\d{8}-01\\.zip\\.pgp"))
                    .findFirst().orElse(null);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** README step 5: import the council's secret key and the gateway's public key, decrypt, "Good signature". */
    private static Map<String, byte[]> openWithGpg(GatewayHome home, Path sealed) throws Exception {
        if (!GpgCli.isAvailable()) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("gpg must be installed in CI");
            }
            Assumptions.abort("gpg not installed");
        }
        Path side = home.demoDir().resolve(DemoBootstrap.DEMO_COUNCIL);
        char[] passphrase = SecretFiles.readText(side.resolve(DemoPartnerFiles.PGP_PASSPHRASE)).toCharArray();
        try (GpgCli gpg = GpgCli.inTempHome()) {
            gpg.importKey(side.resolve(DemoPartnerFiles.PGP_SECRET_KEY), passphrase);
            gpg.importKey(home.gatewayKeyDir().resolve(GatewaySecrets.GATEWAY_PUBLIC_KEY), null);
            Path out = Files.createTempFile("pack", ".zip");
            Files.delete(out);
            GpgCli.Result result = gpg.decrypt(sealed, out, passphrase);
            assertThat(result.succeeded()).as(result.stderr()).isTrue();
            assertThat(result.stderr()).contains("Good signature from").contains("Linkgate");
            Map<String, byte[]> entries = new HashMap<>();
            try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(Files.readAllBytes(out)))) {
                for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                    entries.put(entry.getName(), zip.readAllBytes());
                }
            }
            Files.delete(out);
            return entries;
        }
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(300);
        }
    }
}
