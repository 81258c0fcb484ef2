package org.linkgate.sftp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;

/** Shared fixtures: run-time keys, an in-memory account directory, JSch clients and a recording listener. */
final class SftpTestSupport {

    static final String COUNCIL_A = "e10000012";
    static final String COUNCIL_B = "e09000001";
    static final int TIMEOUT_MILLIS = 15_000;

    private SftpTestSupport() {
    }

    /** Waits until the condition holds, failing after the timeout. */
    static void eventually(String description, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMillis(TIMEOUT_MILLIS).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for: " + description);
            }
            Thread.sleep(50);
        }
    }

    static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] openSshPrivateKey(KeyPair keyPair) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(keyPair, "test", null, out);
            return out.toByteArray();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the private key in OpenSSH format, mode 0600 so that OpenSSH accepts it. */
    static Path writePrivateKeyFile(KeyPair keyPair, Path file) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(openSshPrivateKey(keyPair));
        }
        return file;
    }

    static SftpServerSettings settings(Path hostKeyFile) {
        return new SftpServerSettings("127.0.0.1", 0, hostKeyFile, 4, 16, Duration.ofMinutes(5), 6);
    }

    /** A JSch client that pins the given known_hosts content and offers one key. */
    static JSch jsch(KeyPair clientKey, String knownHosts) throws JSchException {
        JSch jsch = new JSch();
        if (clientKey != null) {
            jsch.addIdentity("test-key", openSshPrivateKey(clientKey), null, null);
        }
        jsch.setKnownHosts(new ByteArrayInputStream(knownHosts.getBytes(StandardCharsets.UTF_8)));
        return jsch;
    }

    static Session connect(JSch jsch, String username, int port) throws JSchException {
        Session session = jsch.getSession(username, "127.0.0.1", port);
        session.setConfig("StrictHostKeyChecking", "yes");
        session.setConfig("PreferredAuthentications", "publickey");
        session.connect(TIMEOUT_MILLIS);
        return session;
    }

    static ChannelSftp openSftp(Session session) throws JSchException {
        ChannelSftp sftp = (ChannelSftp) session.openChannel("sftp");
        sftp.connect(TIMEOUT_MILLIS);
        return sftp;
    }

    static InMemoryAccounts accounts() {
        return new InMemoryAccounts();
    }

    /** An account directory that tests can change while the server runs. */
    static final class InMemoryAccounts implements SftpAccountDirectory {
        private final Map<String, SftpAccount> accounts = new ConcurrentHashMap<>();

        InMemoryAccounts add(SftpAccount account) {
            accounts.put(account.username(), account);
            return this;
        }

        @Override
        public Optional<SftpAccount> find(String username) {
            return Optional.ofNullable(accounts.get(username));
        }
    }

    /** Records listener calls as readable strings. */
    static final class RecordingListener implements SftpAccessListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void loginSucceeded(String username, SocketAddress remoteAddress) {
            events.add("login " + username);
        }

        @Override
        public void loginFailed(String username, SocketAddress remoteAddress, String reason) {
            events.add("failed " + username + ": " + reason);
        }

        @Override
        public void fileUploaded(String username, String relativePath) {
            events.add("uploaded " + username + " " + relativePath);
        }

        @Override
        public void fileRenamed(String username, String fromRelativePath, String toRelativePath) {
            events.add("renamed " + username + " " + fromRelativePath + " -> " + toRelativePath);
        }

        @Override
        public void fileRemoved(String username, String relativePath) {
            events.add("removed " + username + " " + relativePath);
        }
    }
}
