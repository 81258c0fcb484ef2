package org.linkgate.crypto;

import java.io.IOException;

/**
 * Why an incoming OpenPGP message was refused. Extends {@link IOException} so it can surface from
 * plaintext stream reads; the message names the failed check only, never any plaintext content.
 */
public class PgpVerificationException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The check that failed; stable, so callers can map it to a quarantine reason. */
    public enum Reason {
        /** Empty, garbage or otherwise not an OpenPGP message. */
        NOT_OPENPGP,
        /** Encrypted, but not to any gateway key. */
        WRONG_RECIPIENT,
        /** Addressed to the gateway, but the session key cannot be recovered. */
        NOT_DECRYPTABLE,
        /** Legacy encrypted data packet without a modification detection code. */
        NO_INTEGRITY_PROTECTION,
        /** The ciphertext was modified (MDC mismatch or a decryption/parse error mid-stream). */
        INTEGRITY_CHECK_FAILED,
        /** No one-pass signature or no signature. */
        UNSIGNED,
        /** Signed, but not by a signing key of the expected partner. */
        WRONG_SIGNER,
        /** The signature is present but does not verify, or is of the wrong type or strength. */
        BAD_SIGNATURE,
        /** Plaintext larger than allowed, or expanding beyond the compression ratio limit. */
        TOO_LARGE,
        /** A valid but refused construction, e.g. password-only encryption or several literal packets. */
        UNSUPPORTED
    }

    private final Reason reason;

    public PgpVerificationException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public PgpVerificationException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** The refusal carried by {@code failure} or one of its causes, if any (BC may wrap our stream errors). */
    static PgpVerificationException findIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgpVerificationException known) {
                return known;
            }
        }
        return null;
    }
}
