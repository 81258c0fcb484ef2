package org.linkgate.crypto;

import org.bouncycastle.openpgp.PGPException;

/** Keys generated once per test JVM (RSA-3072 generation is slow); never written to the repository. */
final class TestKeys {

    static final char[] PASSPHRASE = "test-only passphrase".toCharArray();

    private static GeneratedPgpKey gateway;
    private static GeneratedPgpKey council;
    private static GeneratedPgpKey stranger;

    private TestKeys() {
    }

    static synchronized GeneratedPgpKey gateway() throws PGPException {
        if (gateway == null) {
            gateway = new PgpKeyPairGenerator().generate("Linkgate Test Gateway <gateway@example.invalid>", PASSPHRASE);
        }
        return gateway;
    }

    static synchronized GeneratedPgpKey council() throws PGPException {
        if (council == null) {
            council = new PgpKeyPairGenerator().generate("Test Council A <council-a@example.invalid>", PASSPHRASE);
        }
        return council;
    }

    /** A key that is neither gateway nor partner: encrypts or signs where it must be refused. */
    static synchronized GeneratedPgpKey stranger() throws PGPException {
        if (stranger == null) {
            stranger = new PgpKeyPairGenerator().generate("Test Council A <council-a@example.invalid>", PASSPHRASE);
        }
        return stranger;
    }

    static GatewayPgpKey unlocked(GeneratedPgpKey key) throws PGPException {
        return new GatewayPgpKey(key.secret(), PASSPHRASE);
    }
}
