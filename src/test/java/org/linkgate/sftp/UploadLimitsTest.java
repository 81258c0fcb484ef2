package org.linkgate.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.linkgate.sftp.SftpTestSupport.COUNCIL_A;
import static org.linkgate.sftp.SftpTestSupport.connect;
import static org.linkgate.sftp.SftpTestSupport.jsch;
import static org.linkgate.sftp.SftpTestSupport.openSftp;
import static org.linkgate.sftp.SftpTestSupport.rsaKeyPair;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A partner attacking the drop-zone with real SFTP clients (JSch, MINA's own client, OpenSSH
 * {@code sftp}): filling the disk with one huge upload, with many files, or with a sparse write far
 * beyond the end; and forging log lines with control characters in the names it chooses.
 */
class UploadLimitsTest {

    static final long MAX_UPLOAD = 1024 * 1024;
    static final long QUOTA = 1536 * 1024;

    @TempDir
    Path dir;

    final KeyPair key = rsaKeyPair();
    final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    final List<String> refused = new CopyOnWriteArrayList<>();
    EmbeddedSftpServer server;
    Path home;
    Session session;

    @BeforeEach
    void start() throws IOException {
        home = dir.resolve(COUNCIL_A);
        SftpTestSupport.InMemoryAccounts accounts = SftpTestSupport.accounts()
                .add(new SftpAccount(COUNCIL_A, home, List.of(key.getPublic())));
        SftpServerSettings settings = new SftpServerSettings("127.0.0.1", 0, dir.resolve("host_key"), 4, 16,
                Duration.ofMinutes(5), 6, MAX_UPLOAD, QUOTA);
        server = new EmbeddedSftpServer(settings, accounts, new SftpAccessListener() {
            @Override
            public void uploadRefused(String username, String relativePath, String reason) {
                refused.add(username + " " + relativePath + ": " + reason);
            }
        });
        server.start();
        logs.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        logs.start();
        ((Logger) LoggerFactory.getLogger("org.linkgate.sftp")).addAppender(logs);
    }

    @AfterEach
    void stop() throws IOException {
        ((Logger) LoggerFactory.getLogger("org.linkgate.sftp")).detachAppender(logs);
        if (session != null) {
            session.disconnect();
        }
        server.stop();
    }

    ChannelSftp sftp() throws Exception {
        session = connect(jsch(key, server.knownHostsLine("127.0.0.1")), COUNCIL_A, server.port());
        return openSftp(session);
    }

