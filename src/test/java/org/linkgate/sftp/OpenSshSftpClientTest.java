package org.linkgate.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.linkgate.sftp.SftpTestSupport.COUNCIL_A;
import static org.linkgate.sftp.SftpTestSupport.COUNCIL_B;
import static org.linkgate.sftp.SftpTestSupport.rsaKeyPair;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drop-zone against the stock OpenSSH {@code sftp} client in batch mode, strict host key checking on. In batch
 * mode a failing command ends the session with a non-zero exit code, so each refusal gets its own batch.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenSshSftpClientTest {

    private static final Path SFTP = Path.of("/usr/bin/sftp");
    private static final byte[] CONTENT = "-----BEGIN PGP MESSAGE-----\nbatch\n".getBytes(StandardCharsets.UTF_8);

    private Path dir;
    private Path homeA;
    private Path homeB;
    private Path keyFile;
    private Path knownHosts;
    private Path upload;
    private EmbeddedSftpServer server;

    @BeforeAll
    void start(@TempDir Path tempDir) throws IOException {
        assumeThat(Files.isExecutable(SFTP))
                .as("OpenSSH sftp client not installed at %s; skipping the OpenSSH interoperability tests", SFTP)
                .isTrue();
        dir = tempDir;
        KeyPair keyA = rsaKeyPair();
        homeA = dir.resolve("homes").resolve(COUNCIL_A);
        homeB = dir.resolve("homes").resolve(COUNCIL_B);
        SftpTestSupport.InMemoryAccounts accounts = SftpTestSupport.accounts()
                .add(new SftpAccount(COUNCIL_A, homeA, List.of(keyA.getPublic())))
                .add(new SftpAccount(COUNCIL_B, homeB, List.of(rsaKeyPair().getPublic())));
        Files.createDirectories(homeB.resolve("outbound"));
        Files.write(homeB.resolve("outbound").resolve("secret.report.json.pgp"), CONTENT);
        server = new EmbeddedSftpServer(SftpTestSupport.settings(dir.resolve("host_key")), accounts);
        server.start();

        keyFile = SftpTestSupport.writePrivateKeyFile(keyA, dir.resolve("id_council"));
        knownHosts = Files.writeString(dir.resolve("known_hosts"), server.knownHostsLine("127.0.0.1") + "\n");
        upload = Files.write(dir.resolve("batch.csv.gpg"), CONTENT);
    }

    @AfterAll
    void stop() throws IOException {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void uploadRenameAndDownload() throws Exception {
        Files.createDirectories(homeA.resolve("outbound"));
        Files.write(homeA.resolve("outbound").resolve("r.report.json.pgp"), CONTENT);
        Path downloaded = dir.resolve("downloaded.pgp");
        Result result = sftp(knownHosts, """
                cd inbound
                put %s E10000012_2015-06_01.csv.gpg.part
                rename E10000012_2015-06_01.csv.gpg.part E10000012_2015-06_01.csv.gpg
                ls -1
                cd ../outbound
                get r.report.json.pgp %s
                rm r.report.json.pgp
                """.formatted(upload, downloaded));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(homeA.resolve("inbound/E10000012_2015-06_01.csv.gpg")).hasBinaryContent(CONTENT);
        assertThat(homeA.resolve("inbound/E10000012_2015-06_01.csv.gpg.part")).doesNotExist();
        assertThat(downloaded).hasBinaryContent(CONTENT);
        assertThat(homeA.resolve("outbound/r.report.json.pgp")).doesNotExist();
    }

    @Test
    void staysInsideItsHome() throws Exception {
        Result result = sftp(knownHosts, """
                cd ..
                pwd
                cd /../..
                pwd
                ls -1 /
                """);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("Remote working directory: /\n")
                .doesNotContain("Remote working directory: /..").doesNotContain(COUNCIL_B);

        assertRefused("ls ../" + COUNCIL_B);
        assertRefused("ls /../" + COUNCIL_B + "/inbound");
        assertRefused("get /../" + COUNCIL_B + "/outbound/secret.report.json.pgp " + dir.resolve("stolen"));
        assertRefused("get /etc/passwd " + dir.resolve("passwd"));
        assertThat(dir.resolve("stolen")).doesNotExist();
        assertThat(dir.resolve("passwd")).doesNotExist();
    }

    @Test
    void refusesEverythingOutsideThePolicy() throws Exception {
        assertRefused("mkdir inbound/sub");
        assertRefused("mkdir extra");
        assertRefused("put " + upload + " outbound/forged.report.json.pgp");
        assertRefused("put " + upload + " /root-level.gpg");
        assertThat(homeA.resolve("inbound/sub")).doesNotExist();
        assertThat(homeA.resolve("outbound/forged.report.json.pgp")).doesNotExist();
        assertThat(homeA.resolve("root-level.gpg")).doesNotExist();

        Result put = sftp(knownHosts, "put " + upload + " inbound/linked.gpg\n");
        assertThat(put.exitCode()).as(put.output()).isZero();
        assertRefused("ln -s inbound/linked.gpg inbound/symlink.gpg");
        assertRefused("ln inbound/linked.gpg inbound/hardlink.gpg");
        assertRefused("chmod 000 inbound/linked.gpg");
        assertThat(homeA.resolve("inbound/symlink.gpg")).doesNotExist();
        assertThat(homeA.resolve("inbound/hardlink.gpg")).doesNotExist();
    }

    @Test
    void differentPinnedHostKeyIsRefused() throws Exception {
        Path wrong = Files.writeString(dir.resolve("known_hosts_wrong"), "[127.0.0.1]:" + server.port() + " "
                + PublicKeyEntry.toString(rsaKeyPair().getPublic()) + "\n");
        Result result = sftp(wrong, "ls\n");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("Host key verification failed");
    }

    private void assertRefused(String command) throws Exception {
        Result result = sftp(knownHosts, command + "\n");
        assertThat(result.exitCode()).as("%s should be refused: %s", command, result.output()).isNotZero();
    }

    private Result sftp(Path knownHostsFile, String batch) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(SFTP.toString(), "-b", "-",
                "-F", "/dev/null",
                "-i", keyFile.toString(),
                "-P", Integer.toString(server.port()),
                "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + knownHostsFile,
                "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "UpdateHostKeys=no",
                "-o", "IdentitiesOnly=yes",
                "-o", "IdentityAgent=none",
                "-o", "PasswordAuthentication=no",
                "-o", "KbdInteractiveAuthentication=no",
                "-o", "ConnectTimeout=15",
                COUNCIL_A + "@127.0.0.1")
                .redirectErrorStream(true);
        builder.environment().remove("SSH_AUTH_SOCK");
        Process process = builder.start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(batch.getBytes(StandardCharsets.UTF_8));
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("sftp did not finish within 60 s");
        }
        return new Result(process.exitValue(), output.join());
    }

    private static String readAll(InputStream in) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Result(int exitCode, String output) {
    }
}
