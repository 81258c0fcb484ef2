package org.linkgate.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.linkgate.agreement.Department;
import org.linkgate.support.OpenSshServer;

/** {@link RemoteSftpClient} against a real OpenSSH server (skipped where openssh-server is not installed). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteSftpClientTest {

    private static final Pattern RETURNS = Pattern.compile("DWP_RETURN_\\d{8}\\.csv\\.gpg");
    private static final byte[] CONTENT = "-----BEGIN PGP MESSAGE-----\nreturn\n".getBytes(StandardCharsets.US_ASCII);

    private OpenSshServer server;
    private Path dir;
    private Path clientKey;
    private Path knownHosts;
    private Path upload;
    private Path returns;

    @BeforeAll
    void startServer(@TempDir Path tempDir) throws Exception {
        assumeTrue(OpenSshServer.available(), "needs openssh-server (" + OpenSshServer.SSHD + ") and ssh-keygen");
        dir = tempDir;
        server = new OpenSshServer().start();
        clientKey = dir.resolve("id_gateway");
        server.authorize(OpenSshServer.generateKey(clientKey, "gateway"));
        knownHosts = server.writeKnownHosts(dir.resolve("known_hosts"));
        upload = Files.createDirectories(server.baseDir().resolve("upload"));
        returns = Files.createDirectories(server.baseDir().resolve("returns"));
    }

    @AfterAll
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void emptyDirectories() throws Exception {
        if (server == null) {
            return;
        }
        for (Path d : List.of(upload, returns)) {
            try (var files = Files.list(d)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    private Department.RemoteEndpoint endpoint(Path key, Path hosts) {
        return new Department.RemoteEndpoint(server.host(), server.port(), server.user(), key, hosts, "upload", "returns");
    }

    private RemoteSftpClient connect() throws Exception {
        return RemoteSftpClient.connect(endpoint(clientKey, knownHosts));
    }

    @Test
    void uploadsAtomicallyAndVerifiesTheSize() throws Exception {
        Path local = Files.write(dir.resolve("extract.csv.gpg"), CONTENT);
        try (RemoteSftpClient client = connect()) {
            UploadReceipt receipt = client.uploadAtomically(local, "upload", "DWP_EXTRACT_20250101.csv.gpg");

            assertThat(receipt.remotePath()).isEqualTo("upload/DWP_EXTRACT_20250101.csv.gpg");
            assertThat(receipt.size()).isEqualTo(CONTENT.length);
            assertThat(receipt.sha256()).hasSize(64);
        }
        assertThat(upload.resolve("DWP_EXTRACT_20250101.csv.gpg")).hasBinaryContent(CONTENT);
        assertThat(upload.resolve("DWP_EXTRACT_20250101.csv.gpg.part")).doesNotExist();
    }

    @Test
    void refusesToOverwriteAnExistingFile() throws Exception {
        byte[] theirs = "already there".getBytes(StandardCharsets.US_ASCII);
        Files.write(upload.resolve("DWP_EXTRACT_20250102.csv.gpg"), theirs);
        Path local = Files.write(dir.resolve("extract2.csv.gpg"), CONTENT);
        try (RemoteSftpClient client = connect()) {
            assertThatThrownBy(() -> client.uploadAtomically(local, "upload", "DWP_EXTRACT_20250102.csv.gpg"))
                    .isInstanceOf(RemoteTransferException.class)
                    .hasMessageContaining("refusing to overwrite");
        }
        assertThat(upload.resolve("DWP_EXTRACT_20250102.csv.gpg")).hasBinaryContent(theirs);
        assertThat(upload.resolve("DWP_EXTRACT_20250102.csv.gpg.part")).doesNotExist();
    }

    @Test
    void listsOnlyCompleteMatchingRegularFiles() throws Exception {
        Files.write(returns.resolve("DWP_RETURN_20250101.csv.gpg"), CONTENT);
        Files.write(returns.resolve("DWP_RETURN_20250102.csv.gpg.part"), CONTENT);
        Files.write(returns.resolve(".DWP_RETURN_20250103.csv.gpg"), CONTENT);
        Files.write(returns.resolve("notes.txt"), CONTENT);
        Files.write(returns.resolve("dwp_return_20250104.csv.gpg"), CONTENT);
        Files.createDirectory(returns.resolve("DWP_RETURN_20250105.csv.gpg"));
        Files.createSymbolicLink(returns.resolve("DWP_RETURN_20250106.csv.gpg"), Path.of("DWP_RETURN_20250101.csv.gpg"));
        Files.write(returns.resolve("DWP_RETURN..20250107.csv.gpg"), CONTENT);

        try (RemoteSftpClient client = connect()) {
            List<RemoteFile> listed = client.listComplete("returns", Pattern.compile(".*"));
            List<RemoteFile> matching = client.listComplete("returns", RETURNS);

            assertThat(listed).extracting(RemoteFile::name)
                    .containsExactly("DWP_RETURN_20250101.csv.gpg", "dwp_return_20250104.csv.gpg", "notes.txt");
            assertThat(matching).extracting(RemoteFile::name).containsExactly("DWP_RETURN_20250101.csv.gpg");
            assertThat(matching.get(0).size()).isEqualTo(CONTENT.length);
            assertThat(matching.get(0).modified()).isNotNull();
        }
    }

    @Test
    void downloadsThenRemoves() throws Exception {
        Files.write(returns.resolve("DWP_RETURN_20250201.csv.gpg"), CONTENT);
        Path target = dir.resolve("in").resolve("DWP_RETURN_20250201.csv.gpg");
        try (RemoteSftpClient client = connect()) {
            client.download("returns", "DWP_RETURN_20250201.csv.gpg", target);
            assertThat(target).hasBinaryContent(CONTENT);
            try (var left = Files.list(target.getParent())) {
                assertThat(left).containsExactly(target);
            }

            assertThatThrownBy(() -> client.download("returns", "DWP_RETURN_20250201.csv.gpg", target))
                    .isInstanceOf(FileAlreadyExistsException.class);

            client.remove("returns", "DWP_RETURN_20250201.csv.gpg");
        }
        assertThat(returns.resolve("DWP_RETURN_20250201.csv.gpg")).doesNotExist();
    }

    @Test
    void refusesUnsafeNamesBeforeAnyIo() throws Exception {
        try (RemoteSftpClient client = connect()) {
            for (String name : List.of("../etc/passwd", "a/b", ".hidden", "x..y", "bad\nname", "")) {
                assertThatThrownBy(() -> client.download("returns", name, dir.resolve("never")))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> client.remove("returns", name)).isInstanceOf(IllegalArgumentException.class);
            }
            assertThatThrownBy(() -> client.listComplete("returns/../..", RETURNS))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Refusals {

        @Test
        void unknownHostKey() throws Exception {
            Path empty = Files.writeString(dir.resolve("known_hosts_empty"), "");

            assertThatThrownBy(() -> RemoteSftpClient.connect(endpoint(clientKey, empty)))
                    .isInstanceOfSatisfying(HostKeyRejectedException.class, e -> {
                        assertThat(e.reason()).isEqualTo(HostKeyRejectedException.Reason.UNKNOWN);
                        assertThat(e.host()).isEqualTo("127.0.0.1");
                        assertThat(e.port()).isEqualTo(server.port());
                        assertThat(e.fingerprint()).startsWith("SHA256:");
                        assertThat(e.getMessage()).contains("127.0.0.1:" + server.port(), "UNKNOWN", e.fingerprint())
                                .doesNotContain("AAAA");
                    });
        }

        @Test
        void changedHostKey() throws Exception {
            // The same host and port pinned to another key: what a man in the middle looks like.
            String otherKey = OpenSshServer.generateKey(dir.resolve("other_host_key"), "other");
            String[] parts = otherKey.split(" ");
            Path wrong = Files.writeString(dir.resolve("known_hosts_changed"),
                    "[127.0.0.1]:" + server.port() + " " + parts[0] + " " + parts[1] + "\n");

            assertThatThrownBy(() -> RemoteSftpClient.connect(endpoint(clientKey, wrong)))
                    .isInstanceOfSatisfying(HostKeyRejectedException.class, e -> {
                        assertThat(e.reason()).isEqualTo(HostKeyRejectedException.Reason.CHANGED);
                        assertThat(e.getMessage()).contains("CHANGED", "127.0.0.1:" + server.port());
                    });
            assertThat(wrong).content().isEqualTo("[127.0.0.1]:" + server.port() + " " + parts[0] + " " + parts[1] + "\n");
        }

        @Test
        void restartedServerWithANewHostKey() throws Exception {
            try (OpenSshServer other = new OpenSshServer().start()) {
                other.authorize(Files.readString(Path.of(clientKey + ".pub")));
                // known_hosts pins the first server's key for this port: as if the server's key was replaced.
                String pinned = server.knownHostsLine().replace(":" + server.port() + " ", ":" + other.port() + " ");
                Path hosts = Files.writeString(dir.resolve("known_hosts_rotated"), pinned + "\n");
                Department.RemoteEndpoint rotated = new Department.RemoteEndpoint(other.host(), other.port(),
                        other.user(), clientKey, hosts, "upload", "returns");

                assertThatThrownBy(() -> RemoteSftpClient.connect(rotated))
                        .isInstanceOfSatisfying(HostKeyRejectedException.class,
                                e -> assertThat(e.reason()).isEqualTo(HostKeyRejectedException.Reason.CHANGED));
            }
        }

        @Test
        void wrongClientKey() throws Exception {
            Path stranger = dir.resolve("id_stranger");
            OpenSshServer.generateKey(stranger, "stranger");

            assertThatThrownBy(() -> RemoteSftpClient.connect(endpoint(stranger, knownHosts)))
                    .isInstanceOf(RemoteTransferException.class)
                    .isNotInstanceOf(HostKeyRejectedException.class)
                    .hasMessageContaining("refused");
        }

        @Test
        void missingKnownHostsFile() {
            assertThatThrownBy(() -> RemoteSftpClient.connect(endpoint(clientKey, dir.resolve("absent"))))
                    .isInstanceOf(RemoteTransferException.class)
                    .hasMessageContaining("known_hosts");
        }
    }
}
