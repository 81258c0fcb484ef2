package org.linkgate.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.linkgate.sftp.SftpTestSupport.COUNCIL_A;
import static org.linkgate.sftp.SftpTestSupport.COUNCIL_B;
import static org.linkgate.sftp.SftpTestSupport.connect;
import static org.linkgate.sftp.SftpTestSupport.eventually;
import static org.linkgate.sftp.SftpTestSupport.jsch;
import static org.linkgate.sftp.SftpTestSupport.openSftp;
import static org.linkgate.sftp.SftpTestSupport.rsaKeyPair;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Vector;

import com.jcraft.jsch.Channel;
import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.ChannelSftp.LsEntry;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The drop-zone server against a real JSch client: authentication, confinement and the drop-zone policy. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedSftpServerTest {

    private static final byte[] CONTENT = "-----BEGIN PGP MESSAGE-----\nnot really\n".getBytes(StandardCharsets.UTF_8);

    private Path dir;

    private final KeyPair keyA = rsaKeyPair();
    private final KeyPair keyB = rsaKeyPair();
    private final SftpTestSupport.RecordingListener listener = new SftpTestSupport.RecordingListener();
    private SftpTestSupport.InMemoryAccounts accounts;
    private EmbeddedSftpServer server;
    private Path homeA;
    private Path homeB;
    private String knownHosts;

    @BeforeAll
    void startServer(@TempDir Path tempDir) throws IOException {
        dir = tempDir;
        homeA = dir.resolve("homes").resolve(COUNCIL_A);
        homeB = dir.resolve("homes").resolve(COUNCIL_B);
        accounts = SftpTestSupport.accounts()
                .add(new SftpAccount(COUNCIL_A, homeA, List.of(keyA.getPublic())))
                .add(new SftpAccount(COUNCIL_B, homeB, List.of(keyB.getPublic())));
        server = new EmbeddedSftpServer(SftpTestSupport.settings(dir.resolve("host_key")), accounts, listener);
        server.start();
        knownHosts = server.knownHostsLine("127.0.0.1");
    }

    @AfterAll
    void stopServer() throws IOException {
        server.stop();
    }

    private Session loginAs(String username, KeyPair key) throws JSchException {
        return connect(jsch(key, knownHosts), username, server.port());
    }

    @Nested
    class Authentication {

        @Test
        void registeredKeyLogsInAndSeesItsDropZone() throws Exception {
            Session session = loginAs(COUNCIL_A, keyA);
            try {
                ChannelSftp sftp = openSftp(session);
                assertThat(sftp.pwd()).isEqualTo("/");
                assertThat(names(sftp.ls("/"))).containsExactlyInAnyOrder("inbound", "outbound");
                assertThat(homeA.resolve("inbound")).isDirectory();
                assertThat(homeA.resolve("outbound")).isDirectory();
            } finally {
                session.disconnect();
            }
            eventually("login audited", () -> listener.events.contains("login " + COUNCIL_A));
        }

        @Test
        void passwordIsRefused() throws Exception {
            JSch client = jsch(null, knownHosts);
            Session session = client.getSession(COUNCIL_A, "127.0.0.1", server.port());
            session.setConfig("StrictHostKeyChecking", "yes");
            session.setConfig("PreferredAuthentications", "password,keyboard-interactive");
            session.setPassword("correct horse battery staple");
            assertThatThrownBy(() -> session.connect(SftpTestSupport.TIMEOUT_MILLIS))
                    .isInstanceOf(JSchException.class)
                    .hasMessageContaining("Auth fail");
        }

        @Test
        void unregisteredKeyIsRefused() throws Exception {
            KeyPair stranger = rsaKeyPair();
            assertThatThrownBy(() -> loginAs(COUNCIL_A, stranger))
                    .isInstanceOf(JSchException.class)
                    .hasMessageContaining("Auth fail");
            eventually("failure audited", () -> listener.events.contains(
                    "failed " + COUNCIL_A + ": " + AccountPublickeyAuthenticator.KEY_NOT_AUTHORISED));
        }

        @Test
        void anotherAccountsKeyIsRefused() {
            assertThatThrownBy(() -> loginAs(COUNCIL_A, keyB))
                    .isInstanceOf(JSchException.class)
                    .hasMessageContaining("Auth fail");
        }

        @Test
        void sha1HostKeySignatureIsNotOffered() throws Exception {
            Session session = jsch(keyA, knownHosts).getSession(COUNCIL_A, "127.0.0.1", server.port());
            session.setConfig("StrictHostKeyChecking", "yes");
            session.setConfig("server_host_key", "ssh-rsa");
            assertThatThrownBy(() -> session.connect(SftpTestSupport.TIMEOUT_MILLIS))
                    .isInstanceOf(JSchException.class)
                    .hasMessageContaining("Algorithm negotiation fail");
        }

        @Test
        void unknownUserIsRefused() throws Exception {
            assertThatThrownBy(() -> loginAs("e99999999", keyA))
                    .isInstanceOf(JSchException.class)
                    .hasMessageContaining("Auth fail");
            eventually("failure audited", () -> listener.events.contains(
                    "failed e99999999: " + AccountPublickeyAuthenticator.UNKNOWN_ACCOUNT));
        }

        @Test
        void accountAddedWhileRunningCanLogIn() throws Exception {
            KeyPair keyC = rsaKeyPair();
            assertThatThrownBy(() -> loginAs("e06000001", keyC)).isInstanceOf(JSchException.class);
            accounts.add(new SftpAccount("e06000001", dir.resolve("homes").resolve("e06000001"),
                    List.of(keyC.getPublic())));
            Session session = loginAs("e06000001", keyC);
            try {
                assertThat(names(openSftp(session).ls("/"))).containsExactlyInAnyOrder("inbound", "outbound");
            } finally {
                session.disconnect();
            }
        }

        @Test
        void shellAndExecAreRefused() throws Exception {
            Session session = loginAs(COUNCIL_A, keyA);
            try {
                ChannelExec exec = (ChannelExec) session.openChannel("exec");
                exec.setCommand("id");
                assertThatThrownBy(() -> exec.connect(SftpTestSupport.TIMEOUT_MILLIS))
                        .isInstanceOf(JSchException.class);
                Channel shell = session.openChannel("shell");
                assertThatThrownBy(() -> shell.connect(SftpTestSupport.TIMEOUT_MILLIS))
                        .isInstanceOf(JSchException.class);
                assertThatThrownBy(() -> session.setPortForwardingR(0, "127.0.0.1", server.port()))
                        .isInstanceOf(JSchException.class);
                int local = session.setPortForwardingL(0, "127.0.0.1", server.port());
                try (Socket socket = new Socket("127.0.0.1", local)) {
                    socket.setSoTimeout(SftpTestSupport.TIMEOUT_MILLIS);
                    assertThat(socket.getInputStream().read()).as("forwarded connection is closed").isEqualTo(-1);
                }
            } finally {
                session.disconnect();
            }
        }
    }

    @Nested
    class Confinement {

        private Session session;
        private ChannelSftp sftp;

        @BeforeEach
        void login() throws Exception {
            Files.createDirectories(homeB.resolve("outbound"));
            Files.write(homeB.resolve("outbound").resolve("secret.report.json.pgp"), CONTENT);
            session = loginAs(COUNCIL_A, keyA);
            sftp = openSftp(session);
        }

        @AfterEach
        void logout() {
            session.disconnect();
        }

        @Test
        void parentOfHomeIsHome() throws Exception {
            sftp.cd("..");
            assertThat(sftp.pwd()).isEqualTo("/");
            sftp.cd("/../..");
            assertThat(sftp.pwd()).isEqualTo("/");
            assertThat(names(sftp.ls(".."))).containsExactlyInAnyOrder("inbound", "outbound");
        }

        @Test
        void otherHomeIsInvisible() {
            assertThatThrownBy(() -> sftp.ls("../" + COUNCIL_B)).isInstanceOf(SftpException.class);
            assertThatThrownBy(() -> sftp.ls("/../" + COUNCIL_B + "/inbound")).isInstanceOf(SftpException.class);
            assertThatThrownBy(() -> sftp.get("../" + COUNCIL_B + "/outbound/secret.report.json.pgp"))
                    .isInstanceOf(SftpException.class);
            assertThatThrownBy(() -> sftp.get("/../../" + COUNCIL_B + "/outbound/secret.report.json.pgp"))
                    .isInstanceOf(SftpException.class);
        }

        @Test
        void absoluteHostPathsResolveInsideHome() throws Exception {
            assertThatThrownBy(() -> sftp.get("/etc/passwd")).isInstanceOf(SftpException.class);
            assertThatThrownBy(() -> sftp.get("../../../../../../etc/passwd")).isInstanceOf(SftpException.class);
            assertThat(sftp.realpath("/../../etc")).isEqualTo("/etc");
        }

        @Test
        void existingSymbolicLinksAreNotFollowed() throws Exception {
            Path outbound = homeA.resolve("outbound");
            Files.createSymbolicLink(outbound.resolve("escape.pgp"),
                    homeB.resolve("outbound").resolve("secret.report.json.pgp"));
            Files.createSymbolicLink(outbound.resolve("passwd.pgp"), Path.of("/etc/passwd"));
            Files.createSymbolicLink(homeA.resolve("other"), homeB);
            try {
                assertThatThrownBy(() -> read(sftp, "outbound/escape.pgp")).isInstanceOf(SftpException.class);
                assertThatThrownBy(() -> read(sftp, "outbound/passwd.pgp")).isInstanceOf(SftpException.class);
                assertThatThrownBy(() -> sftp.ls("other/outbound")).isInstanceOf(SftpException.class);
                assertThatThrownBy(() -> read(sftp, "other/outbound/secret.report.json.pgp"))
                        .isInstanceOf(SftpException.class);
                assertThatThrownBy(() -> sftp.readlink("outbound/passwd.pgp")).isInstanceOf(SftpException.class);
            } finally {
                Files.delete(outbound.resolve("escape.pgp"));
                Files.delete(outbound.resolve("passwd.pgp"));
                Files.delete(homeA.resolve("other"));
            }
            assertThat(homeB.resolve("outbound").resolve("secret.report.json.pgp")).exists();
        }
    }

    @Nested
    class DropZonePolicy {

        private Session session;
        private ChannelSftp sftp;

        @BeforeEach
        void login() throws Exception {
            session = loginAs(COUNCIL_A, keyA);
            sftp = openSftp(session);
        }

        @AfterEach
        void logout() {
            session.disconnect();
        }

        @Test
        void uploadAsPartThenRenameToFinalName() throws Exception {
            String part = "inbound/E10000012_2015-06_01.csv.gpg.part";
            String done = "inbound/E10000012_2015-06_01.csv.gpg";
            sftp.put(new ByteArrayInputStream(CONTENT), part);
            sftp.rename(part, done);

            assertThat(homeA.resolve(done)).hasBinaryContent(CONTENT);
            assertThat(homeA.resolve(part)).doesNotExist();
            eventually("upload audited", () -> listener.events.containsAll(List.of(
                    "uploaded " + COUNCIL_A + " " + part,
                    "renamed " + COUNCIL_A + " " + part + " -> " + done)));
        }

        @Test
        void partnerMayReadAndRemoveItsOwnInboundFile() throws Exception {
            sftp.put(new ByteArrayInputStream(CONTENT), "inbound/again.gpg");
            assertThat(read(sftp, "inbound/again.gpg")).isEqualTo(CONTENT);
            sftp.rm("inbound/again.gpg");
            assertThat(homeA.resolve("inbound/again.gpg")).doesNotExist();
        }

        @Test
        void downloadAndRemoveFromOutbound() throws Exception {
            Path report = homeA.resolve("outbound").resolve("E10000012_2015-06_01.csv.gpg.report.json.pgp");
            Files.write(report, CONTENT);
            sftp.cd("outbound");
            assertThat(names(sftp.ls("."))).contains(report.getFileName().toString());
            assertThat(read(sftp, report.getFileName().toString())).isEqualTo(CONTENT);
            sftp.rm(report.getFileName().toString());
            assertThat(report).doesNotExist();
            eventually("removal audited", () -> listener.events.contains(
                    "removed " + COUNCIL_A + " outbound/" + report.getFileName()));
        }

        @Test
        void writingIntoOutboundIsRefused() {
            assertDenied(() -> sftp.put(new ByteArrayInputStream(CONTENT), "outbound/forged.report.json.pgp"));
            assertThat(homeA.resolve("outbound/forged.report.json.pgp")).doesNotExist();
        }

        @Test
        void overwritingOrAppendingToAnOutboundFileIsRefused() throws Exception {
            Path report = homeA.resolve("outbound").resolve("keep.report.json.pgp");
            Files.write(report, CONTENT);
            assertDenied(() -> sftp.put(new ByteArrayInputStream(new byte[] {1}), "outbound/keep.report.json.pgp",
                    ChannelSftp.APPEND));
            assertDenied(() -> sftp.put(new ByteArrayInputStream(new byte[] {1}), "outbound/keep.report.json.pgp"));
            assertThat(report).hasBinaryContent(CONTENT);
            Files.delete(report);
        }

        @Test
        void writingAtHomeRootIsRefused() {
            assertDenied(() -> sftp.put(new ByteArrayInputStream(CONTENT), "/E10000012_2015-06_01.csv.gpg"));
            assertThat(homeA.resolve("E10000012_2015-06_01.csv.gpg")).doesNotExist();
        }

        @Test
        void makingDirectoriesIsRefused() {
            assertDenied(() -> sftp.mkdir("inbound/sub"));
            assertDenied(() -> sftp.mkdir("extra"));
            assertThat(homeA.resolve("inbound/sub")).doesNotExist();
            assertThat(homeA.resolve("extra")).doesNotExist();
        }

        @Test
        void removingDropZoneDirectoriesIsRefused() {
            assertDenied(() -> sftp.rmdir("inbound"));
            assertDenied(() -> sftp.rmdir("outbound"));
            assertThat(homeA.resolve("inbound")).isDirectory();
        }

        @Test
        void symbolicLinksAreRefused() throws Exception {
            sftp.put(new ByteArrayInputStream(CONTENT), "inbound/target.gpg");
            assertDenied(() -> sftp.symlink("target.gpg", "inbound/link.gpg"));
            assertDenied(() -> sftp.symlink("/etc/passwd", "inbound/passwd.gpg"));
            assertThat(homeA.resolve("inbound/link.gpg")).doesNotExist();
            assertThat(homeA.resolve("inbound/passwd.gpg")).doesNotExist();
            sftp.rm("inbound/target.gpg");
        }

        @Test
        void renamingOutOfInboundIsRefused() throws Exception {
            sftp.put(new ByteArrayInputStream(CONTENT), "inbound/stay.gpg");
            assertDenied(() -> sftp.rename("inbound/stay.gpg", "outbound/stay.gpg"));
            assertDenied(() -> sftp.rename("inbound/stay.gpg", "stay.gpg"));
            assertDenied(() -> sftp.rename("inbound", "renamed"));
            assertThat(homeA.resolve("inbound/stay.gpg")).exists();
            sftp.rm("inbound/stay.gpg");
        }

        @Test
        void renamingFromOutboundIsRefused() throws Exception {
            Path report = homeA.resolve("outbound").resolve("move-me.report.json.pgp");
            Files.write(report, CONTENT);
            assertDenied(() -> sftp.rename("outbound/move-me.report.json.pgp", "inbound/move-me.gpg"));
            assertThat(report).exists();
            Files.delete(report);
        }

        @Test
        void changingPermissionsIsRefused() throws Exception {
            sftp.put(new ByteArrayInputStream(CONTENT), "inbound/perm.gpg");
            assertDenied(() -> sftp.chmod(0, "inbound/perm.gpg"));
            assertDenied(() -> sftp.chmod(0777, "inbound"));
            sftp.rm("inbound/perm.gpg");
        }
    }

    private static void assertDenied(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOf(SftpException.class)
                .satisfies(e -> assertThat(((SftpException) e).id)
                        .as("SFTP status of %s", e.getMessage())
                        .isEqualTo(ChannelSftp.SSH_FX_PERMISSION_DENIED));
    }

    private static byte[] read(ChannelSftp sftp, String path) throws SftpException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        sftp.get(path, out);
        return out.toByteArray();
    }

    private static List<String> names(Vector<?> entries) {
        return entries.stream()
                .map(entry -> ((LsEntry) entry).getFilename())
                .filter(name -> !name.equals(".") && !name.equals(".."))
                .toList();
    }
}
