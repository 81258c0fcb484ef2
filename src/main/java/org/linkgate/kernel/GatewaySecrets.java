package org.linkgate.kernel;

/** Names of the gateway's secret files and key files, and their creation for a new home. */
public final class GatewaySecrets {

    /** Length of the pseudonymisation key (HMAC-SHA-256: one block of the hash). */
    public static final int PSEUDONYMISATION_KEY_BYTES = 32;

    /** HMAC key behind every pseudo id (secrets dir). Losing it breaks linkage; leaking it breaks pseudonymity. */
    public static final String PSEUDONYMISATION_KEY = "pseudonymisation.key";
    /** Key-encryption key wrapping every data key (secrets dir). */
    public static final String MASTER_KEY = "master.key";
    /** Passphrase of the gateway's OpenPGP secret key (secrets dir). */
    public static final String GATEWAY_PASSPHRASE = "gateway-key.passphrase";
    /** SSH host key of the embedded SFTP server (secrets dir), OpenSSH format. */
    public static final String SSH_HOST_KEY = "ssh-host-key";
    /** Password of the embedded H2 database (secrets dir), generated on first start. */
    public static final String DATABASE_PASSWORD = "h2-database.password";
    /** PKCS#12 keystore of the HTTPS server (secrets dir) when {@code server.ssl} is on; its password beside it. */
    public static final String HTTPS_KEYSTORE = "https-keystore.p12";
    /** Gateway OpenPGP key pair (config/gateway). The public key is what partners encrypt to. */
    public static final String GATEWAY_SECRET_KEY = "gateway-secret-key.asc";
    public static final String GATEWAY_PUBLIC_KEY = "gateway-public-key.asc";
    /** known_hosts line for the embedded SFTP server, written at start for partners to pin (config/gateway). */
    public static final String SSH_KNOWN_HOSTS = "ssh-known-hosts";

    private GatewaySecrets() {
    }

    public static void createIfMissing(GatewayHome home) {
        SecretFiles.createRandomKeyIfMissing(home.secretsDir().resolve(PSEUDONYMISATION_KEY), PSEUDONYMISATION_KEY_BYTES);
        SecretFiles.createRandomKeyIfMissing(home.secretsDir().resolve(MASTER_KEY), MasterKey.BYTES);
        SecretFiles.writeIfMissing(home.secretsDir().resolve(GATEWAY_PASSPHRASE), SecretFiles.randomPassphrase());
    }
}
