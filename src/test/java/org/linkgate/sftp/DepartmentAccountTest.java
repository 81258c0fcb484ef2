package org.linkgate.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.linkgate.sftp.SftpTestSupport.COUNCIL_A;
import static org.linkgate.sftp.SftpTestSupport.connect;
import static org.linkgate.sftp.SftpTestSupport.eventually;
import static org.linkgate.sftp.SftpTestSupport.jsch;
import static org.linkgate.sftp.SftpTestSupport.openSftp;
import static org.linkgate.sftp.SftpTestSupport.rsaKeyPair;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Vector;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.ChannelSftp.LsEntry;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A department's embedded account ({@link SftpLayout#DEPARTMENT}): it writes its returns into {@code returns/} (as
 * {@code .part}, then renamed) and reads and removes the extracts the gateway leaves in {@code upload/}, under the same
 * rules a council has for {@code inbound/} and {@code outbound/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DepartmentAccountTest {

    private static final String DFE = "dfe";
    private static final String PHE = "phe";
    private static final byte[] CONTENT = "-----BEGIN PGP MESSAGE-----\nreturn\n".getBytes(StandardCharsets.UTF_8);

    private final KeyPair keyDfe = rsaKeyPair();
    private final KeyPair keyPhe = rsaKeyPair();
    private final KeyPair keyCouncil = rsaKeyPair();
    private final SftpTestSupport.RecordingListener listener = new SftpTestSupport.RecordingListener();
    private EmbeddedSftpServer server;
    private Path homeDfe;
    private Path homePhe;
    private Path homeCouncil;
    private String knownHosts;

    @BeforeAll
    void startServer(@TempDir Path dir) throws IOException {
        homeDfe = dir.resolve("homes").resolve(DFE);
        homePhe = dir.resolve("homes").resolve(PHE);
        homeCouncil = dir.resolve("homes").resolve(COUNCIL_A);
        SftpTestSupport.InMemoryAccounts accounts = SftpTestSupport.accounts()
                .add(SftpAccount.department(DFE, homeDfe, List.of(keyDfe.getPublic())))
                .add(SftpAccount.department(PHE, homePhe, List.of(keyPhe.getPublic())))
                .add(new SftpAccount(COUNCIL_A, homeCouncil, List.of(keyCouncil.getPublic())));
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
    class AsDepartment {

        private Session session;
        private ChannelSftp sftp;

        @BeforeEach
        void login() throws Exception {
            session = loginAs(DFE, keyDfe);
            sftp = openSftp(session);
        }

        @AfterEach
        void logout() {
            session.disconnect();
        }

        @Test
        void homeHoldsReturnsAndUploadOnly() throws Exception {
            assertThat(names(sftp.ls("/"))).containsExactlyInAnyOrder("returns", "upload");
            assertThat(homeDfe.resolve("returns")).isDirectory();
            assertThat(homeDfe.resolve("upload")).isDirectory();
            assertThat(homeDfe.resolve("inbound")).doesNotExist();
            assertThat(homeDfe.resolve("outbound")).doesNotExist();
        }

        @Test
        void returnUploadedAsPartThenRenamed() throws Exception {
            String part = "returns/DFE_NPD_0001.csv.pgp.part";
            String done = "returns/DFE_NPD_0001.csv.pgp";
            sftp.put(new ByteArrayInputStream(CONTENT), part);
            sftp.rename(part, done);

            assertThat(homeDfe.resolve(done)).hasBinaryContent(CONTENT);
            assertThat(homeDfe.resolve(part)).doesNotExist();
            assertThat(names(sftp.ls("returns"))).contains("DFE_NPD_0001.csv.pgp");
            eventually("upload audited", () -> listener.events.containsAll(List.of(
                    "uploaded " + DFE + " " + part,
                    "renamed " + DFE + " " + part + " -> " + done)));
            sftp.rm(done);
            assertThat(homeDfe.resolve(done)).doesNotExist();
        }

        @Test
        void extractReadAndRemovedFromUpload() throws Exception {
            Path extract = homeDfe.resolve("upload").resolve("DFE_2015-06_0001.csv.pgp");
            Files.write(extract, CONTENT);
            assertThat(names(sftp.ls("upload"))).contains("DFE_2015-06_0001.csv.pgp");
            assertThat(read(sftp, "upload/DFE_2015-06_0001.csv.pgp")).isEqualTo(CONTENT);
            sftp.rm("upload/DFE_2015-06_0001.csv.pgp");
            assertThat(extract).doesNotExist();
            eventually("removal audited", () -> listener.events.contains(
                    "removed " + DFE + " upload/DFE_2015-06_0001.csv.pgp"));
        }

        @Test
        void writingIntoUploadIsRefused() throws Exception {
            assertDenied(() -> sftp.put(new ByteArrayInputStream(CONTENT), "upload/DFE_2015-06_9999.csv.pgp"));
            assertThat(homeDfe.resolve("upload/DFE_2015-06_9999.csv.pgp")).doesNotExist();

            Path extract = homeDfe.resolve("upload").resolve("keep.csv.pgp");
            Files.write(extract, CONTENT);
            assertDenied(() -> sftp.put(new ByteArrayInputStream(new byte[] {1}), "upload/keep.csv.pgp",
                    ChannelSftp.APPEND));
            assertDenied(() -> sftp.put(new ByteArrayInputStream(new byte[] {1}), "upload/keep.csv.pgp"));
            assertThat(extract).hasBinaryContent(CONTENT);
            Files.delete(extract);
        }

        @Test
        void renamingBetweenReturnsAndUploadIsRefused() throws Exception {
            sftp.put(new ByteArrayInputStream(CONTENT), "returns/stay.csv.pgp");
            assertDenied(() -> sftp.rename("returns/stay.csv.pgp", "upload/stay.csv.pgp"));
            assertDenied(() -> sftp.rename("returns/stay.csv.pgp", "stay.csv.pgp"));
            Path extract = homeDfe.resolve("upload").resolve("move-me.csv.pgp");
            Files.write(extract, CONTENT);
            assertDenied(() -> sftp.rename("upload/move-me.csv.pgp", "returns/move-me.csv.pgp"));
            assertThat(homeDfe.resolve("returns/stay.csv.pgp")).exists();
            assertThat(extract).exists();
            sftp.rm("returns/stay.csv.pgp");
            Files.delete(extract);
        }

        @Test
        void makingOrRemovingDirectoriesIsRefused() {
            assertDenied(() -> sftp.mkdir("returns/sub"));
            assertDenied(() -> sftp.mkdir("upload/sub"));
            assertDenied(() -> sftp.mkdir("inbound"));
            assertDenied(() -> sftp.rmdir("returns"));
            assertDenied(() -> sftp.rmdir("upload"));
            assertThat(homeDfe.resolve("returns/sub")).doesNotExist();
            assertThat(homeDfe.resolve("inbound")).doesNotExist();
            assertThat(homeDfe.resolve("upload")).isDirectory();
        }

        @Test
        void councilDirectoriesAndHomeRootAreOutOfBounds() {
            assertDenied(() -> sftp.put(new ByteArrayInputStream(CONTENT), "inbound/x.csv.pgp"));
            assertDenied(() -> sftp.put(new ByteArrayInputStream(CONTENT), "outbound/x.csv.pgp"));
            assertDenied(() -> sftp.put(new ByteArrayInputStream(CONTENT), "/DFE_NPD_0001.csv.pgp"));
            assertThat(homeDfe.resolve("DFE_NPD_0001.csv.pgp")).doesNotExist();
        }

        @Test
        void otherAccountsAreUnreachable() throws Exception {
            Files.createDirectories(homePhe.resolve("upload"));
            Files.write(homePhe.resolve("upload").resolve("PHE_2015-06_0001.csv.pgp"), CONTENT);
            Files.createDirectories(homeCouncil.resolve("outbound"));
            Files.write(homeCouncil.resolve("outbound").resolve("secret.report.json.pgp"), CONTENT);

            assertThatThrownBy(() -> sftp.ls("../" + PHE + "/upload")).isInstanceOf(SftpException.class);
            assertThatThrownBy(() -> read(sftp, "/../" + PHE + "/upload/PHE_2015-06_0001.csv.pgp"))
                    .isInstanceOf(SftpException.class);
            assertThatThrownBy(() -> read(sftp, "../../" + COUNCIL_A + "/outbound/secret.report.json.pgp"))
                    .isInstanceOf(SftpException.class);
            assertThatThrownBy(() -> sftp.put(new ByteArrayInputStream(CONTENT), "../" + PHE + "/returns/x.pgp"))
                    .isInstanceOf(SftpException.class);
            assertThat(homePhe.resolve("returns/x.pgp")).doesNotExist();
        }
    }

    @Nested
    class AsCouncil {

        @Test
        void councilCannotUseDepartmentDirectories() throws Exception {
            Session session = loginAs(COUNCIL_A, keyCouncil);
            try {
                ChannelSftp sftp = openSftp(session);
                assertThat(names(sftp.ls("/"))).containsExactlyInAnyOrder("inbound", "outbound");
                assertDenied(() -> sftp.put(new ByteArrayInputStream(CONTENT), "returns/x.csv.pgp"));
                assertDenied(() -> sftp.put(new ByteArrayInputStream(CONTENT), "upload/x.csv.pgp"));
                assertThat(homeCouncil.resolve("returns")).doesNotExist();
                assertThat(homeCouncil.resolve("upload")).doesNotExist();
            } finally {
                session.disconnect();
            }
        }
    }

    private static void assertDenied(ThrowingCallable call) {
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
