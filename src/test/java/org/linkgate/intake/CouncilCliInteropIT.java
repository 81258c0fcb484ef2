package org.linkgate.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.crypto.GpgCli;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.GatewaySecrets;
import org.linkgate.support.TestCsv;
import org.linkgate.transfer.SftpServerLifecycle;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A council with no software of ours: its key made by {@code gpg}, its SSH key by
 * {@code ssh-keygen}, its batch encrypted and signed by {@code gpg}, uploaded and collected by
 * OpenSSH {@code sftp} in batch mode, and its report opened by {@code gpg}. Skips, saying why,
 * where those tools are absent (.ci/run installs them).
 */
@SpringBootTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf(value = "toolsPresent", disabledReason = "needs gpg, sftp and ssh-keygen on PATH (apt-get install gnupg openssh-client)")
class CouncilCliInteropIT {

    static final String CODE = "E06000034";
    static final String ACCOUNT = "e06000034";
    static Path home;
    static GpgCli gpg;
    static String councilFingerprint;
    static Path sshKey;

    static boolean toolsPresent() {
        return GpgCli.isAvailable() && onPath("sftp") && onPath("ssh-keygen");
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        home = GatewayTestHome.create();
        gpg = GpgCli.inTempHome();
        // The council's own OpenPGP key, made by gpg and registered by exporting its public half.
        councilFingerprint = gpg.generateKey("Interop Council <interop@council.invalid>", "rsa3072", "sign,cert");
        gpg.addSubkey(councilFingerprint, "rsa3072", "encr");
        Path councilDir = Files.createDirectories(home.resolve("config/councils").resolve(CODE));
        Files.write(councilDir.resolve(PartnerRegistry.PGP_KEY_FILE), gpg.exportPublicKey(councilFingerprint));
        // Its SSH key, made by ssh-keygen.
        sshKey = Files.createTempDirectory("lg-ssh").resolve("id_ed25519");
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", ACCOUNT, "-f", sshKey.toString()));
        Files.copy(Path.of(sshKey + ".pub"), councilDir.resolve(PartnerRegistry.SSH_KEYS_FILE));
        // And the gateway's public key, imported into the council's gpg.
        gpg.importKey(home.resolve("config/gateway").resolve(GatewaySecrets.GATEWAY_PUBLIC_KEY), null);
        GatewayTestHome.refreshAgreement(home);
        GatewayTestHome.register(registry, home);
    }

    @AfterAll
    void closeGpg() throws IOException {
        gpg.close();
    }

    @Autowired
    SftpServerLifecycle sftp;
    @Autowired
    GatewayHome gatewayHome;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void gpgAndOpenSshCouncilRoundTrip() throws Exception {
        Path work = Files.createTempDirectory("lg-council");
        Path csv = Files.write(work.resolve("batch.csv"), new TestCsv().validRows(25).rowWith("postcode", "NOT A POSTCODE").bytes());
        Path encrypted = work.resolve("batch.csv.gpg");
        String gatewayFingerprint = gatewayFingerprint();
        gpg.encryptAndSign(csv, encrypted, gatewayFingerprint, councilFingerprint, new char[0], "--trust-model", "always");

        String name = CODE + "_2016-03_01.csv.gpg";
        sftpBatch(work, "put " + encrypted + " inbound/" + name + ".part", "rename inbound/" + name + ".part inbound/" + name);

        Path report = work.resolve(name + ".report.json.pgp");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!Files.exists(report)) {
            assertThat(Instant.now()).as("report arrives in outbound/").isBefore(deadline);
            Thread.sleep(500);
            sftpBatch(work, "-get outbound/" + name + ".report.json.pgp " + report);
        }
        Path opened = work.resolve("report.json");
        GpgCli.Result decrypted = gpg.decrypt(report, opened, null);
        assertThat(decrypted.succeeded()).as(decrypted.stderr()).isTrue();
        assertThat(decrypted.hasStatus("GOODSIG")).isTrue();
        assertThat(decrypted.hasStatus("DECRYPTION_OKAY")).isTrue();

        JsonNode json = new ObjectMapper().readTree(Files.readString(opened, StandardCharsets.UTF_8));
        assertThat(json.get("status").asText()).isEqualTo("PARTIAL");
        assertThat(json.get("counts").get("accepted").asLong()).isEqualTo(25);
        assertThat(json.get("problems").get(0).get("column").asText()).isEqualTo("postcode");
        assertThat(json.toString()).doesNotContain("NOT A POSTCODE");
        assertThat(jdbc.queryForObject("select signer_fingerprint from intake_file where file_name = ?", String.class, name))
                .isEqualToIgnoringCase(councilFingerprint);
    }

    private String gatewayFingerprint() throws IOException {
        GpgCli.Result keys = gpg.run(List.of("--with-colons", "--list-keys", "gateway@linkgate.invalid"));
        return keys.stdout().lines().filter(l -> l.startsWith("fpr:")).map(l -> l.split(":")[9]).findFirst().orElseThrow();
    }

    /** Runs OpenSSH sftp in batch mode as the council, pinning the gateway's host key. */
    private void sftpBatch(Path work, String... commands) throws Exception {
        Path batch = Files.write(work.resolve("sftp.batch"), String.join("\n", commands).concat("\n").getBytes(StandardCharsets.UTF_8));
        Path knownHosts = gatewayHome.gatewayKeyDir().resolve(GatewaySecrets.SSH_KNOWN_HOSTS);
        run(List.of("sftp", "-b", batch.toString(), "-i", sshKey.toString(), "-P", String.valueOf(sftp.port()),
                "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts, "-o", "IdentitiesOnly=yes",
                "-o", "BatchMode=yes", "-o", "PasswordAuthentication=no", ACCOUNT + "@localhost"));
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
