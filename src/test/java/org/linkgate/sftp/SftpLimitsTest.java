package org.linkgate.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.linkgate.sftp.SftpTestSupport.COUNCIL_A;
import static org.linkgate.sftp.SftpTestSupport.connect;
import static org.linkgate.sftp.SftpTestSupport.eventually;
import static org.linkgate.sftp.SftpTestSupport.jsch;
import static org.linkgate.sftp.SftpTestSupport.openSftp;
import static org.linkgate.sftp.SftpTestSupport.rsaKeyPair;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions per user, open handles per session, idle timeout and authentication attempts are bounded. */
class SftpLimitsTest {

    private static final int MAX_SESSIONS = 2;
    private static final int MAX_HANDLES = 3;

    @TempDir
    Path dir;

    private final KeyPair key = rsaKeyPair();
    private final List<Session> sessions = new ArrayList<>();
    private EmbeddedSftpServer server;
    private Path home;

    @BeforeEach
    void start() throws IOException {
        home = dir.resolve(COUNCIL_A);
        SftpTestSupport.InMemoryAccounts accounts = SftpTestSupport.accounts()
                .add(new SftpAccount(COUNCIL_A, home, List.of(key.getPublic())));
        SftpServerSettings settings = new SftpServerSettings("127.0.0.1", 0, dir.resolve("host_key"),
                MAX_SESSIONS, MAX_HANDLES, Duration.ofSeconds(2), 2);
        server = new EmbeddedSftpServer(settings, accounts);
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        sessions.forEach(Session::disconnect);
        server.stop();
    }

    private Session login(KeyPair clientKey) throws JSchException {
        Session session = connect(jsch(clientKey, server.knownHostsLine("127.0.0.1")), COUNCIL_A, server.port());
        sessions.add(session);
        return session;
    }

    @Test
    void sessionsPerUserAreLimited() throws Exception {
        for (int i = 0; i < MAX_SESSIONS; i++) {
            login(key);
        }
        assertThatThrownBy(() -> login(key)).isInstanceOf(JSchException.class);

        sessions.remove(0).disconnect();
        eventually("a session slot is free again", () -> {
            try {
                login(key);
                return true;
            } catch (JSchException e) {
                return false;
            }
        });
    }

    @Test
    void openHandlesPerSessionAreLimited() throws Exception {
        Files.createDirectories(home.resolve("outbound"));
        Files.write(home.resolve("outbound").resolve("r.pgp"), new byte[] {1, 2, 3});
        ChannelSftp sftp = openSftp(login(key));
        List<InputStream> open = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_HANDLES; i++) {
                open.add(sftp.get("outbound/r.pgp"));
            }
            assertThatThrownBy(() -> open.add(sftp.get("outbound/r.pgp"))).isInstanceOf(SftpException.class);
        } finally {
            for (InputStream in : open) {
                in.close();
            }
        }
        try (InputStream again = sftp.get("outbound/r.pgp")) {
            assertThat(again.readAllBytes()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void idleSessionIsClosed() throws Exception {
        Session session = login(key);
        openSftp(session);
        eventually("idle session closed by the server", () -> !session.isConnected());
    }

    @Test
    void authenticationAttemptsAreLimited() throws Exception {
        // Three unregistered keys first: the registered fourth one is never reached with a limit of two attempts.
        JSch client = jsch(rsaKeyPair(), server.knownHostsLine("127.0.0.1"));
        client.addIdentity("second", SftpTestSupport.openSshPrivateKey(rsaKeyPair()), null, null);
        client.addIdentity("third", SftpTestSupport.openSshPrivateKey(rsaKeyPair()), null, null);
        client.addIdentity("registered", SftpTestSupport.openSshPrivateKey(key), null, null);
        assertThatThrownBy(() -> connect(client, COUNCIL_A, server.port()))
                .isInstanceOf(JSchException.class)
                .hasMessageContaining("Too many authentication failures");
    }
}
