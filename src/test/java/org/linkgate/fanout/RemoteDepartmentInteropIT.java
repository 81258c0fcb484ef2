package org.linkgate.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.linkgate.agreement.Department;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.crypto.GpgCli;
import org.linkgate.demo.DemoBootstrap;
import org.linkgate.demo.DemoReturns;
import org.linkgate.intake.GatewayTestHome;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.GatewaySecrets;
import org.linkgate.support.CouncilSide;
import org.linkgate.support.OpenSshServer;
import org.linkgate.support.TestCsv;
import org.linkgate.transfer.SftpServerLifecycle;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A department on its own server: a real OpenSSH {@code sshd} on 127.0.0.1 (own host key and
 * config in a temporary directory), whose user works with the {@code gpg} CLI only — decrypting
 * the extract the gateway uploaded and returning a gpg-encrypted, signed file the gateway
 * collects. Then the endpoint refuses the gateway, and presents a changed host key: extracts
 * wait and are delivered exactly once when it recovers.
 */
@SpringBootTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EnabledIf(value = "toolsPresent", disabledReason = "needs openssh-server (/usr/sbin/sshd), ssh-keygen and gpg")
class RemoteDepartmentInteropIT {

    static final String CODE = "XDEPT";
    static final Duration WAIT = Duration.ofSeconds(90);
    static Path home;
    static OpenSshServer sshd;
    static GpgCli gpg;
    static String departmentFingerprint;
    static String gatewayKeyLine;
    static Path knownHosts;

    static boolean toolsPresent() {
        return OpenSshServer.available() && GpgCli.isAvailable();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        home = GatewayTestHome.create();
        sshd = new OpenSshServer().start();
        Files.createDirectories(sshd.baseDir().resolve("upload"));
        Files.createDirectories(sshd.baseDir().resolve("returns"));
        // The department's OpenPGP key, made by gpg; its public half registered with the gateway.
        gpg = GpgCli.inTempHome();
        departmentFingerprint = gpg.generateKey("Remote Department <remote@department.invalid>", "rsa3072", "sign,cert");
        gpg.addSubkey(departmentFingerprint, "rsa3072", "encr");
        gpg.importKey(home.resolve("config/gateway").resolve(GatewaySecrets.GATEWAY_PUBLIC_KEY), null);
        Path config = Files.createDirectories(home.resolve("config/departments").resolve(CODE));
        Files.write(config.resolve(PartnerRegistry.PGP_KEY_FILE), gpg.exportPublicKey(departmentFingerprint));
        // The gateway's SSH login to the department, and the department's host key pinned.
        Path clientKey = home.resolve("secrets").resolve("xdept-sftp-key");
        gatewayKeyLine = OpenSshServer.generateKey(clientKey, "linkgate");
        sshd.authorize(gatewayKeyLine);
        knownHosts = sshd.writeKnownHosts(config.resolve("ssh-known-hosts"));
        Files.writeString(config.resolve("department.yaml"), "name: Remote test department\n"
                + "matchFields: [forename, surname, date_of_birth]\n"
                + "returnDueDays: 30\n"
                + "endpoint: {type: remote, host: " + sshd.host() + ", port: " + sshd.port() + ", user: " + sshd.user()
                + ", privateKey: xdept-sftp-key, knownHosts: ssh-known-hosts, uploadDir: upload, returnsDir: returns}\n"
                + "returns: [{dataset: HES, schema: hscic-hes-v1}]\n", StandardCharsets.UTF_8);
        GatewayTestHome.refreshAgreement(home);
        GatewayTestHome.register(registry, home);
        registry.add("linkgate.departments.poll-interval", () -> "300ms");
        registry.add("linkgate.departments.retry-base", () -> "200ms");
        registry.add("linkgate.departments.retry-max", () -> "1s");
    }

    @AfterAll
    void stop() throws IOException {
        sshd.close();
        gpg.close();
    }

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SftpServerLifecycle sftp;
    @Autowired
    GatewayHome gatewayHome;
    @Autowired
    PartnerRegistry registry;

    String sendCouncilBatch(String name, int rows) throws Exception {
        CouncilSide council = new CouncilSide(DemoBootstrap.DEMO_COUNCIL, gatewayHome, sftp.port());
        council.upload(name, council.encryptAndSign(new TestCsv().validRows(rows).bytes()));
        assertThat(council.awaitReport(name, WAIT).get("status").asText()).isIn("ACCEPTED", "PARTIAL");
        return jdbc.queryForObject("select id from intake_file where file_name = ?", String.class, name);
    }

