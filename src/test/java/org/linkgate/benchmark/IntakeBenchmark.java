package org.linkgate.benchmark;

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
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.PgpKeys;
import org.linkgate.demo.DemoBootstrap;
import org.linkgate.demo.DemoCouncilDrop;
import org.linkgate.demo.DemoPartnerFiles;
import org.linkgate.intake.GatewayTestHome;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.GatewaySecrets;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Intake and fan-out benchmark (not part of the test suite): for each size in
 * {@code -Dbenchmark.rows} (default 100000,1000000) it generates a synthetic batch, encrypts and
 * signs it as the demo council, drops it in the inbound folder and times drop → committed
 * research records (intake), then → extracts delivered to all six demo departments (fan-out).
 * It prints rows/s, MB/s, peak heap used and the live heap (after a full GC, forced every ten
 * seconds), the figure that must stay flat as rows grow. Run: {@code ./mvnw -Pbenchmark verify}
 * (heap capped at 256 MB).
 */
@SpringBootTest
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class IntakeBenchmark {

    static final Path HOME = GatewayTestHome.create();
    /** -Dbenchmark.fanout=false times intake alone. */
    static final boolean FANOUT = Boolean.parseBoolean(System.getProperty("benchmark.fanout", "true"));

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestHome.register(registry, HOME);
        registry.add("spring.datasource.url", () -> System.getProperty("benchmark.jdbc-url",
                "jdbc:h2:file:" + HOME + "/db/linkgate;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;MAX_MEMORY_ROWS=2000;LOCK_TIMEOUT=10000;CACHE_SIZE=16384"));
        registry.add("spring.datasource.username", () -> System.getProperty("benchmark.jdbc-user", "linkgate"));
        if (!FANOUT) {
            // Intake alone: the department routes do not run, so nothing competes with the next batch.
            registry.add("linkgate.departments.poll-interval", () -> "1h");
        }
        if (System.getProperty("benchmark.schema") != null) {
            registry.add("spring.flyway.schemas", () -> System.getProperty("benchmark.schema"));
            registry.add("spring.flyway.create-schemas", () -> "true");
        }
    }

    @Autowired
    GatewayHome home;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void intakeThroughput() throws Exception {
        List<Long> sizes = Arrays.stream(System.getProperty("benchmark.rows", "100000,1000000").split(","))
                .map(String::trim).map(Long::parseLong).toList();
        Path side = home.demoDir().resolve(DemoBootstrap.DEMO_COUNCIL);
        PGPPublicKeyRing gateway = PgpKeys.readPublicKeyRing(home.gatewayKeyDir().resolve(GatewaySecrets.GATEWAY_PUBLIC_KEY));
        GatewayPgpKey council = DemoPartnerFiles.pgpKey(side);
        System.out.printf("%nLinkgate intake benchmark, max heap %d MB, %d cores, database %s%n",
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(),
                jdbc.getDataSource().getConnection().getMetaData().getDatabaseProductName());
        System.out.printf("%10s %10s %10s %10s %9s %12s %12s %12s %10s%n", "rows", "cipher MB", "intake s", "rows/s",
                "MB/s", "fan-out s", "extract rows", "peak heap MB", "live MB");
        int sequence = 0;
        for (long rows : sizes) {
            sequence++;
            Path encrypted = Files.createTempFile(HOME, "bench-", ".gpg");
            DemoCouncilDrop.encryptSyntheticBatch(rows, LocalDate.of(2015, 6, 30), gateway, council, encrypted);
            long bytes = Files.size(encrypted);
            String name = String.format("%s_2015-%02d_%02d.csv.gpg", DemoBootstrap.DEMO_COUNCIL, sequence, sequence);
            System.gc();
            HeapWatch watch = new HeapWatch();
            long start = System.nanoTime();
            Files.move(encrypted, home.inbound(DemoBootstrap.DEMO_COUNCIL).resolve(name), StandardCopyOption.ATOMIC_MOVE);
            Map<String, Object> done = awaitOutcome(name);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (!"ACCEPTED".equals(done.get("status")) || ((Number) done.get("rows_accepted")).longValue() != rows) {
                throw new AssertionError("benchmark batch not accepted whole: " + done);
            }
            long fanoutStart = System.nanoTime();
            long extractRows = FANOUT ? awaitFanout(name) : 0;
            double fanoutSeconds = FANOUT ? (System.nanoTime() - fanoutStart) / 1e9 : 0;
            watch.stop();
            System.out.printf("%10d %10.1f %10.1f %10.0f %9.2f %12.1f %12d %12d %10d%n", rows, bytes / 1e6, seconds,
                    rows / seconds, bytes / 1e6 / seconds, fanoutSeconds, extractRows, watch.peakUsed() >> 20,
                    watch.maxLiveAfterGc() >> 20);
        }
    }

    /** Waits until every department's extract of the batch is delivered; returns the rows sent in all. */
    private long awaitFanout(String name) throws InterruptedException {
        while (true) {
            List<Map<String, Object>> extracts = jdbc.queryForList("select e.status, e.rows_sent from extract e"
                    + " join intake_file f on f.id = e.intake_id where f.file_name = ?", name);
            if (!extracts.isEmpty() && extracts.stream().allMatch(e -> !"PENDING".equals(e.get("status")))) {
                return extracts.stream().mapToLong(e -> ((Number) e.get("rows_sent")).longValue()).sum();
            }
            Thread.sleep(250);
        }
    }

    private Map<String, Object> awaitOutcome(String name) throws InterruptedException {
        while (true) {
            List<Map<String, Object>> rows = jdbc.queryForList("select status, rows_accepted from intake_file"
                    + " where file_name = ? and status <> 'RECEIVED'", name);
            if (!rows.isEmpty()) {
                return rows.get(0);
            }
            Thread.sleep(250);
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
