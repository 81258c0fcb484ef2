package org.linkgate.crypto;

/**
 * Bounds applied while decrypting one message: an absolute plaintext cap, and a cap on plaintext
 * relative to the ciphertext size (catches compression bombs long before the absolute cap).
 *
 * @param maxPlaintextBytes   largest plaintext accepted, in bytes (&gt; 0)
 * @param maxCompressionRatio largest plaintext/ciphertext ratio accepted (&ge; 1)
 * @param ciphertextBytes     size of the ciphertext as received (e.g. the file size; &ge; 0)
 */
public record PgpLimits(long maxPlaintextBytes, long maxCompressionRatio, long ciphertextBytes) {

    public PgpLimits {
        if (maxPlaintextBytes <= 0) {
            throw new IllegalArgumentException("maxPlaintextBytes must be positive");
        }
        if (maxCompressionRatio < 1) {
            throw new IllegalArgumentException("maxCompressionRatio must be at least 1");
        }
        if (ciphertextBytes < 0) {
            throw new IllegalArgumentException("ciphertextBytes must not be negative");
        }
    }

    /** Plaintext bytes allowed by the ratio limit; saturates rather than overflowing. */
    long ratioCapBytes() {
        long base = Math.max(ciphertextBytes, 1);
        long high = Math.multiplyHigh(base, maxCompressionRatio);
        long product = base * maxCompressionRatio;
        return (high != 0 || product < 0) ? Long.MAX_VALUE : product;
    }
}