    Optional<Path> extractOnServer() throws IOException {
        try (Stream<Path> files = Files.list(sshd.baseDir().resolve("upload"))) {
            return files.filter(p -> p.getFileName().toString().matches(CODE + "_\\d{4}-\\d{2}_[0-9a-f]{32}\\.csv\\.pgp")).findFirst();
        }
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as(what).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    @Test
    @Order(1)
    void gpgDepartmentOnOpenSshCompletesTheRoundTrip() throws Exception {
        sendCouncilBatch("E10000012_2017-01_01.csv.gpg", 12);
        await(() -> uncheck(this::extractOnServer).isPresent(), "extract uploaded to the department's sshd");
        Path extract = extractOnServer().orElseThrow();
        String extractId = extract.getFileName().toString().replaceAll(".*_([0-9a-f]{32})\\.csv\\.pgp", "$1");

        // The department, with gpg only: decrypt, check the gateway's signature, read the tokens.
        Path work = Files.createTempDirectory("lg-dept");
        GpgCli.Result opened = gpg.decrypt(extract, work.resolve("extract.csv"), new char[0]);
        assertThat(opened.succeeded()).as(opened.stderr()).isTrue();
        assertThat(opened.hasStatus("GOODSIG")).isTrue();
        Map<String, List<String>> sent = new java.util.LinkedHashMap<>();
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(Files.readString(work.resolve("extract.csv"))))) {
            assertThat(parser.getHeaderNames()).containsExactly("pseudo_id", "forename", "surname", "date_of_birth");
            parser.getRecords().forEach(r -> sent.put(r.get("pseudo_id"), r.toList()));
        }
        assertThat(sent).hasSize(12);

        // Its return, made and signed by gpg, written on its own server under a temporary name.
        Department department = registry.requireDepartment(CODE);
        Path plaintext = Files.write(work.resolve("return.csv"), new DemoReturns(new Random(3))
                .returnFile(department.returnDataset("HES").orElseThrow(), sent, 100));
        String returnName = CODE + "_HES_" + extractId + ".csv.gpg";

        // First a return the gateway must refuse (a column HES does not declare), then the corrected
        // file under the same name: each gets a report of its own (CONTRACT: names unique per
        // received file), although the department's server refuses to overwrite.
        Path wrong = Files.write(work.resolve("wrong.csv"), (Files.readString(plaintext).replaceFirst("\n", ",extra\n")
                .replaceAll("(?m)^([0-9a-f]{64},.*)$", "$1,x")).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        putOnServer(wrong, returnName, work);
        await(() -> "REJECTED".equals(status(returnName)), "the wrong return rejected");
        await(() -> reportSent(returnName, "REJECTED") != null, "its report sent");
        assertThat(open(reportSent(returnName, "REJECTED"), work).get("status").asText()).isEqualTo("REJECTED");

        putOnServer(plaintext, returnName, work);
        await(() -> "ACCEPTED".equals(status(returnName)), "return collected and accepted");
        await(() -> !Files.exists(sshd.baseDir().resolve("returns").resolve(returnName)), "remote return removed after loading");
        await(() -> reportSent(returnName, "ACCEPTED") != null, "report uploaded to the department");
        assertThat(open(reportSent(returnName, "ACCEPTED"), work).get("status").asText()).isEqualTo("ACCEPTED");
        try (Stream<Path> reports = Files.list(sshd.baseDir().resolve("upload"))) {
            assertThat(reports.filter(p -> p.getFileName().toString().startsWith(returnName)).count())
                    .as("both reports are on the department's server").isEqualTo(2);
        }
        assertThat(jdbc.queryForObject("select count(*) from linked_dataset where department_code = ? and dataset = 'HES'",
                Long.class, CODE)).isEqualTo(12);
        assertThat(jdbc.queryForObject("select status from extract where id = ?", String.class, extractId)).isEqualTo("RETURNED");
        Files.delete(extract);
    }

