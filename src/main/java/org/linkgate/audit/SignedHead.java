package org.linkgate.audit;

import java.util.Objects;

/**
 * An exported chain head for anchoring outside the gateway: {@code head} is the exact JSON text that
 * was signed, {@code {"seq":N,"hash":"<64 hex>","exportedAt":"<ISO-8601 UTC>"}}, and {@code signature}
 * an ASCII-armoured detached OpenPGP signature of its UTF-8 bytes by the gateway key. Saved as two
 * files, it checks with {@code gpg --verify head.json.asc head.json}.
 */
public record SignedHead(String head, String signature) {

    public SignedHead {
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(signature, "signature");
    }

    /** An exported head that is malformed or not signed by the gateway key. */
    public static final class InvalidSignedHeadException extends Exception {

        private static final long serialVersionUID = 1L;

        InvalidSignedHeadException(String message) {
            super(message);
        }

        InvalidSignedHeadException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
