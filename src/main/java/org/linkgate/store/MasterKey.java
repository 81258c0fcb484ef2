package org.linkgate.store;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key-encryption key that wraps every data key. It is read from the secrets directory
 * (a Kubernetes Secret in production), never from the data, and never printed.
 */
public final class MasterKey {

    public static final int BYTES = 32;
    private final SecretKey key;

    public MasterKey(byte[] material) {
        if (material.length != BYTES) {
            throw new IllegalArgumentException("master key must be " + BYTES + " bytes");
        }
        this.key = new SecretKeySpec(material, "AES");
    }

    SecretKey secretKey() {
        return key;
    }

    @Override
    public String toString() {
        return "MasterKey[redacted]";
    }
}
