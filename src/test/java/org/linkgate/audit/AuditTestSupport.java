package org.linkgate.audit;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.bouncycastle.openpgp.PGPException;
import org.flywaydb.core.Flyway;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.GeneratedPgpKey;
import org.linkgate.crypto.PgpKeyPairGenerator;
import org.linkgate.store.TestDatabases;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Databases, keys, clocks and tampering for the audit tests.
 *
 * <p>Databases are migrated as Spring Boot migrates them: the SQL scripts plus the Java migration
 * {@link AuditChainMigration}, so PostgreSQL has its append-only triggers.
 *
 * <p>Tampering on PostgreSQL: the tests connect as the table owner ({@code postgres}, a superuser),
 * which the triggers do not stop from {@code alter table ... disable trigger user}. {@link #tamper}
 * disables the triggers, makes the change and enables them again, as an attacker holding the owner
 * role could; the application's role, which may not alter the table, cannot.
 */
final class AuditTestSupport {

    static final char[] PASSPHRASE = "test-only passphrase".toCharArray();
    private static GeneratedPgpKey gatewayKey;

    private AuditTestSupport() {
    }

    static DataSource h2() {
        DataSource ds = TestDatabases.h2();
        withChainMigration(Flyway.configure().dataSource(ds)).load().migrate();
        return ds;
    }

    static DataSource postgres() {
        return postgres(null);
    }

    /** A fresh PostgreSQL schema migrated to {@code target} (null: latest). */
    static DataSource postgres(String target) {
        String schema = TestDatabases.newPostgresSchema();
        DataSource ds = new DriverManagerDataSource(TestDatabases.POSTGRES_URL + "?currentSchema=" + schema,
                TestDatabases.POSTGRES_USER, "");
        migrate(ds, schema, target);
        return ds;
    }

    /** The schema a {@link #postgres(String)} data source works in. */
    static String schemaOf(DataSource ds) {
        return new JdbcTemplate(ds).queryForObject("select current_schema()", String.class);
    }

    /** A fresh H2 database migrated to {@code target}. */
    static DataSource h2(String target) {
        DataSource ds = new DriverManagerDataSource("jdbc:h2:mem:" + java.util.UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "");
        migrate(ds, null, target);
        return ds;
    }

    static void migrate(DataSource ds, String schema, String target) {
        var config = withChainMigration(Flyway.configure().dataSource(ds));
        if (schema != null) {
            config.schemas(schema).defaultSchema(schema);
        }
        if (target != null) {
            config.target(target);
        }
        config.load().migrate();
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration withChainMigration(
            org.flywaydb.core.api.configuration.FluentConfiguration config) {
        return config.locations("classpath:db/migration").javaMigrations(new AuditChainMigration());
    }

    static boolean isPostgres(DataSource ds) {
        return new JdbcTemplate(ds).execute((java.sql.Connection c) ->
                c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgresql"));
    }

    /** Makes {@code change} with the append-only triggers lifted (PostgreSQL), as the table owner could. */
    static void tamper(DataSource ds, Consumer<JdbcTemplate> change) {
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        boolean postgres = isPostgres(ds);
        if (postgres) {
            jdbc.execute("alter table audit_event disable trigger user");
            jdbc.execute("alter table audit_chain_head disable trigger user");
        }
        try {
            change.accept(jdbc);
        } finally {
            if (postgres) {
                jdbc.execute("alter table audit_event enable trigger user");
                jdbc.execute("alter table audit_chain_head enable trigger user");
            }
        }
    }

    static synchronized GeneratedPgpKey gatewayKey() throws PGPException {
        if (gatewayKey == null) {
            gatewayKey = new PgpKeyPairGenerator().generate("Linkgate Test Gateway <gateway@example.invalid>",
                    PASSPHRASE, PgpKeyPairGenerator.KeyAlgorithm.CURVE25519);
        }
        return gatewayKey;
    }

    static GatewayPgpKey unlockedGatewayKey() throws PGPException {
        return new GatewayPgpKey(gatewayKey().secret(), PASSPHRASE);
    }

    /** A clock that moves one second (plus some nanoseconds, which the chain truncates) per reading. */
    static final class TickingClock extends Clock {

        private final Instant start;
        private final AtomicLong ticks = new AtomicLong();

        TickingClock(Instant start) {
            this.start = start;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return start.plus(ticks.getAndIncrement(), ChronoUnit.SECONDS).plusNanos(123_456_789);
        }
    }
}
