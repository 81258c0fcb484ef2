package org.linkgate.benchmark;

import java.nio.file.Path;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.linkgate.intake.GatewayTestHome;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link GatewayBenchmark} on the embedded H2 (file database, as the zero-set-up default runs). */
@SpringBootTest
@DirtiesContext
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
@EnabledIfSystemProperty(named = "benchmark.databases", matches = ".*h2.*")
class H2IntakeBenchmark extends GatewayBenchmark {

    static final Path HOME = GatewayTestHome.create();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        common(registry, HOME);
        registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + HOME + "/db/linkgate;MODE=PostgreSQL;"
                + "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;MAX_MEMORY_ROWS=2000;LOCK_TIMEOUT=10000;CACHE_SIZE="
                + Integer.getInteger("benchmark.h2.cache-kb", 16384));
        registry.add("spring.datasource.username", () -> "linkgate");
    }

    @Override
    String database() {
        return "H2";
    }
}
