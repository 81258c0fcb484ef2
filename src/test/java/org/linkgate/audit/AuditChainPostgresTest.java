package org.linkgate.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;

/**
 * {@link AuditChainContract} on PostgreSQL (skipped outside CI when none is running), plus the
 * append-only triggers the migration installs there.
 */
class AuditChainPostgresTest extends AuditChainContract {

    @Override
    DataSource database() {
        return AuditTestSupport.postgres();
    }

    @Override
    DataSource database(String target) {
        return AuditTestSupport.postgres(target);
    }

    @Override
    void migrateToLatest(DataSource old) {
        AuditTestSupport.migrate(old, AuditTestSupport.schemaOf(old), null);
    }

    @Nested
    class AppendOnly {

        @BeforeEach
        void threeEvents() {
            recordEvents(3);
        }

        @Test
        void updatesAreRefused() {
            assertThatThrownBy(() -> jdbc.update("update audit_event set detail = 'x' where seq = 2"))
                    .isInstanceOf(DataAccessException.class).hasMessageContaining("audit_event is append-only: UPDATE");
            assertThat(verifier.verify().intact()).isTrue();
        }

        @Test
        void deletesAndTruncationAreRefused() {
            assertThatThrownBy(() -> jdbc.update("delete from audit_event where seq = 2"))
                    .hasMessageContaining("audit_event is append-only: DELETE");
            assertThatThrownBy(() -> jdbc.execute("truncate audit_event"))
                    .hasMessageContaining("audit_event is append-only: TRUNCATE");
            assertThat(jdbc.queryForObject("select count(*) from audit_event", Long.class)).isEqualTo(3);
        }

        @Test
        void theHeadOnlyMovesForward() {
            assertThatThrownBy(() -> jdbc.update("update audit_chain_head set seq = 1"))
                    .hasMessageContaining("audit_chain_head only moves forward");
            assertThatThrownBy(() -> jdbc.update("delete from audit_chain_head"))
                    .hasMessageContaining("audit_chain_head only moves forward");
            recordEvents(1);
            assertThat(verifier.verify().headSeq()).isEqualTo(4);
        }
    }
}
