package org.linkgate.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.linkgate.agreement.Agreement;
import org.linkgate.agreement.AgreementLoader;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.agreement.DemoAgreement;
import org.linkgate.audit.AuditEventFilter;
import org.linkgate.audit.AuditEventRecord;
import org.linkgate.audit.AuditLog;
import org.linkgate.audit.AuditTrail;
import org.linkgate.kernel.Alerts;
import org.linkgate.sftp.EmbeddedSftpServer;
import org.linkgate.sftp.SftpAccount;
import org.linkgate.sftp.SftpServerSettings;
import org.linkgate.store.TestDatabases;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A department meets the movement audit as an auditor later reads it: with the stock OpenSSH {@code sftp} client it
 * downloads its extract, renames and removes its own upload, removes the extract; the audit trail (real database, the
 * gateway's AuditLog) then holds one event per movement with the file, the bytes sent and the account.
 */
class SftpMovementAuditTest {

    private static final Path SFTP = Path.of("/usr/bin/sftp");
    private static final String DEPARTMENT = "dfe";

    @TempDir
    Path dir;
    private EmbeddedSftpServer server;
    private AuditTrail trail;
    private Path home;
    private Path keyFile;
    private Path knownHosts;
    private AgreementPolicy policy;

    @BeforeEach
    void start() throws Exception {
        assumeThat(Files.isExecutable(SFTP)).as("OpenSSH sftp not installed at %s", SFTP).isTrue();
        JdbcTemplate jdbc = new JdbcTemplate(TestDatabases.h2());
        AuditLog audit = new AuditLog(jdbc, Clock.systemUTC());
        trail = new AuditTrail(jdbc, java.util.List.of());
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair key = generator.generateKeyPair();
        home = dir.resolve("homes").resolve(DEPARTMENT);
        Files.createDirectories(home.resolve("upload"));
        Files.createDirectories(home.resolve("returns"));
        SftpAccount account = SftpAccount.department(DEPARTMENT, home, List.of(key.getPublic()));
        policy = new AgreementPolicy(AgreementLoader.parse(DemoAgreement.demoYaml(List.of("E10000012"), List.of("DFE"),
                AgreementPolicy.today(Clock.systemUTC())), "test", Set.of("E10000012"), Set.of("DFE")));
        server = new EmbeddedSftpServer(new SftpServerSettings("127.0.0.1", 0, dir.resolve("host_key"), 4, 16,
                Duration.ofMinutes(5), 6), new AgreementSftpAccounts(
                        name -> Optional.of(account).filter(a -> a.username().equals(name)), policy, Clock.systemUTC()),
                new SftpMovementAudit(audit, new Alerts(jdbc, Clock.systemUTC()), List.of()));
        server.start();
        keyFile = Files.createFile(dir.resolve("id_dfe"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(keyFile)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "test", null, out);
        }
        knownHosts = Files.writeString(dir.resolve("known_hosts"), server.knownHostsLine("127.0.0.1") + "\n");
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void everyMovementOfAPartnerIsAuditedWithFileBytesAndAccount() throws Exception {
        byte[] extract = new byte[70_000]; // more than one SFTP read, so the bytes are summed over reads
        for (int i = 0; i < extract.length; i++) {
            extract[i] = (byte) (i * 31);
        }
        Files.write(home.resolve("upload/DFE_2015-06_7.csv.pgp"), extract);
        Path local = Files.writeString(dir.resolve("return.csv.pgp"), "-----BEGIN PGP MESSAGE-----\n");
        Path downloaded = dir.resolve("got.pgp");

        String output = sftp("""
                get upload/DFE_2015-06_7.csv.pgp %s
                put %s returns/r.part
                rename returns/r.part returns/r.csv.pgp
                rm returns/r.csv.pgp
                rm upload/DFE_2015-06_7.csv.pgp
                """.formatted(downloaded, local));

        assertThat(downloaded).hasBinaryContent(extract);
        List<AuditEventRecord> events = trail.find(AuditEventFilter.all()).stream()
                .filter(e -> !e.eventType().startsWith("SFTP_LOGIN")).toList();
        assertThat(events).as(output).extracting(e -> e.eventType() + " " + e.detail()).containsExactly(
                "SFTP_DOWNLOADED file=upload/DFE_2015-06_7.csv.pgp bytes=" + extract.length,
                "SFTP_UPLOADED file=returns/r.part",
                "SFTP_RENAMED file=returns/r.part to=returns/r.csv.pgp",
                "SFTP_REMOVED file=returns/r.csv.pgp",
                "SFTP_REMOVED file=upload/DFE_2015-06_7.csv.pgp");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.partnerCode()).isEqualTo("DFE");
            assertThat(e.actor()).isEqualTo("sftp:dfe");
        });
    }

    @Test
    void aPartialDownloadRecordsOnlyTheBytesSentAndARefusedOneNothing() throws Exception {
        Files.write(home.resolve("upload/small.csv.pgp"), new byte[] {1, 2, 3});
        sftp("get upload/small.csv.pgp " + dir.resolve("small") + "\n");
        String refused = sftpExpectingFailure("get /etc/passwd " + dir.resolve("passwd") + "\n");

        List<String> downloads = trail.find(AuditEventFilter.all()).stream()
                .filter(e -> e.eventType().equals("SFTP_DOWNLOADED")).map(AuditEventRecord::detail)
                .collect(Collectors.toList());
        assertThat(downloads).as(refused).containsExactly("file=upload/small.csv.pgp bytes=3");
    }

    @Test
    void aNameThePartnerChoseOffTheContractIsRecordedAsAnUnsafeNameAsIntakeDoes() throws Exception {
        Path local = Files.writeString(dir.resolve("r.pgp"), "-----BEGIN PGP MESSAGE-----\n");
        String output = sftp("""
                put %s "returns/Jane Doe 1980-01-01.part"
                rename "returns/Jane Doe 1980-01-01.part" returns/DFE_ok.csv.pgp
                """.formatted(local));

        List<String> details = trail.find(AuditEventFilter.all()).stream()
                .filter(e -> !e.eventType().startsWith("SFTP_LOGIN")).map(AuditEventRecord::detail).toList();
        String stand = org.linkgate.validation.PartnerFileNames.forRecord("Jane Doe 1980-01-01.part");
        assertThat(stand).matches("unsafe-name-[0-9a-f]{16}");
        assertThat(details).as(output).containsExactly("file=returns/" + stand,
                "file=returns/" + stand + " to=returns/DFE_ok.csv.pgp");
        assertThat(String.join("\n", details)).doesNotContain("Jane", "1980");
    }

    @Test
    void aTerminatedPartyCannotLogInToCollectWhatWasLeftForIt() throws Exception {
        Files.write(home.resolve("upload/DFE_2015-06_8.csv.pgp"), new byte[] {1, 2, 3});
        policy.replace(policy.agreement().withTermination(new Agreement.Termination("DFE",
                AgreementPolicy.today(Clock.systemUTC()), "notice given")));

        String refused = sftpExpectingFailure("get upload/DFE_2015-06_8.csv.pgp " + dir.resolve("got") + "\n");

        assertThat(dir.resolve("got")).doesNotExist();
        List<AuditEventRecord> events = trail.find(AuditEventFilter.all());
        assertThat(events).as(refused).extracting(AuditEventRecord::eventType)
                .doesNotContain("SFTP_LOGIN", "SFTP_DOWNLOADED").contains("SFTP_LOGIN_FAILED");
        assertThat(events).filteredOn(e -> e.eventType().equals("SFTP_LOGIN_FAILED"))
                .allSatisfy(e -> assertThat(e.detail()).contains("the agreement is terminated for DFE"));
    }

    private String sftp(String batch) throws Exception {
        Result result = run(batch);
        assertThat(result.exit).as(result.output).isZero();
        return result.output;
    }

    private String sftpExpectingFailure(String batch) throws Exception {
        Result result = run(batch);
        assertThat(result.exit).as(result.output).isNotZero();
        return result.output;
    }

    private Result run(String batch) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(SFTP.toString(), "-b", "-", "-F", "/dev/null",
                "-i", keyFile.toString(), "-P", Integer.toString(server.port()),
                "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts,
                "-o", "GlobalKnownHostsFile=/dev/null", "-o", "UpdateHostKeys=no", "-o", "IdentitiesOnly=yes",
                "-o", "IdentityAgent=none", "-o", "PasswordAuthentication=no", "-o", "ConnectTimeout=15",
                DEPARTMENT + "@127.0.0.1").redirectErrorStream(true);
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
        // The server audits a close after answering it: give the last event a moment to land.
        Thread.sleep(200);
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

    private record Result(int exit, String output) {
    }
}
