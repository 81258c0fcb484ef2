package org.linkgate.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.junit.jupiter.api.Test;
import org.linkgate.agreement.Department;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.PgpKeys;
import org.linkgate.demo.DemoBootstrap;
import org.linkgate.demo.DemoCouncilDrop;
import org.linkgate.demo.DemoPartnerFiles;
import org.linkgate.intake.GatewayTestHome;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.GatewaySecrets;
import org.linkgate.pseudonymisation.PseudonymisationKey;
import org.linkgate.validation.DatasetSchema;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The speed benchmark (not part of the test suite; {@code ./mvnw -Pbenchmark verify}): for each
 * size in {@code -Dbenchmark.rows} (default 100000,1000000) it generates a synthetic batch,
 * encrypts and signs it as the demo council, and times, in the same JVM and the same run, first
 * the {@link Floor} (the same work without database or ledger), then the gateway: drop →
 * committed research records (<i>intake</i>), then → extracts delivered to all six demo
 * departments (<i>fan-out</i>). It prints rows/s, each phase's ratio to the floor, the peak and
 * live heap (heap after a full collection, forced every ten seconds: the figure that must stay
 * flat as rows grow) and the peak RSS of the process for that size. With
 * {@code -Dbenchmark.jfr=true} the gateway's part of each size is recorded with JFR (profile
 * settings) into the build directory. One subclass per database.
 */
abstract class GatewayBenchmark {

    /** -Dbenchmark.fanout=false times intake alone. */
    static final boolean FANOUT = Boolean.parseBoolean(System.getProperty("benchmark.fanout", "true"));
    /** -Dbenchmark.floor=false skips the floor (ratios then print as 0). */
    static final boolean FLOOR = Boolean.parseBoolean(System.getProperty("benchmark.floor", "true"));
    static final boolean JFR = Boolean.parseBoolean(System.getProperty("benchmark.jfr", "false"));
    static final Path OUT = Path.of(System.getProperty("benchmark.out", System.getProperty("java.io.tmpdir")));

    @Autowired
    GatewayHome home;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DatasetSchema schema;
    @Autowired
    PseudonymisationKey pseudonymisationKey;
    @Autowired
    GatewayPgpKey gatewayKey;
    @Autowired
    PartnerRegistry registry;

    /** What the gateway needs whatever the database: the home, fast polls, no department routes without fan-out. */
    static void common(DynamicPropertyRegistry registry, Path home) {
        GatewayTestHome.register(registry, home);
        if (!FANOUT) {
            // Intake alone: the department routes do not run, so nothing competes with the next batch.
            registry.add("linkgate.departments.poll-interval", () -> "1h");
        }
    }

    abstract String database();

    @Test
    void fullPathAgainstTheFloor() throws Exception {
        List<Long> sizes = Arrays.stream(System.getProperty("benchmark.rows", "100000,1000000").split(","))
                .map(String::trim).map(Long::parseLong).toList();
        Path side = home.demoDir().resolve(DemoBootstrap.DEMO_COUNCIL);
        PGPPublicKeyRing gatewayPublic = PgpKeys.readPublicKeyRing(home.gatewayKeyDir().resolve(GatewaySecrets.GATEWAY_PUBLIC_KEY));
        GatewayPgpKey council = DemoPartnerFiles.pgpKey(side);
        PGPPublicKeyRing councilPublic = registry.requireCouncil(DemoBootstrap.DEMO_COUNCIL).pgpPublicKey();
        List<Department> departments = List.copyOf(registry.departments());
        Floor floor = new Floor(schema, pseudonymisationKey, gatewayKey, departments);
        report("%nLinkgate benchmark, %s, max heap %d MB, %d cores, %d departments%n", database(),
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(), departments.size());
        report("%9s %7s | %7s %8s | %7s %8s %5s | %7s %7s | %7s %5s | %6s %6s %6s%n", "rows", "ciph MB",
                "floor s", "rows/s", "intake", "rows/s", "x", "fanout", "ext.rows", "full s", "x", "peakMB", "liveMB",
                "rssMB");
        int sequence = 0;
        for (long rows : sizes) {
            sequence++;
            Path encrypted = Files.createTempFile(home.root(), "bench-", ".gpg");
            DemoCouncilDrop.encryptSyntheticBatch(rows, LocalDate.of(2015, 6, 30), gatewayPublic, council, encrypted);
            long bytes = Files.size(encrypted);
            String name = String.format("%s_2015-%02d_%02d.csv.gpg", DemoBootstrap.DEMO_COUNCIL, sequence, sequence);

            System.gc();
            Floor.Result floored = FLOOR ? floor.run(encrypted, councilPublic,
                    registry.requireCouncil(DemoBootstrap.DEMO_COUNCIL).code(), "2015-" + String.format("%02d", sequence))
                    : new Floor.Result(rows, 0, Double.POSITIVE_INFINITY);

            System.gc();
            PeakRss.reset();
            Recording recording = JFR ? startRecording() : null;
            HeapWatch watch = new HeapWatch();
            long start = System.nanoTime();
            Files.move(encrypted, home.inbound(DemoBootstrap.DEMO_COUNCIL).resolve(name), StandardCopyOption.ATOMIC_MOVE);
            Map<String, Object> done = awaitOutcome(name);
            double intake = (System.nanoTime() - start) / 1e9;
            if (!"ACCEPTED".equals(done.get("status")) || ((Number) done.get("rows_accepted")).longValue() != rows) {
                throw new AssertionError("benchmark batch not accepted whole: " + done);
            }
            long fanoutStart = System.nanoTime();
            long extractRows = FANOUT ? awaitFanout(name) : 0;
            double fanout = FANOUT ? (System.nanoTime() - fanoutStart) / 1e9 : 0;
            watch.stop();
            if (recording != null) {
                Path jfr = OUT.resolve("benchmark-" + database().toLowerCase() + "-" + rows + ".jfr");
                recording.dump(jfr);
                recording.close();
                report("JFR recording: %s%n", jfr);
            }
            double full = intake + fanout;
            report("%9d %7.1f | %7.1f %8.0f | %7.1f %8.0f %5.1f | %7.1f %7d | %7.1f %5.1f | %6d %6d %6d%n",
                    rows, bytes / 1e6, floored.seconds(), rows / floored.seconds(), intake, rows / intake,
                    intake / floored.seconds(), fanout, extractRows, full, full / floored.seconds(),
                    watch.peakUsed() >> 20, watch.maxLiveAfterGc() >> 20, PeakRss.megabytes());
            report("%9s floor extract rows %d (each person per extract as the gateway: %d)%n", "",
                    floored.extractRows(), extractRows);
        }
    }