    @Test
    @Order(2)
    void anEndpointThatRefusesUsIsRetriedAndDeliveredExactlyOnce() throws Exception {
        sshd.revokeAll();
        String intake = sendCouncilBatch("E10000012_2017-02_01.csv.gpg", 3);
        await(() -> attempts(intake) >= 2, "failed deliveries retried");
        assertThat(extractOnServer()).isEmpty();
        sshd.authorize(gatewayKeyLine);
        await(() -> "SENT".equals(extractStatus(intake)), "delivered once the endpoint accepts us");
        try (Stream<Path> files = Files.list(sshd.baseDir().resolve("upload"))) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith(CODE + "_2017-02")).count()).isEqualTo(1);
        }
        Files.delete(extractOnServer().orElseThrow());
    }

    @Test
    @Order(3)
    void aChangedHostKeyIsRefused() throws Exception {
        String pinned = Files.readString(knownHosts);
        // Pin a different key for the host: the real server now looks like an impostor.
        String impostor = OpenSshServer.generateKey(Files.createTempDirectory("lg-other").resolve("k"), "other");
        Files.writeString(knownHosts, "[" + sshd.host() + "]:" + sshd.port() + " " + impostor.split(" ")[0] + " "
                + impostor.split(" ")[1] + "\n");
        String intake = sendCouncilBatch("E10000012_2017-03_01.csv.gpg", 2);
        await(() -> attempts(intake) >= 2, "deliveries refused on the changed host key");
        assertThat(jdbc.queryForObject("select last_error from extract where intake_id = ? and department_code = ?",
                String.class, intake, CODE)).isEqualTo("HostKeyRejectedException(CHANGED)");
        assertThat(jdbc.queryForObject("select count(*) from alert where category = 'HOST_KEY_REJECTED' and partner_code = ?",
                Long.class, CODE)).isEqualTo(1);
        assertThat(extractOnServer()).isEmpty();
        Files.writeString(knownHosts, pinned);
        await(() -> "SENT".equals(extractStatus(intake)), "delivered once the right key is pinned again");
    }

    int attempts(String intake) {
        return jdbc.queryForObject("select attempts from extract where intake_id = ? and department_code = ?",
                Integer.class, intake, CODE);
    }

    String extractStatus(String intake) {
        return jdbc.queryForObject("select status from extract where intake_id = ? and department_code = ?",
                String.class, intake, CODE);
    }

    /** Encrypts and signs the return with gpg and puts it on the department's server as it would: temporary name, rename. */
    void putOnServer(Path plaintext, String returnName, Path work) throws Exception {
        Path encrypted = work.resolve(returnName);
        Files.deleteIfExists(encrypted);
        gpg.encryptAndSign(plaintext, encrypted, gatewayFingerprint(), departmentFingerprint, new char[0],
                "--trust-model", "always");
        Path partial = sshd.baseDir().resolve("returns").resolve(returnName + ".part");
        Files.copy(encrypted, partial);
        Files.move(partial, sshd.baseDir().resolve("returns").resolve(returnName), StandardCopyOption.ATOMIC_MOVE);
    }

    /** The report on the server for the return of this name and outcome, once it was sent. */
    Path reportSent(String returnName, String status) {
        List<String> names = jdbc.queryForList("select report_name from return_file where file_name = ? and status = ?"
                + " and report_sent_at is not null", String.class, returnName, status);
        return names.isEmpty() ? null : sshd.baseDir().resolve("upload").resolve(names.get(0));
    }

    JsonNode open(Path report, Path work) throws Exception {
        Path json = work.resolve(report.getFileName() + ".json");
        GpgCli.Result opened = gpg.decrypt(report, json, new char[0]);
        assertThat(opened.hasStatus("GOODSIG")).isTrue();
        return new ObjectMapper().readTree(json.toFile());
    }

    String status(String returnName) {
        List<String> statuses = jdbc.queryForList("select status from return_file where file_name = ?"
                + " order by received_at desc", String.class, returnName);
        return statuses.isEmpty() ? null : statuses.get(0);
    }

    String gatewayFingerprint() throws IOException {
        GpgCli.Result keys = gpg.run(List.of("--with-colons", "--list-keys", "gateway@linkgate.invalid"));
        return keys.stdout().lines().filter(l -> l.startsWith("fpr:")).map(l -> l.split(":")[9]).findFirst().orElseThrow();
    }

    interface IoSupplier<T> {
        T get() throws IOException;
    }

    static <T> T uncheck(IoSupplier<T> supplier) {
        try {
            return supplier.get();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
