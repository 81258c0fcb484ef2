package org.linkgate.kernel;

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

    /**
     * A 32-byte key for one other purpose, derived from the master key (HMAC-SHA256 of the purpose
     * name), so every replica derives the same one and the master key itself is used only to wrap.
     */
    public byte[] derive(String purpose) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            return mac.doFinal(("linkgate/derived/" + purpose).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "MasterKey[redacted]";
    }
}
