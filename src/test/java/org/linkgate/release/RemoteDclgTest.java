package org.linkgate.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.linkgate.crypto.GpgCli;
import org.linkgate.store.TestDatabases;
import org.linkgate.support.OpenSshServer;

/**
 * DCLG as a remote endpoint on a real OpenSSH {@code sshd} with its host key pinned: a release is
 * uploaded under a temporary name, renamed in and opened by DCLG with gpg; while DCLG refuses the
 * gateway's login, delivery is retried with back-off and lands exactly once when it is back.
 */
class RemoteDclgTest {

    @TempDir
    Path root;

    @Test
    void aReleaseReachesDclgsOwnSftpServerOnceEvenAfterItRefusedTheGatewayForAWhile() throws Exception {
        assumeTrue(OpenSshServer.available(), "needs openssh-server and ssh-keygen");
        assumeTrue(GpgCli.isAvailable(), "needs gpg");
        ReleaseFixture f = new ReleaseFixture(TestDatabases.h2(), root);
        try (OpenSshServer server = new OpenSshServer().start()) {
            Files.createDirectories(f.home.secretsDir());
            String gatewayLogin = OpenSshServer.generateKey(f.home.secretsDir().resolve("dclg-sftp-key"), "gateway");
            server.authorize(gatewayLogin);
            server.writeKnownHosts(f.home.recipientDir("DCLG").resolve("ssh-known-hosts"));
            Path upload = Files.createDirectories(server.baseDir().resolve("upload"));
            f.configure(ReleaseFixture.SPEC.formatted("0.10").replace("endpoint: {type: embedded}",
                    "endpoint: {type: remote, host: " + server.host() + ", port: " + server.port() + ", user: " + server.user()
                            + ", privateKey: dclg-sftp-key, knownHosts: ssh-known-hosts, uploadDir: upload}"));
            f.batch(ReleaseFixture.COUNCIL, "2016-01", 400);

            String first = f.releases.request(null, ReleaseFixture.PURPOSE, null, "analyst");
            f.releases.approve(first, "admin");
            assertThat(f.status(first)).isEqualTo("SENT");
            Path delivered = upload.resolve("DCLG_" + first + ".zip.pgp");
            assertThat(delivered).exists();
            Path gatewayPublic = root.resolve("gateway-public.asc");
            ReleaseFixture.gateway().writeArmoredPublic(gatewayPublic);
            try (DclgSide dclg = DclgSide.open(f.home, gatewayPublic, Files.createDirectories(root.resolve("dclg-work")))) {
                DclgSide.Opened opened = dclg.receive(delivered, ReleaseFixture.gateway().fingerprint());
                assertThat(opened.manifest().get("releaseId").asText()).isEqualTo(first);
            }

            // DCLG refuses the gateway's key for a while: retried, never half-delivered.
            server.revokeAll();
            String second = f.releases.request(null, ReleaseFixture.PURPOSE, null, "analyst");
            f.releases.approve(second, "admin");
            assertThat(f.status(second)).isEqualTo("APPROVED");
            assertThat(f.count("select attempts from data_release where id = ?", second)).isEqualTo(1);
            server.authorize(gatewayLogin);
            f.releases.sendDue();
            assertThat(f.status(second)).isEqualTo("APPROVED"); // not before its next attempt
            f.clock.advance(Duration.ofSeconds(31));
            f.releases.sendDue();
            assertThat(f.status(second)).isEqualTo("SENT");
            f.clock.advance(Duration.ofMinutes(5));
            f.releases.sendDue();
            try (Stream<Path> files = Files.list(upload)) {
                // Each release once, whatever order the ids sort in.
                assertThat(files.map(p -> p.getFileName().toString()).toList())
                        .containsExactlyInAnyOrder("DCLG_" + first + ".zip.pgp", "DCLG_" + second + ".zip.pgp");
            }
            assertThat(f.count("select count(*) from audit_event where event_type = 'RELEASE_SENT'")).isEqualTo(2);
        }
    }
}
