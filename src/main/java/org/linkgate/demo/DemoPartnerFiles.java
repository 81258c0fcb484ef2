package org.linkgate.demo;

/** File names of a demo partner's private side under {@code <home>/demo/<code>/}. */
public final class DemoPartnerFiles {
    public static final String PGP_SECRET_KEY = "pgp-secret-key.asc";
    public static final String PGP_PASSPHRASE = "pgp-passphrase";
    public static final String SSH_PRIVATE_KEY = "ssh-private-key";

    private DemoPartnerFiles() {
    }
}
