package org.linkgate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.linkgate.crypto.PgpKeyExpiry;
import org.linkgate.crypto.PgpKeyPairGenerator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/** Key expiry as operators see it: UP, WARN inside the warning window, DOWN once expired. */
class KeyExpiryHealthTest {

    static final Duration WARNING = Duration.ofDays(30);
    static PGPPublicKeyRing expiresIn60Days;
    static PGPPublicKeyRing neverExpires;
    static Instant created;

    @BeforeAll
    static void keys() throws Exception {
        created = Instant.now();
        expiresIn60Days = new PgpKeyPairGenerator().generate("Test <t@example.invalid>", "p".toCharArray(),
                PgpKeyPairGenerator.DEFAULT_ALGORITHM, Duration.ofDays(60)).publicRing();
        neverExpires = new PgpKeyPairGenerator().generate("Test <n@example.invalid>", "p".toCharArray()).publicRing();
    }

    @Test
    void theGeneratedExpiryIsRead() {
        Instant expiry = PgpKeyExpiry.of(expiresIn60Days).orElseThrow();
        assertThat(Duration.between(created, expiry).toDays()).isBetween(59L, 60L);
        assertThat(PgpKeyExpiry.of(neverExpires)).isEmpty();
    }

    @Test
    void upThenWarnThenDown() {
        Instant expiry = PgpKeyExpiry.of(expiresIn60Days).orElseThrow();
        Health fine = KeyExpiryHealth.check(expiresIn60Days, expiry.minus(Duration.ofDays(31)), WARNING);
        assertThat(fine.getStatus()).isEqualTo(Status.UP);
        assertThat(fine.getDetails()).containsEntry("daysLeft", 31L).containsEntry("expires", expiry.toString());

        Health soon = KeyExpiryHealth.check(expiresIn60Days, expiry.minus(Duration.ofDays(20)), WARNING);
        assertThat(soon.getStatus()).isEqualTo(KeyExpiryHealth.WARN);
        assertThat(soon.getDetails()).containsEntry("daysLeft", 20L).containsKey("problem");

        Health lastSecond = KeyExpiryHealth.check(expiresIn60Days, expiry.minusSeconds(1), WARNING);
        assertThat(lastSecond.getStatus()).isEqualTo(KeyExpiryHealth.WARN);

        Health expired = KeyExpiryHealth.check(expiresIn60Days, expiry, WARNING);
        assertThat(expired.getStatus()).isEqualTo(Status.DOWN);
        assertThat(expired.getDetails()).containsEntry("problem", "expired").containsEntry("daysLeft", 0L);
    }

    @Test
    void aKeyThatNeverExpiresIsAlwaysUp() {
        Health health = KeyExpiryHealth.check(neverExpires, Instant.now().plus(Duration.ofDays(36500)), WARNING);
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("expires", "never").doesNotContainKey("daysLeft");
    }
}
