package org.linkgate.benchmark;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.linkgate.intake.GatewayTestHome;
import org.linkgate.store.TestDatabases;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link GatewayBenchmark} on the local PostgreSQL ({@code -Dlinkgate.test.postgres-url}, default
 * 127.0.0.1:5432/test), in a schema of its own ({@code lg_bench_…}, dropped by the next run).
 */
@SpringBootTest
@DirtiesContext
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
@EnabledIfSystemProperty(named = "benchmark.databases", matches = ".*postgres.*")
class PostgresIntakeBenchmark extends GatewayBenchmark {

    static final Path HOME = GatewayTestHome.create();
    static final String SCHEMA = newSchema();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        common(registry, HOME);
        registry.add("spring.datasource.url", () -> TestDatabases.POSTGRES_URL + "?currentSchema=" + SCHEMA);
        registry.add("spring.datasource.username", () -> TestDatabases.POSTGRES_USER);
        registry.add("spring.flyway.schemas", () -> SCHEMA);
    }

    /**
     * A fresh schema; those of earlier runs are dropped first (not at the end: the gateway still
     * polls its schema until the JVM ends).
     */
    static String newSchema() {
        String schema = "lg_bench_" + Long.toHexString(System.nanoTime());
        try (Connection c = DriverManager.getConnection(TestDatabases.POSTGRES_URL, TestDatabases.POSTGRES_USER, "");
             Statement statement = c.createStatement()) {
            List<String> stale = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("select schema_name from information_schema.schemata"
                    + " where schema_name like 'lg\\_bench\\_%'")) {
                while (rs.next()) {
                    stale.add(rs.getString(1));
                }
            }
            for (String old : stale) {
                statement.execute("drop schema " + old + " cascade");
            }
            statement.execute("create schema " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL must run at " + TestDatabases.POSTGRES_URL + " for this benchmark", e);
        }
        return schema;
    }

    @Override
    String database() {
        return "PostgreSQL";
    }
}
