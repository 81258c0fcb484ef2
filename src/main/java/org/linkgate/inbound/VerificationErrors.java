package org.linkgate.inbound;

import java.util.Set;
import org.linkgate.crypto.PgpVerificationException;

/**
 * The report errors of a file that could not be decrypted or verified, the same for councils and
 * departments, and which of them are signature or integrity failures (an incident, cl. 13).
 */
public final class VerificationErrors {

    /** Rules that mean the file may not be what its sender signed: one incident per partner while it lasts. */
    public static final Set<String> SIGNATURE_FAILURES = Set.of("unsigned", "wrong_signer", "bad_signature",
            "integrity_check_failed", "no_integrity_protection");

    private VerificationErrors() {
    }

    public static FileError of(PgpVerificationException.Reason reason) {
        return switch (reason) {
            case NOT_OPENPGP -> error("not_openpgp",
                    "The file is not an OpenPGP message. Encrypt it to the gateway key and sign it with your key.");
            case WRONG_RECIPIENT -> error("wrong_recipient",
                    "The file is not encrypted to the gateway's key. Encrypt it to the current gateway public key.");
            case NOT_DECRYPTABLE -> error("not_decryptable",
                    "The file could not be decrypted. It may be damaged; please send it again.");
            case NO_INTEGRITY_PROTECTION -> error("no_integrity_protection", "The file uses legacy encryption without"
                    + " integrity protection. Use a current OpenPGP tool (e.g. gpg 2.2 or later).");
            case INTEGRITY_CHECK_FAILED -> error("integrity_check_failed", "The file failed its integrity check:"
                    + " it was altered or damaged after encryption. Please send it again.");
            case UNSIGNED -> error("unsigned", "The file is not signed. Sign it with your registered key.");
            case WRONG_SIGNER -> error("wrong_signer", "The file is signed, but not with your registered key.");
            case BAD_SIGNATURE -> error("bad_signature",
                    "The file's signature does not verify: the content differs from what was signed.");
            case TOO_LARGE -> error("too_large", "The decrypted file exceeds the size or compression limits.");
            case UNSUPPORTED -> error("unsupported_format", "The OpenPGP message has a structure the gateway does not"
                    + " accept (e.g. several files, or password-only encryption).");
        };
    }

    private static FileError error(String rule, String message) {
        return new FileError(rule, message);
    }
}
