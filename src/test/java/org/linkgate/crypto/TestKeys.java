package org.linkgate.crypto;

import org.bouncycastle.openpgp.PGPException;
import org.linkgate.crypto.PgpKeyPairGenerator.KeyAlgorithm;

/**
 * Keys generated once per test JVM; never written to the repository. The everyday keys are Curve25519
 * (generated in milliseconds); {@link #rsaGateway()} keeps RSA-3072 covered and is made only by the
 * tests that ask for it, since RSA generation takes seconds.
 */
final class TestKeys {

    static final char[] PASSPHRASE = "test-only passphrase".toCharArray();

    private static GeneratedPgpKey gateway;
    private static GeneratedPgpKey rsaGateway;
    private static GeneratedPgpKey council;
    private static GeneratedPgpKey stranger;

    private TestKeys() {
    }

    static synchronized GeneratedPgpKey gateway() throws PGPException {
        if (gateway == null) {
            gateway = generate("Linkgate Test Gateway <gateway@example.invalid>", KeyAlgorithm.CURVE25519);
        }
        return gateway;
    }

    /** A second gateway key, RSA-3072 primary and subkey. */
    static synchronized GeneratedPgpKey rsaGateway() throws PGPException {
        if (rsaGateway == null) {
            rsaGateway = generate("Linkgate Test Gateway RSA <gateway-rsa@example.invalid>", KeyAlgorithm.RSA_3072);
        }
        return rsaGateway;
    }

    /** The gateway key of the given algorithm. */
    static GeneratedPgpKey gateway(KeyAlgorithm algorithm) throws PGPException {
        return switch (algorithm) {
            case CURVE25519 -> gateway();
            case RSA_3072 -> rsaGateway();
        };
    }

    static synchronized GeneratedPgpKey council() throws PGPException {
        if (council == null) {
            council = generate("Test Council A <council-a@example.invalid>", KeyAlgorithm.CURVE25519);
        }
        return council;
    }

    /** A key that is neither gateway nor partner: encrypts or signs where it must be refused. */
    static synchronized GeneratedPgpKey stranger() throws PGPException {
        if (stranger == null) {
            stranger = generate("Test Council A <council-a@example.invalid>", KeyAlgorithm.CURVE25519);
        }
        return stranger;
    }

    static GatewayPgpKey unlocked(GeneratedPgpKey key) throws PGPException {
        return new GatewayPgpKey(key.secret(), PASSPHRASE);
    }

    private static GeneratedPgpKey generate(String userId, KeyAlgorithm algorithm) throws PGPException {
        return new PgpKeyPairGenerator().generate(userId, PASSPHRASE, algorithm);
    }
}
