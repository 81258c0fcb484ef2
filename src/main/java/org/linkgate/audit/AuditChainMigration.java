package org.linkgate.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;

/**
 * Flyway migration 3.1, after {@code V3__audit_chain.sql}: chains the events written before the
 * chain existed (in id order), then, on PostgreSQL only, makes {@code audit_event} append-only with
 * triggers that refuse UPDATE, DELETE and TRUNCATE, and lets {@code audit_chain_head} only move
 * forward. On other databases (H2) the second step does nothing.
 *
 * <p>It is Java, not SQL, because Flyway Community has no per-database condition for a script and
 * H2 cannot parse PL/pgSQL. Spring Boot hands every {@link JavaMigration} bean to Flyway; a Flyway
 * configured by hand must add it with {@code javaMigrations(new AuditChainMigration())}.
 *
 * <p>Triggers bind every role except one that may alter the table (its owner or a superuser), which
 * can disable them: run the application as a role that has only SELECT and INSERT on
 * {@code audit_event} and SELECT and UPDATE on {@code audit_chain_head}, and migrate as the owner.
 */
@Component
public class AuditChainMigration implements JavaMigration {

    static final String VERSION = "3.1";
    private static final int SEAL_BATCH = 1000;

    /** PostgreSQL statements; each is sent as one JDBC statement. */
    static final List<String> POSTGRESQL_APPEND_ONLY = List.of(
            """
            create or replace function audit_event_append_only() returns trigger language plpgsql as $$
            begin
                raise exception 'audit_event is append-only: % refused', tg_op;
            end
            $$""",
            "create trigger audit_event_append_only before update or delete on audit_event"
                    + " for each row execute function audit_event_append_only()",
            "create trigger audit_event_no_truncate before truncate on audit_event"
                    + " for each statement execute function audit_event_append_only()",
            """
            create or replace function audit_chain_head_forward_only() returns trigger language plpgsql as $$
            begin
                if tg_op = 'UPDATE' and new.id = old.id and new.seq > old.seq then
                    return new;
                end if;
                raise exception 'audit_chain_head only moves forward: % refused', tg_op;
            end
            $$""",
            "create trigger audit_chain_head_forward_only before update or delete on audit_chain_head"
                    + " for each row execute function audit_chain_head_forward_only()",
            "create trigger audit_chain_head_no_truncate before truncate on audit_chain_head"
                    + " for each statement execute function audit_chain_head_forward_only()");

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion(VERSION);
    }

    @Override
    public String getDescription() {
        return "audit chain seal and append only";
    }

    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        sealUnchainedEvents(new JdbcTemplate(new SingleConnectionDataSource(connection, true)));
        if (isPostgres(connection)) {
            try (Statement statement = connection.createStatement()) {
                for (String sql : POSTGRESQL_APPEND_ONLY) {
                    statement.execute(sql);
                }
            }
        }
    }

    /** Gives every event without a chain position one, in id order, after the current head. */
    static long sealUnchainedEvents(JdbcTemplate jdbc) {
        AuditLog.ChainHead start = AuditLog.lockHead(jdbc);
        AuditLog.ChainHead head = start;
        long lastId = Long.MIN_VALUE;
        while (true) {
            List<Unchained> batch = jdbc.query("select id, occurred_at, event_type, partner_code, subject_id, actor,"
                    + " detail from audit_event where seq is null and id > ? order by id limit " + SEAL_BATCH,
                    (rs, n) -> new Unchained(rs.getLong("id"),
                            rs.getObject("occurred_at", java.time.OffsetDateTime.class).toInstant(),
                            rs.getString("event_type"), rs.getString("partner_code"), rs.getString("subject_id"),
                            rs.getString("actor"), rs.getString("detail")), lastId);
            if (batch.isEmpty()) {
                break;
            }
            for (Unchained event : batch) {
                long seq = head.seq() + 1;
                // Older rows may hold more than microseconds (H2): store what was hashed.
                Instant at = AuditChainHash.storable(event.occurredAt());
                String hash = AuditChainHash.hash(seq, at, event.type(), event.partnerCode(), event.subjectId(),
                        event.actor(), event.detail(), head.hash());
                jdbc.update("update audit_event set occurred_at = ?, seq = ?, prev_hash = ?, hash = ? where id = ?",
                        java.time.OffsetDateTime.ofInstant(at, java.time.ZoneOffset.UTC), seq, head.hash(), hash,
                        event.id());
                head = new AuditLog.ChainHead(seq, hash);
                lastId = event.id();
            }
        }
        if (head.seq() != start.seq()) {
            AuditLog.moveHead(jdbc, start, head.seq(), head.hash());
        }
        return head.seq() - start.seq();
    }

    private static boolean isPostgres(Connection connection) throws SQLException {
        return connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgresql");
    }

    private record Unchained(long id, Instant occurredAt, String type, String partnerCode, String subjectId,
            String actor, String detail) {
    }
}
