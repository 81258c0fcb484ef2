package org.linkgate.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.crypto.AesGcm;
import org.linkgate.crypto.GpgCli;
import org.linkgate.crypto.SegmentedAead;
import org.linkgate.demo.DemoBootstrap;
import org.linkgate.demo.SyntheticBatchGenerator;
import org.linkgate.intake.GatewayTestHome;
import org.linkgate.kernel.DataKeyStore;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.GatewaySecrets;
import org.linkgate.kernel.ReceivedFileCustody;
import org.linkgate.support.CouncilSide;
import org.linkgate.support.GatewayHttp;
import org.linkgate.transfer.SftpServerLifecycle;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Retention end to end through the real gateway: a council batch in over SFTP with real OpenPGP,
 * accepted and archived; the clock moved past the agreement's councilData date; destruction asked
 * for over HTTP (admin only, CSRF required) and certified; the certificate fetched over HTTP and
 * checked with gpg and the gateway's public key alone; then, past linkedData, the scheduled route
 * destroys the linked data by itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RetentionIT {

    static final Path HOME = GatewayTestHome.create();
    static final Duration WAIT = Duration.ofSeconds(60);
    static final RetentionFixture.MutableClock CLOCK = new RetentionFixture.MutableClock(Instant.now());

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestHome.register(registry, HOME);
        registry.add("linkgate.retention.schedule", () -> "1s");
        registry.add("linkgate.retention.initial-delay", () -> "1s");
    }

    @TestConfiguration
    static class MovableClock {
        @Bean
        @Primary
        Clock movableClock() {
            return CLOCK;
        }
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
    AgreementPolicy policy;
    @Autowired
    DataKeyStore dataKeys;
    @Autowired
    ReceivedFileCustody custody;
    @LocalServerPort
    int httpPort;

    static String intakeId;
    static String archivePath;
    static byte[] received;
    static Path backup;
    static List<byte[]> vaultBackup;
    static String certificateId;

    GatewayHttp client() {
        return new GatewayHttp(httpPort, home.demoDir().resolve("http-users.txt"));
    }

    @Test
    @Order(1)
    void aBatchIsAcceptedAndKeptSealed() throws Exception {
        // The schedule must not run while the batch is coming in (nothing is due yet, but be explicit).
        camel.getRouteController().stopRoute("retention-destruction");
        CouncilSide council = new CouncilSide(DemoBootstrap.DEMO_COUNCIL, home, sftp.port());
        StringWriter csv = new StringWriter();
        new SyntheticBatchGenerator(11, LocalDate.of(2015, 6, 30)).write(csv, 40);
        String name = "E10000012_2015-06_01.csv.gpg";
        received = council.encryptAndSign(csv.toString().getBytes(StandardCharsets.UTF_8));
        council.upload(name, received);
        assertThat(council.awaitReport(name, WAIT).get("status").asText()).isEqualTo("ACCEPTED");
        intakeId = jdbc.queryForObject("select id from intake_file where file_name = ?", String.class, name);
        archivePath = jdbc.queryForObject("select archive_path from intake_file where id = ?", String.class, intakeId);

        try (InputStream in = custody.open(archivePath)) {
            assertThat(in.readAllBytes()).isEqualTo(received);
        }
        backup = Files.copy(home.root().resolve(archivePath), Files.createTempDirectory("lg-backup").resolve("copy"));
        vaultBackup = jdbc.queryForList("select sealed from identity_vault where intake_id = ?", byte[].class, intakeId);
        assertThat(vaultBackup).hasSize(40);
    }

    @Test
    @Order(2)
    void pastCouncilDataRetentionAnAdminDestroysOnDemandAndGetsASignedCertificate() throws Exception {
        LocalDate councilDataUntil = policy.agreement().retention().councilData();
        CLOCK.set(councilDataUntil.plusDays(1).atTime(12, 0).atZone(AgreementPolicy.AGREEMENT_ZONE).toInstant());

        GatewayHttp auditor = client();
        HttpResponse<String> due = auditor.get("/api/retention/due", "auditor");
        assertThat(due.statusCode()).isEqualTo(200);
        JsonNode items = GatewayHttp.json(due).get("items");
        assertThat(items.findValuesAsText("subjectId")).containsExactly(intakeId);
        assertThat(items.findValuesAsText("unit")).containsExactly("COUNCIL_DATA");

        // Only an admin destroys, and only with the CSRF token.
        assertThat(client().post("/api/retention/destructions", "operator", null).statusCode()).isEqualTo(403);
        assertThat(client().post("/api/retention/destructions", "analyst", null).statusCode()).isEqualTo(403);
        assertThat(client().post("/api/retention/destructions", "auditor", null).statusCode()).isEqualTo(403);
        GatewayHttp admin = client();
        assertThat(admin.postWithoutCsrf("/api/retention/destructions", "admin", null).statusCode()).isEqualTo(403);
        assertThat(jdbc.queryForObject("select count(*) from destruction", Long.class)).isZero();
        assertThat(client().get("/api/retention/due", "operator").statusCode()).isEqualTo(403);

        HttpResponse<String> run = admin.post("/api/retention/destructions", "admin", null);
        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
        JsonNode outcome = GatewayHttp.json(run);
        assertThat(outcome.get("destroyed").asInt()).isEqualTo(1);
        certificateId = outcome.get("certificateIds").get(0).asText();

        // Gone from the database and the disk; the copy taken before cannot be opened, master key or not.
        assertThat(jdbc.queryForObject("select count(*) from identity_vault where intake_id = ?", Long.class, intakeId)).isZero();
        assertThat(Files.exists(home.root().resolve(archivePath))).isFalse();
        assertThat(jdbc.queryForObject("select count(*) from data_key d join kept_file k on k.data_key_id = d.id"
                + " where k.subject_id = ? and d.wrapped_key is not null", Long.class, intakeId)).isZero();
        assertThatThrownBy(() -> {
            try (InputStream in = SegmentedAead.decrypting(Files.newInputStream(backup), id -> dataKeys.get(id).key())) {
                in.readAllBytes();
            }
        }).hasMessageContaining("destroyed");
        List<String> keyIds = jdbc.queryForList("select id from data_key where purpose = 'council-identity'", String.class);
        assertThat(keyIds).isNotEmpty();
        for (String keyId : keyIds) {
            assertThatThrownBy(() -> AesGcm.open(dataKeys.get(keyId).key(), vaultBackup.get(0), new byte[0]))
                    .hasMessageContaining("destroyed");
        }
        // The pseudonymised linked dataset stays until linkedData's date.
        assertThat(jdbc.queryForObject("select count(*) from research_record where intake_id = ?", Long.class, intakeId))
                .isEqualTo(40);

        // The certificate, over HTTP, verifies with gpg and the gateway's public key alone.
        GatewayHttp reader = client();
        assertThat(GatewayHttp.json(reader.get("/api/retention/certificates", "auditor")).findValuesAsText("id"))
                .containsExactly(certificateId);
        HttpResponse<String> body = reader.get("/api/retention/certificates/" + certificateId, "auditor");
        HttpResponse<String> signature = reader.get("/api/retention/certificates/" + certificateId + "/signature", "auditor");
        assertThat(body.statusCode()).isEqualTo(200);
        assertThat(signature.body()).startsWith("-----BEGIN PGP SIGNATURE-----");
        assertThat(GatewayHttp.json(body).get("run").get("operator").asText()).isEqualTo("admin");
        assertThat(body.body()).contains(intakeId);
        assertThat(client().get("/api/retention/certificates", "analyst").statusCode()).isEqualTo(403);
        gpgVerifies(body.body(), signature.body());
        assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type = 'DESTRUCTION_CERTIFIED'"
                + " and actor = 'admin'", Long.class)).isEqualTo(1);
    }

    @Test
    @Order(3)
    void pastLinkedDataRetentionTheScheduledRouteDestroysTheLinkedData() throws Exception {
        assertThat(camel.getRoute("retention-destruction")).isNotNull();
        LocalDate linkedDataUntil = policy.agreement().retention().linkedData();
        CLOCK.set(linkedDataUntil.plusDays(1).atTime(12, 0).atZone(AgreementPolicy.AGREEMENT_ZONE).toInstant());
        camel.getRouteController().startRoute("retention-destruction");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (jdbc.queryForObject("select count(*) from destruction_certificate", Long.class) < 2) {
            assertThat(System.nanoTime()).as("scheduled destruction within " + WAIT).isLessThan(deadline);
            Thread.sleep(200);
        }
        assertThat(jdbc.queryForObject("select count(*) from research_record where intake_id = ?", Long.class, intakeId))
                .isZero();
        assertThat(jdbc.queryForObject("select trigger_kind from destruction d join destruction_certificate c"
                + " on c.destruction_id = d.id where c.id <> ?", String.class, certificateId)).isEqualTo("SCHEDULED");
        // The audit trail is never destroyed by the job, and its chain still verifies.
        assertThat(jdbc.queryForObject("select count(*) from audit_event where subject_id = ?", Long.class, intakeId))
                .isGreaterThanOrEqualTo(5);
        HttpResponse<String> verify = client().get("/api/audit/verify", "auditor");
        assertThat(verify.statusCode()).isEqualTo(200);
        assertThat(GatewayHttp.json(verify).get("intact").asBoolean()).as(verify.body()).isTrue();
    }

    void gpgVerifies(String body, String signature) throws Exception {
        Path dir = Files.createTempDirectory("lg-cert");
        Path json = dir.resolve("certificate.json");
        Path asc = dir.resolve("certificate.json.asc");
        Files.writeString(json, body, StandardCharsets.UTF_8);
        Files.writeString(asc, signature, StandardCharsets.US_ASCII);
        try (GpgCli gpg = GpgCli.inTempHome()) {
            gpg.importKey(home.gatewayKeyDir().resolve(GatewaySecrets.GATEWAY_PUBLIC_KEY), null);
            GpgCli.Result good = gpg.verifyDetached(asc, json);
            assertThat(good.succeeded()).as(good.stderr()).isTrue();
            assertThat(good.hasStatus("GOODSIG")).isTrue();
            byte[] bytes = Files.readAllBytes(json);
            bytes[bytes.length / 3] ^= 0x20;
            Files.write(json, bytes);
            assertThat(gpg.verifyDetached(asc, json).succeeded()).isFalse();
        }
    }
}
