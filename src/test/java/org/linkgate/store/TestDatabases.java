package org.linkgate.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assumptions;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.jdbc.datasource.AbstractDataSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Real databases for store tests: H2 (the zero-set-up default) and the PostgreSQL this machine
 * runs on 127.0.0.1:5432 (database {@code test}), each test run in a schema of its own. In CI
 * PostgreSQL must be there; elsewhere the PostgreSQL half skips with the reason.
 */
public final class TestDatabases {

    public static final String POSTGRES_URL = System.getProperty("linkgate.test.postgres-url",
            "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String POSTGRES_USER = System.getProperty("linkgate.test.postgres-user", "postgres");

    private TestDatabases() {
    }

    public static DataSource h2() {
        DataSource ds = new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "");
        migrate(ds, null);
        return ds;
    }

    /**
     * A fresh, migrated schema in the local PostgreSQL. Its connections come from one small pool per
     * test JVM, each set to the schema when borrowed (HikariCP resets it when the connection goes
     * back): opening a PostgreSQL connection per statement cost about 20 ms, most of a store test's time.
     */
    public static DataSource postgres() {
        String schema = newPostgresSchema();
        DataSource ds = new SchemaDataSource(pool(), schema);
        migrate(ds, schema);
        return ds;
    }

    private static HikariDataSource pool;

    private static synchronized HikariDataSource pool() {
        if (pool == null) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(POSTGRES_URL);
            config.setUsername(POSTGRES_USER);
            config.setPassword("");
            config.setPoolName("test-postgres");
            // Tests that hold a lock on one connection and wait on another need a few; two test JVMs
            // run side by side, far below PostgreSQL's 100 connections.
            config.setMaximumPoolSize(12);
            config.setMinimumIdle(0);
            pool = new HikariDataSource(config);
            Runtime.getRuntime().addShutdownHook(new Thread(pool::close));
        }
        return pool;
    }

    /** Connections from the shared pool, each set to one test's schema. */
    private static final class SchemaDataSource extends AbstractDataSource {
        private final DataSource pool;
        private final String schema;

        SchemaDataSource(DataSource pool, String schema) {
            this.pool = pool;
            this.schema = schema;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection c = pool.getConnection();
            try {
                c.setSchema(schema);
                return c;
            } catch (SQLException e) {
                c.close();
                throw e;
            }
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            throw new SQLException("test schemas use the shared pool's user");
        }
    }

    /** Creates an empty schema and returns its name; skips (or fails in CI) if PostgreSQL is not running. */
    public static String newPostgresSchema() {
        String schema = "lg_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(POSTGRES_URL, POSTGRES_USER, "")) {
            c.createStatement().execute("create schema " + schema);
        } catch (SQLException e) {
            if (System.getenv("CI") != null) {
                throw new IllegalStateException("PostgreSQL must run for CI at " + POSTGRES_URL, e);
            }
            Assumptions.abort("PostgreSQL not reachable at " + POSTGRES_URL + " (" + e.getMessage()
                    + "); start it with pg_ctlcluster to run the PostgreSQL half of the store tests");
        }
        return schema;
    }

    private static void migrate(DataSource ds, String schema) {
        var config = Flyway.configure().dataSource(ds).locations("classpath:db/migration")
                .javaMigrations(new org.linkgate.audit.AuditChainMigration());
        if (schema != null) {
            config.schemas(schema).defaultSchema(schema);
        }
        config.load().migrate();
    }
}
