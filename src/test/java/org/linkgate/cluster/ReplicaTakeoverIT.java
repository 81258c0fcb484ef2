package org.linkgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.linkgate.demo.DemoBootstrap;
import org.linkgate.demo.PartnerSftpClient;
import org.linkgate.demo.SyntheticBatchGenerator;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.store.TestDatabases;
import org.linkgate.support.CouncilSide;
import org.linkgate.support.GatewayHttp;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Two real gateway processes share one gateway home (the partners' SFTP homes) and one
 * PostgreSQL schema, in cluster mode {@code database}. A council uploads a large batch and
 * some small ones through the standby's SFTP server; while the active replica is in the middle
 * of the large batch it is killed ({@code kill -9}). The standby takes the intake over: every
 * file ends processed exactly once (one ledger row, every row stored once, one report, archived),
 * its extract goes out once, and the audit chain verifies.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicaTakeoverIT {

    static final String COUNCIL = DemoBootstrap.DEMO_COUNCIL;
    static final String INTAKE_NAMESPACE = GatewayCluster.namespace("intake-" + COUNCIL.toLowerCase());
    static final int LARGE_ROWS = Integer.getInteger("linkgate.test.takeover-rows", 40_000);
    static final int SMALL_ROWS = 300;
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    static final Duration DONE_TIMEOUT = Duration.ofSeconds(120);

    Path dir;
    GatewayHome home;
    String jdbcUrl;
    JdbcTemplate jdbc;
    final Map<String, Replica> replicas = new LinkedHashMap<>();

    record Replica(String name, Process process, int httpPort, int sftpPort, Path log) {
    }

    @BeforeAll
    void startTwoReplicas() throws Exception {
        String schema = TestDatabases.newPostgresSchema();
        jdbcUrl = TestDatabases.POSTGRES_URL + "?currentSchema=" + schema;
        jdbc = new JdbcTemplate(new DriverManagerDataSource(jdbcUrl, TestDatabases.POSTGRES_USER, ""));
        dir = Files.createTempDirectory("linkgate-replicas-");
        home = new GatewayHome(dir, dir.resolve("secrets"));
        // The demo council and a single department (DFE), so the fan-out is exercised but stays short.
        Files.createDirectories(home.departmentsDir());
        DemoBootstrap.prepare(home);
        DemoBootstrap.createDemoDepartment(home, DemoBootstrap.DemoDepartment.DFE);
        DemoBootstrap.writeDemoAgreement(home);

        // replica-a reads the repository's routes/; replica-b reads them as the Kubernetes
        // Deployment does: k8s/base/routes mounted flat like a ConfigMap volume (..data links).
        replicas.put("replica-a", start("replica-a", "--linkgate.routes-dir=" + Path.of("routes").toAbsolutePath()));
        replicas.put("replica-b", start("replica-b", "--camel.main.routes-include-pattern=file:"
                + configMapLikeRoutes() + "/*.camel.yaml"));
        for (Replica replica : replicas.values()) {
            awaitUp(replica);
        }
        // Each replica writes the known-hosts line partners pin, naming its own port; here the two
        // listen on different ports of one host, so the council pins the (shared) host key on both.
        Path knownHosts = home.gatewayKeyDir().resolve(org.linkgate.kernel.GatewaySecrets.SSH_KNOWN_HOSTS);
        List<String> keys = Files.readAllLines(knownHosts).stream().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(l -> l.substring(l.indexOf(' ') + 1)).distinct().toList();
        assertThat(keys).as("one host key shared by both replicas").hasSize(1);
        Files.write(knownHosts, replicas.values().stream()
                .flatMap(r -> Stream.of("localhost", "127.0.0.1").map(h -> "[" + h + "]:" + r.sftpPort() + " " + keys.get(0)))
                .toList());
    }

    @AfterAll
    void stopReplicas() throws InterruptedException {
        for (Replica replica : replicas.values()) {
            if (replica.process().isAlive()) {
                replica.process().destroy();
                if (!replica.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    replica.process().destroyForcibly();
                }
            }
        }
    }

    @Test
    void theStandbyTakesOverAKilledReplicasBatchAndEveryFileIsProcessedExactlyOnce() throws Exception {
        Replica active = replicas.get(await("a replica leads " + INTAKE_NAMESPACE, Duration.ofSeconds(30),
                () -> jdbc.queryForList("select holder from cluster_lease where namespace = ?", String.class,
                        INTAKE_NAMESPACE).stream().findFirst().orElse(null)));
        Replica standby = replicas.values().stream().filter(r -> r != active).findFirst().orElseThrow();
        assertThat(active).as("the lease holder is one of the two replicas").isNotNull();

        // The council: a large batch, then small ones, all through the standby's SFTP server
        // (any replica serves uploads: the homes are shared).
        CouncilSide council = new CouncilSide(COUNCIL, home, standby.sftpPort());
        Map<String, Integer> batches = new LinkedHashMap<>();
        batches.put(COUNCIL + "_2015-01_01.csv.gpg", LARGE_ROWS);
        batches.put(COUNCIL + "_2015-02_01.csv.gpg", SMALL_ROWS);
        batches.put(COUNCIL + "_2015-03_01.csv.gpg", SMALL_ROWS);
        batches.put(COUNCIL + "_2015-04_01.csv.gpg", SMALL_ROWS);
        Map<String, byte[]> sealed = new LinkedHashMap<>();
        long seed = 11;
        for (Map.Entry<String, Integer> batch : batches.entrySet()) {
            StringWriter csv = new StringWriter();
            new SyntheticBatchGenerator(seed++, LocalDate.of(2015, 6, 30)).write(csv, batch.getValue());
            sealed.put(batch.getKey(), council.encryptAndSign(csv.toString().getBytes(StandardCharsets.UTF_8)));
        }
        try (PartnerSftpClient client = council.connect()) {
            for (Map.Entry<String, byte[]> file : sealed.entrySet()) {
                try (InputStream in = new ByteArrayInputStream(file.getValue())) {
                    client.upload(in, "inbound", file.getKey());
                }
            }
        }
        String large = batches.keySet().iterator().next();

        // Mid-batch: the ledger holds the large file as received, nothing committed yet.
        await("the active replica " + active.name() + " starts the large batch", Duration.ofSeconds(60),
                () -> jdbc.queryForList("select id from intake_file where file_name = ?", String.class, large)
                        .stream().findFirst().orElse(null));
        Thread.sleep(1500);
        active.process().destroyForcibly();
        assertThat(active.process().waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).as("killed").isTrue();
        Map<String, Object> atKill = jdbc.queryForMap("select status, completed_at, attempts from intake_file"
                + " where file_name = ?", large);
        assertThat(atKill.get("completed_at"))
                .as("the large batch must still be in progress when its replica is killed; raise"
                        + " -Dlinkgate.test.takeover-rows (now " + LARGE_ROWS + ")").isNull();
        assertThat(atKill.get("status")).isEqualTo("RECEIVED");

        // The standby takes over and every file gets its report.
        for (Map.Entry<String, Integer> batch : batches.entrySet()) {
            JsonNode report;
            try {
                report = council.awaitReport(batch.getKey(), DONE_TIMEOUT);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + logTail(standby), e);
            }
            assertThat(report.get("status").asText()).as(batch.getKey()).isEqualTo("ACCEPTED");
            assertThat(report.get("counts").get("rows").asLong()).as(batch.getKey()).isEqualTo(batch.getValue().longValue());
            assertThat(report.get("counts").get("accepted").asLong()).as(batch.getKey()).isEqualTo(batch.getValue().longValue());
        }
        assertThat(jdbc.queryForObject("select holder from cluster_lease where namespace = ?", String.class,
                INTAKE_NAMESPACE)).as("the standby holds the intake lease").isEqualTo(standby.name());

        // Exactly once: one ledger row per file, each final and archived, every row stored once.
        List<String> intakeIds = new ArrayList<>();
        for (Map.Entry<String, Integer> batch : batches.entrySet()) {
            List<Map<String, Object>> rows = jdbc.queryForList("select id, status, rows_total, rows_accepted,"
                    + " attempts, archived_at, report_sent_at from intake_file where file_name = ?", batch.getKey());
            assertThat(rows).as("ledger rows of " + batch.getKey()).hasSize(1);
            Map<String, Object> row = rows.get(0);
            assertThat(row.get("status")).isEqualTo("ACCEPTED");
            assertThat(((Number) row.get("rows_total")).longValue()).isEqualTo(batch.getValue().longValue());
            assertThat(row.get("archived_at")).isNotNull();
            assertThat(row.get("report_sent_at")).isNotNull();
            String id = (String) row.get("id");
            intakeIds.add(id);
            assertThat(jdbc.queryForObject("select count(*) from research_record where intake_id = ?", Long.class, id))
                    .as("research records of " + batch.getKey()).isEqualTo(batch.getValue().longValue());
            assertThat(auditCount("FILE_ACCEPTED", id)).as("accepted once: " + batch.getKey()).isEqualTo(1);
            assertThat(auditCount("FILE_RECEIVED", id)).as("received once: " + batch.getKey()).isEqualTo(1);
        }
        assertThat(((Number) jdbc.queryForMap("select attempts from intake_file where file_name = ?", large)
                .get("attempts")).intValue()).as("the large batch was resumed after the kill").isGreaterThanOrEqualTo(2);
        assertThat(jdbc.queryForObject("select count(*) from intake_file", Long.class)).isEqualTo(batches.size());
        assertThat(jdbc.queryForObject("select count(*) from received_content", Long.class)).isEqualTo(batches.size());
        assertThat(jdbc.queryForObject("select count(*) from research_record", Long.class))
                .as("no research records left over from the killed attempt")
                .isEqualTo(batches.values().stream().mapToLong(Integer::longValue).sum());

        // One report per file in outbound, nothing left in inbound, every file archived once.
        Path sftpHome = home.sftpHome(COUNCIL.toLowerCase());
        assertThat(list(sftpHome.resolve("outbound"))).containsExactlyInAnyOrderElementsOf(
                batches.keySet().stream().map(n -> n + ".report.json.pgp").toList());
        assertThat(list(sftpHome.resolve("inbound"))).isEmpty();
        assertThat(list(home.root().resolve("archive").resolve(COUNCIL))).hasSize(batches.size());

        // Fan-out under the master too: one extract per batch to DFE, each delivered once.
        await("every extract to DFE sent", DONE_TIMEOUT, () -> {
            Long unsent = jdbc.queryForObject("select count(*) from extract where status <> 'SENT'", Long.class);
            return unsent == 0 ? "done" : null;
        });
        List<String> extractFiles = jdbc.queryForList("select file_name from extract where department_code = 'DFE'",
                String.class);
        assertThat(extractFiles).hasSize(batches.size()).doesNotHaveDuplicates();
        assertThat(list(home.sftpHome("dfe").resolve("upload"))).containsExactlyInAnyOrderElementsOf(extractFiles);
        assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type = 'EXTRACT_SENT'", Long.class))
                .isEqualTo(batches.size());

        // The audit chain written by both replicas verifies.
        GatewayHttp http = new GatewayHttp(standby.httpPort(), home.demoDir().resolve("http-users.txt"));
        HttpResponse<String> verify = http.get("/api/audit/verify", "auditor");
        assertThat(verify.statusCode()).isEqualTo(200);
        assertThat(GatewayHttp.json(verify).get("intact").asBoolean()).as(verify.body()).isTrue();

        // Operators see who leads what: the survivor now leads the intake.
        GatewayHttp operator = new GatewayHttp(standby.httpPort(), home.demoDir().resolve("http-users.txt"));
        HttpResponse<String> cluster = operator.get("/api/ops/cluster", "operator");
        assertThat(cluster.statusCode()).as(cluster.body()).isEqualTo(200);
        JsonNode status = GatewayHttp.json(cluster);
        assertThat(status.get("mode").asText()).isEqualTo("database");
        assertThat(status.get("member").asText()).isEqualTo(standby.name());
        List<JsonNode> intake = Stream.of(status.get("namespaces")).flatMap(n -> java.util.stream.StreamSupport
                .stream(n.spliterator(), false)).filter(n -> n.get("namespace").asText().equals(INTAKE_NAMESPACE)).toList();
        assertThat(intake).hasSize(1);
        assertThat(intake.get(0).get("leader").asText()).isEqualTo(standby.name());
        assertThat(intake.get(0).get("local").asBoolean()).isTrue();
        assertThat(new GatewayHttp(standby.httpPort(), home.demoDir().resolve("http-users.txt"))
                .get("/api/ops/cluster", "analyst").statusCode()).as("analysts may not").isEqualTo(403);
    }

    long auditCount(String type, String intakeId) {
        return jdbc.queryForObject("select count(*) from audit_event where event_type = ? and subject_id = ?",
                Long.class, type, intakeId);
    }

    static List<String> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".")).toList();
        }
    }

    /** A directory laid out as kubelet mounts a ConfigMap: files are links into ..data, itself a link. */
    Path configMapLikeRoutes() throws IOException {
        Path mount = Files.createDirectories(dir.resolve("routes-configmap"));
        Path version = Files.createDirectories(mount.resolve("..2026_01_01_00_00_00.000000001"));
        Files.createSymbolicLink(mount.resolve("..data"), version.getFileName());
        try (Stream<Path> files = Files.list(Path.of("k8s/base/routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                Files.copy(file, version.resolve(file.getFileName()));
                Files.createSymbolicLink(mount.resolve(file.getFileName()), Path.of("..data").resolve(file.getFileName()));
            }
        }
        return mount;
    }

    Replica start(String name, String routes) throws IOException {
        int http = freePort();
        int sftp = freePort();
        Path log = dir.resolve(name + ".log");
        Path argFile = dir.resolve(name + ".args");
        // The class path may be long: an argument file keeps it off the command line.
        Files.writeString(argFile, "-cp \"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"\n");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "@" + argFile,
                "org.linkgate.LinkgateApplication",
                "--linkgate.home=" + dir,
                "--linkgate.bootstrap-demo=false",
                routes,
                "--linkgate.sftp.port=" + sftp,
                "--linkgate.sftp.bind-host=127.0.0.1",
                "--server.port=" + http,
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=" + TestDatabases.POSTGRES_USER,
                "--spring.datasource.password=",
                "--linkgate.intake.poll-interval=200ms",
                "--linkgate.intake.stable-for=300ms",
                "--linkgate.departments.poll-interval=1s",
                "--linkgate.cluster.mode=database",
                "--linkgate.cluster.member-id=" + name,
                "--linkgate.cluster.lease-duration=4s",
                "--linkgate.cluster.renew-deadline=2500ms",
                "--linkgate.cluster.retry-period=500ms"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new Replica(name, process, http, sftp, log);
    }

    void awaitUp(Replica replica) throws InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        long end = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!replica.process().isAlive()) {
                throw new AssertionError(replica.name() + " exited with " + replica.process().exitValue() + "\n"
                        + logTail(replica));
            }
            try {
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + replica.httpPort() + "/actuator/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    try (Socket ignored = new Socket("127.0.0.1", replica.sftpPort())) {
                        return;
                    }
                }
            } catch (IOException notYet) {
                // starting
            }
            if (System.nanoTime() > end) {
                throw new AssertionError(replica.name() + " not up within " + START_TIMEOUT + "\n" + logTail(replica));
            }
            Thread.sleep(500);
        }
    }

    static <T> T await(String what, Duration timeout, Supplier<T> probe) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }

    static String logTail(Replica replica) {
        try {
            List<String> lines = Files.readAllLines(replica.log(), StandardCharsets.UTF_8);
            return "--- last lines of " + replica.name() + " (" + replica.log() + ") ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