    /** Prints a line of results, and appends it to {@code benchmark.txt} in the build directory, apart from the logs. */
    private static void report(String format, Object... args) throws IOException {
        String line = String.format(format, args);
        System.out.print(line);
        Files.writeString(OUT.resolve("benchmark.txt"), line, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    private static Recording startRecording() throws IOException, java.text.ParseException {
        Recording recording = new Recording(Configuration.getConfiguration("profile"));
        recording.setToDisk(true);
        recording.start();
        return recording;
    }

    /** Waits until every department's extract of the batch is delivered; returns the rows sent in all. */
    private long awaitFanout(String name) throws InterruptedException {
        while (true) {
            List<Map<String, Object>> extracts = jdbc.queryForList("select e.status, e.rows_sent from extract e"
                    + " join intake_file f on f.id = e.intake_id where f.file_name = ?", name);
            if (!extracts.isEmpty() && extracts.stream().allMatch(e -> !"PENDING".equals(e.get("status")))) {
                return extracts.stream().mapToLong(e -> ((Number) e.get("rows_sent")).longValue()).sum();
            }
            Thread.sleep(100);
        }
    }

    private Map<String, Object> awaitOutcome(String name) throws InterruptedException {
        while (true) {
            List<Map<String, Object>> rows = jdbc.queryForList("select status, rows_accepted from intake_file"
                    + " where file_name = ? and status <> 'RECEIVED'", name);
            if (!rows.isEmpty()) {
                return rows.get(0);
            }
            Thread.sleep(100);
        }
    }

    /** Peak resident set of this process (VmHWM), reset per size where Linux allows it (clear_refs 5). */
    static final class PeakRss {
        private PeakRss() {
        }

        static void reset() {
            try {
                Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            } catch (IOException | RuntimeException e) {
                // Not Linux, or not allowed: the figure is then the process's peak so far.
            }
        }

        static long megabytes() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("VmHWM:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
                    }
                }
            } catch (IOException | RuntimeException e) {
                return -1;
            }
            return -1;
        }
    }

    /**
     * Samples heap use: the peak of heap used, and the live heap — heap used right after a full
     * collection, forced every ten seconds. The live heap is what must stay flat as files grow; the
     * peak only shows how far the collector lets garbage pile up under the cap.
     */
    static final class HeapWatch {
        private final AtomicLong peak = new AtomicLong();
        private final AtomicLong live = new AtomicLong();
        private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        private long ticks;

        HeapWatch() {
            sampler.scheduleAtFixedRate(this::sample, 0, 100, TimeUnit.MILLISECONDS);
        }

        private void sample() {
            peak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
            // A forced full collection every 10 s: often enough to see the live set, rare enough not to slow the run.
            if (ticks++ % 100 == 0) {
                System.gc();
                live.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
            }
        }

        void stop() throws InterruptedException {
            sampler.shutdown();
            sampler.awaitTermination(5, TimeUnit.SECONDS);
        }

        long peakUsed() {
            return peak.get();
        }

        long maxLiveAfterGc() {
            return live.get();
        }
    }
}
