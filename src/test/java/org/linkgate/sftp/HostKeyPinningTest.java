package org.linkgate.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.linkgate.sftp.SftpTestSupport.COUNCIL_A;
import static org.linkgate.sftp.SftpTestSupport.connect;
import static org.linkgate.sftp.SftpTestSupport.jsch;
import static org.linkgate.sftp.SftpTestSupport.openSftp;
import static org.linkgate.sftp.SftpTestSupport.rsaKeyPair;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host key is generated once, persisted safely, reused after a restart and can be pinned by clients. */
class HostKeyPinningTest {

    @TempDir
    Path dir;

    private final KeyPair clientKey = rsaKeyPair();
    private SftpTestSupport.InMemoryAccounts accounts;
    private Path hostKeyFile;

    @BeforeEach
    void accounts() {
        hostKeyFile = dir.resolve("keys").resolve("sftp_host_rsa_key");
        accounts = SftpTestSupport.accounts()
                .add(new SftpAccount(COUNCIL_A, dir.resolve(COUNCIL_A), List.of(clientKey.getPublic())));
    }

    @Test
    void hostKeyIsWrittenOnceAsOwnerOnlyOpenSshRsa3072() throws Exception {
        EmbeddedSftpServer server = new EmbeddedSftpServer(SftpTestSupport.settings(hostKeyFile), accounts);
        String fingerprint = server.hostKeyFingerprint();

        assertThat(fingerprint).startsWith("SHA256:");
        assertThat(Files.readString(hostKeyFile, StandardCharsets.US_ASCII))
                .startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(hostKeyFile))).isEqualTo("rw-------");
        assertThat(((RSAPublicKey) server.hostPublicKey()).getModulus().bitLength()).isEqualTo(3072);
        try (var files = Files.list(hostKeyFile.getParent())) {
            assertThat(files).as("no temporary key file left behind").containsExactly(hostKeyFile);
        }
    }

    @Test
    void sameHostKeyAfterRestart() throws Exception {
        EmbeddedSftpServer first = new EmbeddedSftpServer(SftpTestSupport.settings(hostKeyFile), accounts);
        first.start();
        String fingerprint = first.hostKeyFingerprint();
        String keyLine = PublicKeyEntry.toString(first.hostPublicKey());
        byte[] keyFile = Files.readAllBytes(hostKeyFile);
        first.stop();
        first.start();
        assertThat(first.hostKeyFingerprint()).isEqualTo(fingerprint);
        first.stop();

        EmbeddedSftpServer second = new EmbeddedSftpServer(SftpTestSupport.settings(hostKeyFile), accounts);
        second.start();
        try {
            assertThat(second.hostKeyFingerprint()).isEqualTo(fingerprint);
            assertThat(PublicKeyEntry.toString(second.hostPublicKey())).isEqualTo(keyLine);
            assertThat(Files.readAllBytes(hostKeyFile)).isEqualTo(keyFile);
            // A client that pinned the key before the restart still connects.
            Session session = connect(jsch(clientKey, second.knownHostsLine("127.0.0.1")), COUNCIL_A, second.port());
            session.disconnect();
        } finally {
            second.stop();
        }
    }

    @Test
    void clientPinningTheHostKeyConnectsAndOneWithAnotherKeyIsRefused() throws Exception {
        EmbeddedSftpServer server = new EmbeddedSftpServer(SftpTestSupport.settings(hostKeyFile), accounts);
        server.start();
        try {
            String knownHosts = server.knownHostsLine("127.0.0.1");
            assertThat(knownHosts).startsWith("[127.0.0.1]:" + server.port() + " ssh-rsa ");
            Session session = connect(jsch(clientKey, knownHosts), COUNCIL_A, server.port());
            assertThat(openSftp(session).pwd()).isEqualTo("/");
            session.disconnect();

            String impostor = "[127.0.0.1]:" + server.port() + " " + PublicKeyEntry.toString(rsaKeyPair().getPublic());
            assertThatThrownBy(() -> connect(jsch(clientKey, impostor), COUNCIL_A, server.port()))
                    .isInstanceOf(JSchException.class)
                    .hasMessageContaining("HostKey has been changed");
            assertThatThrownBy(() -> connect(jsch(clientKey, ""), COUNCIL_A, server.port()))
                    .isInstanceOf(JSchException.class)
                    .hasMessageContaining("reject HostKey");
        } finally {
            server.stop();
        }
    }

    @Test
    void fingerprintMatchesOpenSsh() throws Exception {
        Path sshKeygen = Path.of("/usr/bin/ssh-keygen");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(sshKeygen),
                "ssh-keygen is not installed; skipping the OpenSSH cross-check of the host key file");
        EmbeddedSftpServer server = new EmbeddedSftpServer(SftpTestSupport.settings(hostKeyFile), accounts);
        String fingerprint = server.hostKeyFingerprint();

        Process process = new ProcessBuilder(sshKeygen.toString(), "-l", "-f", hostKeyFile.toString())
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).startsWith("3072 " + fingerprint + " ").contains("(RSA)");
    }

    @Test
    void portInUseFailsStartCleanly() throws Exception {
        EmbeddedSftpServer first = new EmbeddedSftpServer(SftpTestSupport.settings(hostKeyFile), accounts);
        first.start();
        try {
            SftpServerSettings samePort = new SftpServerSettings("127.0.0.1", first.port(), hostKeyFile, 4, 16,
                    java.time.Duration.ofMinutes(5), 6);
            EmbeddedSftpServer second = new EmbeddedSftpServer(samePort, accounts);
            assertThatThrownBy(second::start).isInstanceOf(IOException.class);
            assertThat(second.isRunning()).isFalse();
            assertThatThrownBy(second::port).isInstanceOf(IllegalStateException.class);
        } finally {
            first.stop();
        }
    }

    @Test
    void hostKeyReadableByOthersIsRefused() throws Exception {
        new EmbeddedSftpServer(SftpTestSupport.settings(hostKeyFile), accounts).hostKeyFingerprint();
        Files.setPosixFilePermissions(hostKeyFile, PosixFilePermissions.fromString("rw-r--r--"));

        EmbeddedSftpServer server = new EmbeddedSftpServer(SftpTestSupport.settings(hostKeyFile), accounts);
        assertThatThrownBy(server::start)
                .isInstanceOf(IOException.class)
                .hasMessageContaining("accessible by group or others");
        assertThat(server.isRunning()).isFalse();
    }
}
