package org.linkgate.crypto;

import java.security.Provider;

import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPPublicKey;

/**
 * Chooses the JCA provider for wrapping or unwrapping one session key. The default JCE has no
 * OpenPGP ECDH (X25519/NIST curves with the OpenPGP KDF), so those keys use an unregistered
 * BouncyCastle instance; RSA and all bulk AES and hashing stay on the faster default provider.
 */
final class SessionKeyProviders {

    private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

    private SessionKeyProviders() {
    }

    /** BouncyCastle for OpenPGP ECDH keys and X25519/X448, {@code null} (use the default) otherwise. */
    static Provider forKey(PGPPublicKey key) {
        return switch (key.getAlgorithm()) {
            case PublicKeyAlgorithmTags.ECDH, PublicKeyAlgorithmTags.X25519, PublicKeyAlgorithmTags.X448 -> BOUNCY_CASTLE;
            default -> null;
        };
    }
}
