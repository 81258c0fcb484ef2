package org.linkgate.pseudonymisation;

import java.util.Arrays;
import org.linkgate.kernel.GatewaySecrets;

/** The secret HMAC key behind every pseudo id. Held outside the data; never printed. */
public final class PseudonymisationKey {

    public static final int BYTES = GatewaySecrets.PSEUDONYMISATION_KEY_BYTES;
    private final byte[] material;

    public PseudonymisationKey(byte[] material) {
        if (material.length < BYTES) {
            throw new IllegalArgumentException("pseudonymisation key must be at least " + BYTES + " bytes");
        }
        this.material = material.clone();
    }

    byte[] material() {
        return material.clone();
    }

    @Override
    public String toString() {
        return "PseudonymisationKey[redacted]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PseudonymisationKey k && Arrays.equals(material, k.material);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(material);
    }
}
