package org.linkgate.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assumptions;
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

    /** A fresh, migrated schema in the local PostgreSQL. */
    public static DataSource postgres() {
        String schema = newPostgresSchema();
        DataSource ds = new DriverManagerDataSource(POSTGRES_URL + "?currentSchema=" + schema, POSTGRES_USER, "");
        migrate(ds, schema);
        return ds;
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
