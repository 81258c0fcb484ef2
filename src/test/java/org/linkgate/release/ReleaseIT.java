package org.linkgate.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.crypto.GpgCli;
import org.linkgate.crypto.PgpKeys;
import org.linkgate.demo.DemoBootstrap;
import org.linkgate.demo.DemoPartnerFiles;
import org.linkgate.demo.PartnerSftpClient;
import org.linkgate.demo.SyntheticBatchGenerator;
import org.linkgate.intake.GatewayTestHome;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.GatewaySecrets;
import org.linkgate.support.CouncilSide;
import org.linkgate.support.GatewayHttp;
import org.linkgate.transfer.SftpServerLifecycle;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A release through the real gateway with the demo home (demo DCLG included): a council batch in over
 * SFTP; an analyst asks over HTTP for a release for the agreement's purpose (roles and CSRF as
 * configured); an admin approves; DCLG logs in to its embedded account {@code dclg}, downloads
 * {@code DCLG_<RELEASE_ID>.zip.pgp} from {@code upload/} and opens it with gpg; subject access and a
 * longitudinal-study extension over HTTP too.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReleaseIT {

    static final Path HOME = GatewayTestHome.create();
    static final Duration WAIT = Duration.ofSeconds(60);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestHome.register(registry, HOME);
    }

    @Autowired
    SftpServerLifecycle sftp;
    @Autowired
    GatewayHome home;
    @Autowired
    AgreementPolicy policy;
    @LocalServerPort
    int httpPort;

    @Test
    void anAnalystAsksAnAdminApprovesAndDclgCollectsAndOpensTheRelease() throws Exception {
        assumeTrue(GpgCli.isAvailable(), "needs gpg");
        CouncilSide council = new CouncilSide(DemoBootstrap.DEMO_COUNCIL, home, sftp.port());
        StringWriter csv = new StringWriter();
        new SyntheticBatchGenerator(13, LocalDate.of(2015, 6, 30)).write(csv, 600);
        String name = "E10000012_2015-06_01.csv.gpg";
        council.upload(name, council.encryptAndSign(csv.toString().getBytes(StandardCharsets.UTF_8)));
        assertThat(council.awaitReport(name, WAIT).get("status").asText()).isIn("ACCEPTED", "PARTIAL");

        GatewayHttp http = new GatewayHttp(httpPort, home.demoDir().resolve("http-users.txt"));
        String purpose = policy.agreement().purpose();
        String body = "{\"purpose\": " + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(purpose) + "}";
        assertThat(http.post("/api/releases", "operator", body).statusCode()).isEqualTo(403);
        assertThat(http.post("/api/releases", "admin", body).statusCode()).isEqualTo(403);
        assertThat(http.postWithoutCsrf("/api/releases", "analyst", body).statusCode()).isEqualTo(403);
        HttpResponse<String> bad = http.post("/api/releases", "analyst", "{\"purpose\": \"Marketing\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("purpose must be one of the agreement's");

        HttpResponse<String> requested = http.post("/api/releases", "analyst", body);
        JsonNode release = GatewayHttp.json(requested);
        assertThat(requested.statusCode()).as(requested.body()).isEqualTo(201);
        assertThat(release.get("status").asText()).isEqualTo("AWAITING_APPROVAL");
        assertThat(release.get("kAnonymity").get("k").asInt()).isEqualTo(5);
        String id = release.get("id").asText();

        assertThat(http.post("/api/releases/" + id + "/approve", "analyst", "{}").statusCode()).isEqualTo(403);
        HttpResponse<String> approved = http.post("/api/releases/" + id + "/approve", "admin", "{}");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        assertThat(GatewayHttp.json(approved).get("status").asText()).isEqualTo("SENT");
        assertThat(GatewayHttp.json(http.get("/api/releases", "analyst")).get(0).get("id").asText()).isEqualTo(id);
        assertThat(http.get("/api/releases/" + id, "operator").statusCode()).isEqualTo(403);

        // DCLG collects from its own embedded account and opens the release with gpg.
        String file = "DCLG_" + id + ".zip.pgp";
        Path downloaded = Files.createTempDirectory("lg-dclg").resolve(file);
        try (PartnerSftpClient dclg = new PartnerSftpClient("localhost", sftp.port(), "dclg",
                home.demoDir().resolve("DCLG").resolve(DemoPartnerFiles.SSH_PRIVATE_KEY),
                home.gatewayKeyDir().resolve(GatewaySecrets.SSH_KNOWN_HOSTS))) {
            assertThat(dclg.list("upload")).contains(file);
            Files.write(downloaded, dclg.download("upload/" + file));
        }
        Path gatewayPublic = home.gatewayKeyDir().resolve(GatewaySecrets.GATEWAY_PUBLIC_KEY);
        String fingerprint = PgpKeys.fingerprint(PgpKeys.readPublicKeyRing(gatewayPublic).getPublicKey());
        try (DclgSide side = DclgSide.open(home, gatewayPublic, downloaded.getParent())) {
            DclgSide.Opened opened = side.receive(downloaded, fingerprint);
            assertThat(opened.manifest().get("releaseId").asText()).isEqualTo(id);
            assertThat(opened.csv("persons.csv").size() - 1).isEqualTo(release.get("rowsReleased").asInt());
            assertThat(ReleaseAttacker.smallestClass(opened.csv("persons.csv"))).isGreaterThanOrEqualTo(5);
        }

        // Subject access: admins only; a person not held is not found.
        String person = "{\"forename\": \"Nobody\", \"surname\": \"Heldhere\", \"dateOfBirth\": \"1990-01-01\"}";
        assertThat(http.post("/api/subject-access", "analyst", person).statusCode()).isEqualTo(403);
        HttpResponse<String> access = http.post("/api/subject-access", "admin", person);
        assertThat(access.statusCode()).as(access.body()).isEqualTo(200);
        assertThat(GatewayHttp.json(access).get("found").asBoolean()).isFalse();

        // Longitudinal study: an admin records the extension; auditors see it in /api/retention/due.
        String until = policy.agreement().retention().linkedData().plusYears(2).toString();
        String extension = "{\"department\": \"DWP\", \"until\": \"" + until + "\", \"reference\": \"DSA-TF-LS-1\"}";
        assertThat(http.post("/api/retention/extensions", "analyst", extension).statusCode()).isEqualTo(403);
        assertThat(http.post("/api/retention/extensions", "admin", extension).statusCode()).isEqualTo(201);
        JsonNode due = GatewayHttp.json(http.get("/api/retention/due", "auditor"));
        assertThat(due.get("extensions").get(0).get("department").asText()).isEqualTo("DWP");
        assertThat(due.get("extensions").get(0).get("until").asText()).isEqualTo(until);
    }
}
