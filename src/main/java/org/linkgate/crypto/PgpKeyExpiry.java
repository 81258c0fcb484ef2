package org.linkgate.crypto;

import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;

/**
 * When an OpenPGP key stops being usable to the gateway: the primary key's expiry, or earlier if
 * every encryption subkey expires before it (the latest-expiring subkey counts, so a replaced
 * old subkey does not raise a false alarm). Empty when the key never expires.
 */
public final class PgpKeyExpiry {

    private PgpKeyExpiry() {
    }

    public static Optional<Instant> of(PGPPublicKeyRing ring) {
        PGPPublicKey primary = ring.getPublicKey();
        Optional<Instant> primaryExpiry = expiry(primary);
        boolean anySubkey = false;
        Optional<Instant> latestSubkey = Optional.empty();
        boolean subkeyNeverExpires = false;
        for (Iterator<PGPPublicKey> keys = ring.getPublicKeys(); keys.hasNext(); ) {
            PGPPublicKey key = keys.next();
            if (key.isMasterKey() || !key.isEncryptionKey() || key.hasRevocation()) {
                continue;
            }
            anySubkey = true;
            Optional<Instant> expiry = expiry(key);
            if (expiry.isEmpty()) {
                subkeyNeverExpires = true;
            } else if (latestSubkey.isEmpty() || expiry.get().isAfter(latestSubkey.get())) {
                latestSubkey = expiry;
            }
        }
        if (!anySubkey || subkeyNeverExpires) {
            return primaryExpiry;
        }
        if (primaryExpiry.isEmpty() || latestSubkey.get().isBefore(primaryExpiry.get())) {
            return latestSubkey;
        }
        return primaryExpiry;
    }

    private static Optional<Instant> expiry(PGPPublicKey key) {
        long validSeconds = key.getValidSeconds();
        return validSeconds > 0 ? Optional.of(key.getCreationTime().toInstant().plusSeconds(validSeconds)) : Optional.empty();
    }
}
