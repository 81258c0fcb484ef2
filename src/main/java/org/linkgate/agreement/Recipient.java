package org.linkgate.agreement;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.openpgp.PGPPublicKeyRing;

/**
 * A party that receives released pseudonymised linked data (cl. 2.1, 4.8: the sponsor, DCLG), as
 * configured in {@code config/recipients/<CODE>/}: its OpenPGP key (releases are encrypted to it),
 * its SFTP endpoint (an embedded account with {@code upload/}, or its own server with a pinned host
 * key) and its release specification, kept here as read and checked by {@code release.ReleaseSpec}
 * at start-up (the vocabulary of variables belongs to the release feature).
 *
 * @param releaseSpec the {@code release} mapping of {@code recipient.yaml}, unchecked
 * @param configFile  the file it was read from, for error messages with the key path
 */
public record Recipient(
        String code,
        String displayName,
        PGPPublicKeyRing pgpPublicKey,
        String pgpFingerprint,
        Department.Endpoint endpoint,
        Map<String, Object> releaseSpec,
        java.nio.file.Path configFile) {

    public Recipient {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(pgpPublicKey, "pgpPublicKey");
        Objects.requireNonNull(endpoint, "endpoint");
        releaseSpec = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(releaseSpec));
    }

    /** SFTP account name on the embedded server (lower-case code, e.g. {@code dclg}). */
    public String account() {
        return code.toLowerCase(Locale.ROOT);
    }
}
