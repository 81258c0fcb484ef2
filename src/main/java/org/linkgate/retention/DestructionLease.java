package org.linkgate.retention;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A lease on the single {@code destruction_lease} row: one destruction run at a time across replicas.
 * Taken with one conditional update (free, expired, or already ours), renewed while the run works, and
 * released at the end; a holder that crashed loses it when it expires, {@link #TERM} after its last renewal.
 */
final class DestructionLease {

    static final Duration TERM = Duration.ofMinutes(15);
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final String holder = "destruction-" + UUID.randomUUID();

    DestructionLease(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    boolean acquire() {
        Timestamp now = Timestamp.from(clock.instant());
        return jdbc.update("update destruction_lease set holder = ?, expires_at = ? where id = 1 and (holder is null"
                + " or holder = ? or expires_at < ?)", holder, expiry(), holder, now) == 1;
    }

    /** @throws LeaseLostException when the lease expired and another run has it (or it was released). */
    void renew() {
        if (jdbc.update("update destruction_lease set expires_at = ? where id = 1 and holder = ?", expiry(), holder) != 1) {
            throw new LeaseLostException();
        }
    }

    void release() {
        jdbc.update("update destruction_lease set holder = null, expires_at = null where id = 1 and holder = ?", holder);
    }

    private Timestamp expiry() {
        return Timestamp.from(clock.instant().plus(TERM));
    }
}
