package org.linkgate.transfer;

/**
 * The server presented a host key that the endpoint's known_hosts file does not pin: unknown to
 * it, or different from the pinned key (a possible man in the middle). Carries the host, the
 * reason and the presented key's fingerprint only.
 */
public final class HostKeyRejectedException extends RemoteTransferException {

    private static final long serialVersionUID = 1L;

    /** Why the key was refused. */
    public enum Reason {
        /** No key is pinned for this host (and port). */
        UNKNOWN,
        /** A different key is pinned for this host (and port). */
        CHANGED
    }

    private final String host;
    private final int port;
    private final Reason reason;
    private final String fingerprint;

    public HostKeyRejectedException(String host, int port, Reason reason, String keyType, String fingerprint,
                                    String knownHostsFile, Throwable cause) {
        super(message(host, port, reason, keyType, fingerprint, knownHostsFile), cause);
        this.host = host;
        this.port = port;
        this.reason = reason;
        this.fingerprint = fingerprint;
    }

    private static String message(String host, int port, Reason reason, String keyType, String fingerprint,
                                  String knownHostsFile) {
        String what = reason == Reason.CHANGED
                ? "host key CHANGED (differs from the key pinned in " + knownHostsFile + ") — possible man in the middle"
                : "host key UNKNOWN (not pinned in " + knownHostsFile + ")";
        return "SFTP server " + host + ":" + port + " refused: " + what + "; presented " + keyType + " " + fingerprint;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public Reason reason() {
        return reason;
    }

    /** Fingerprint of the presented key (e.g. {@code SHA256:…}). */
    public String fingerprint() {
        return fingerprint;
    }
}
