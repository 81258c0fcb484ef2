package org.linkgate.demo;

/** File names of a demo partner's private side under {@code <home>/demo/<code>/}. */
public final class DemoPartnerFiles {
    public static final String PGP_SECRET_KEY = "pgp-secret-key.asc";
    public static final String PGP_PASSPHRASE = "pgp-passphrase";
    public static final String SSH_PRIVATE_KEY = "ssh-private-key";

    /** The partner's own OpenPGP key, unlocked with its passphrase, from its private side {@code <home>/demo/<code>/}. */
    public static org.linkgate.crypto.GatewayPgpKey pgpKey(java.nio.file.Path side) {
        try {
            return new org.linkgate.crypto.GatewayPgpKey(org.linkgate.crypto.PgpKeys.readSecretKeyRing(side.resolve(PGP_SECRET_KEY)),
                    org.linkgate.kernel.SecretFiles.readText(side.resolve(PGP_PASSPHRASE)).toCharArray());
        } catch (java.io.IOException | org.bouncycastle.openpgp.PGPException e) {
            throw new IllegalStateException("cannot read the demo partner key in " + side, e);
        }
    }

    private DemoPartnerFiles() {
    }
}