    @Test
    void anUploadLargerThanAllowedIsRefusedRemovedAndReported() throws Exception {
        ChannelSftp sftp = sftp();
        assertThatThrownBy(() -> sftp.put(new ByteArrayInputStream(new byte[(int) MAX_UPLOAD + 1]), "inbound/big.csv.gpg"))
                .isInstanceOf(SftpException.class);
        SftpTestSupport.eventually("partial upload removed", () -> Files.notExists(home.resolve("inbound/big.csv.gpg")));
        assertThat(refused).containsExactly(COUNCIL_A + " inbound/big.csv.gpg: file larger than the largest upload allowed ("
                + MAX_UPLOAD + " bytes)");
        // Exactly the limit is fine, and owner-only on disk (a new session: JSch's channel is spent).
        session.disconnect();
        sftp().put(new ByteArrayInputStream(new byte[(int) MAX_UPLOAD]), "inbound/fits.csv.gpg");
        assertThat(Files.size(home.resolve("inbound/fits.csv.gpg"))).isEqualTo(MAX_UPLOAD);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("inbound/fits.csv.gpg"))))
                .isEqualTo("rw-------");
    }

    @Test
    void theAccountQuotaHoldsAcrossFilesAndFreesWhenTheGatewayTakesThem() throws Exception {
        ChannelSftp sftp = sftp();
        sftp.put(new ByteArrayInputStream(new byte[900 * 1024]), "inbound/one.csv.gpg");
        assertThatThrownBy(() -> sftp.put(new ByteArrayInputStream(new byte[900 * 1024]), "inbound/two.csv.gpg"))
                .isInstanceOf(SftpException.class);
        SftpTestSupport.eventually("partial upload removed", () -> Files.notExists(home.resolve("inbound/two.csv.gpg")));
        assertThat(refused).singleElement().asString().endsWith("account quota of " + QUOTA + " bytes exceeded");
        // The gateway takes the first file away: room again (a new session: JSch's channel is spent after
        // a refused pipelined write).
        Files.delete(home.resolve("inbound/one.csv.gpg"));
        session.disconnect();
        sftp().put(new ByteArrayInputStream(new byte[900 * 1024]), "inbound/two.csv.gpg");
        assertThat(Files.size(home.resolve("inbound/two.csv.gpg"))).isEqualTo(900 * 1024);
    }

    @Test
    void aSparseWriteFarBeyondTheEndIsRefused() throws Exception {
        try (SshClient client = SshClient.setUpDefaultClient()) {
            client.setServerKeyVerifier((clientSession, remote, serverKey) ->
                    serverKey.equals(server.hostPublicKey()));
            client.setKeyIdentityProvider(KeyIdentityProvider.wrapKeyPairs(key));
            client.start();
            try (ClientSession clientSession = client.connect(COUNCIL_A, "127.0.0.1", server.port())
                    .verify(Duration.ofSeconds(15)).getSession()) {
                clientSession.auth().verify(Duration.ofSeconds(15));
                try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(clientSession)) {
                    SftpClient.CloseableHandle handle = sftp.open("inbound/sparse.csv.gpg",
                            EnumSet.of(SftpClient.OpenMode.Write, SftpClient.OpenMode.Create));
                    assertThatThrownBy(() -> sftp.write(handle, 10L * 1024 * 1024 * 1024, new byte[] {1}))
                            .isInstanceOf(IOException.class);
                    handle.close();
                }
            }
        }
        SftpTestSupport.eventually("sparse file removed", () -> Files.notExists(home.resolve("inbound/sparse.csv.gpg")));
        assertThat(refused).singleElement().asString().contains("largest upload allowed");
    }

    @Test
    void theStockOpenSshClientIsRefusedTooAndTheFileRemoved() throws Exception {
        Path sftpCli = Path.of("/usr/bin/sftp");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(sftpCli), "OpenSSH sftp not installed");
        Path keyFile = SftpTestSupport.writePrivateKeyFile(key, dir.resolve("id_council"));
        Path knownHosts = Files.writeString(dir.resolve("known_hosts"), server.knownHostsLine("127.0.0.1") + "\n");
        Path big = Files.write(dir.resolve("big.csv.gpg"), new byte[(int) MAX_UPLOAD * 2]);
        ProcessBuilder builder = new ProcessBuilder(sftpCli.toString(), "-b", "-", "-F", "/dev/null",
                "-i", keyFile.toString(), "-P", Integer.toString(server.port()),
                "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts,
                "-o", "GlobalKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
                "-o", "PasswordAuthentication=no", "-o", "ConnectTimeout=15", COUNCIL_A + "@127.0.0.1")
                .redirectErrorStream(true);
        builder.environment().remove("SSH_AUTH_SOCK");
        Process process = builder.start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = process.getInputStream()) {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                in.transferTo(all);
                return all.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(("put " + big + " inbound/big.csv.gpg\n").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output.join()).isNotZero();
        SftpTestSupport.eventually("partial upload removed", () -> Files.notExists(home.resolve("inbound/big.csv.gpg")));
        assertThat(refused).isNotEmpty();
    }

    @Test
    void namesWithControlCharactersCannotForgeLogLines() throws Exception {
        ChannelSftp sftp = sftp();
        String forged = "x\n2026-01-01 INFO [intake-e10000012] file accepted\r\u202e";
        assertThatThrownBy(() -> sftp.mkdir("inbound/" + forged)).isInstanceOf(SftpException.class);
        sftp.put(new ByteArrayInputStream(new byte[] {1}), "inbound/" + forged + ".part");
        sftp.rename("inbound/" + forged + ".part", "inbound/" + forged + ".gpg");
        assertThatThrownBy(() -> sftp.put(new ByteArrayInputStream(new byte[(int) MAX_UPLOAD + 1]), "inbound/" + forged))
                .isInstanceOf(SftpException.class);
        SftpTestSupport.eventually("uploads logged", () -> logs.list.stream()
                .anyMatch(e -> e.getFormattedMessage().startsWith("Refused SFTP upload")));

        List<String> lines = logs.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("file accepted")).toList();
        assertThat(lines).hasSizeGreaterThanOrEqualTo(4); // refused mkdir, upload closed, rename, refused upload
        for (String line : lines) {
            assertThat(line).doesNotContain("\n").doesNotContain("\r").doesNotContain("\u202e")
                    .contains("x\\n2026-01-01 INFO").contains("\\r\\u202e");
        }
    }
}
