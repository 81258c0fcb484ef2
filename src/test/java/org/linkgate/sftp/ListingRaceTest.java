package org.linkgate.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.linkgate.sftp.SftpTestSupport.COUNCIL_A;
import static org.linkgate.sftp.SftpTestSupport.connect;
import static org.linkgate.sftp.SftpTestSupport.jsch;
import static org.linkgate.sftp.SftpTestSupport.openSftp;
import static org.linkgate.sftp.SftpTestSupport.rsaKeyPair;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.ChannelSftp.LsEntry;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpATTRS;
import com.jcraft.jsch.SftpException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway moves files out of {@code inbound/} and renames reports into {@code outbound/} while the partner lists
 * those directories. A file that vanishes between the directory read and the per-entry attribute read used to fail
 * the whole READDIR with SSH_FX_NO_SUCH_FILE; now it is simply left out of the listing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListingRaceTest {

    /** Files kept in the directory while it churns: enough that every listing spans many directory reads. */
    private static final int POPULATION = 200;
    private static final int LISTINGS = 150;

    private final KeyPair key = rsaKeyPair();
    private Path dir;
    private EmbeddedSftpServer server;
    private Path home;
    private Session session;
    private ChannelSftp sftp;

    @BeforeAll
    void startServer(@TempDir Path tempDir) throws IOException {
        dir = tempDir;
        home = dir.resolve("homes").resolve(COUNCIL_A);
        server = new EmbeddedSftpServer(SftpTestSupport.settings(dir.resolve("host_key")),
                SftpTestSupport.accounts().add(new SftpAccount(COUNCIL_A, home, List.of(key.getPublic()))));
        server.start();
    }

    @AfterAll
    void stopServer() throws IOException {
        server.stop();
    }

    @BeforeEach
    void login() throws Exception {
        session = connect(jsch(key, server.knownHostsLine("127.0.0.1")), COUNCIL_A, server.port());
        sftp = openSftp(session);
    }

    @AfterEach
    void logout() {
        session.disconnect();
    }

    /** The gateway collecting uploads: every file is deleted soon after it appears, and new ones keep arriving. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void filesRemovedFromInboundWhileListingAreLeftOut() throws Exception {
        Path inbound = home.resolve("inbound");
        assertListingsSurvive("inbound", inbound, Files::deleteIfExists);
    }

    /** The gateway publishing reports: staged outside, then renamed in, then (by the test) renamed out again. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void filesRenamedInAndOutOfOutboundWhileListingAreLeftOut() throws Exception {
        Path outbound = home.resolve("outbound");
        Path staging = Files.createDirectories(dir.resolve("staging"));
        assertListingsSurvive("outbound", outbound, file -> Files.delete(Files.move(file,
                staging.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE)));
    }

    /** Listed attributes are read differently from STAT's; a client must not be able to tell. */
    @Test
    void listedAttributesMatchThoseOfStat() throws Exception {
        Path outbound = home.resolve("outbound");
        Path report = Files.write(outbound.resolve("E10000012_2015-06_01.csv.gpg.report.json.pgp"), new byte[1234]);
        Files.setPosixFilePermissions(report, PosixFilePermissions.fromString("rw-r-----"));
        Files.setLastModifiedTime(report, FileTime.fromMillis(1_434_000_000_000L));
        Files.createSymbolicLink(outbound.resolve("link.pgp"), Path.of("/etc/passwd"));
        try {
            List<LsEntry> entries = new ArrayList<>();
            for (Object entry : sftp.ls("outbound")) {
                entries.add((LsEntry) entry);
            }
            LsEntry listed = entries.stream()
                    .filter(entry -> entry.getFilename().equals(report.getFileName().toString()))
                    .findFirst().orElseThrow();
            SftpATTRS stat = sftp.lstat("outbound/" + report.getFileName());
            assertThat(listed.getAttrs().toString()).isEqualTo(stat.toString());
            assertThat(listed.getAttrs().getSize()).isEqualTo(1234);
            assertThat(listed.getAttrs().getPermissionsString()).isEqualTo("-rw-r-----");
            assertThat(listed.getLongname()).startsWith("-rw-r-----").contains(" 1234 ")
                    .endsWith(report.getFileName().toString());

            LsEntry link = entries.stream().filter(entry -> entry.getFilename().equals("link.pgp"))
                    .findFirst().orElseThrow();
            assertThat(link.getAttrs().isLink()).isTrue();
            assertThat(link.getLongname()).startsWith("l");
        } finally {
            Files.delete(report);
            Files.delete(outbound.resolve("link.pgp"));
        }
    }

    @FunctionalInterface
    private interface Removal {
        void remove(Path file) throws IOException;
    }

    private void assertListingsSurvive(String remoteDir, Path localDir, Removal removal) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong removed = new AtomicLong();
        AtomicReference<Throwable> churnFailure = new AtomicReference<>();
        for (int i = 0; i < POPULATION; i++) {
            Files.write(localDir.resolve(name(i)), new byte[] {1});
        }
        Thread churn = new Thread(() -> {
            long n = POPULATION;
            try {
                while (running.get()) {
                    // Replace the oldest file with a new one, keeping the population (and listing length) steady.
                    Path oldest = localDir.resolve(name(n - POPULATION));
                    Path newest = localDir.resolve(name(n));
                    Files.write(newest, new byte[] {1});
                    removal.remove(oldest);
                    removed.incrementAndGet();
                    n++;
                }
            } catch (IOException | RuntimeException e) {
                churnFailure.set(e);
            }
        }, "gateway-churn");
        churn.setDaemon(true);

        List<String> failures = new ArrayList<>();
        int completed = 0;
        churn.start();
        try {
            for (int i = 0; i < LISTINGS; i++) {
                try {
                    List<?> entries = sftp.ls(remoteDir);
                    assertThat(entries).as("a listing is never empty while files keep arriving").isNotEmpty();
                    completed++;
                } catch (SftpException e) {
                    failures.add("listing " + i + ": SFTP status " + e.id + " " + e.getMessage());
                }
            }
        } finally {
            running.set(false);
            churn.join(TimeUnit.SECONDS.toMillis(10));
        }

        assertThat(churnFailure.get()).as("churn thread failure").isNull();
        assertThat(removed.get()).as("files removed while listing").isGreaterThan(LISTINGS);
        assertThat(failures).as("listings that failed (%d completed)", completed).isEmpty();
        assertThat(completed).isEqualTo(LISTINGS);
    }

    /** Names that sort and spread across the directory, e.g. {@code E10000012_2015-06_000123.csv.gpg}. */
    private static String name(long n) {
        return String.format("E10000012_2015-06_%06d.csv.gpg", n);
    }
}
