package org.linkgate.release;

import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;
import org.linkgate.pseudonymisation.PseudonymisationKey;
import org.linkgate.pseudonymisation.Pseudonymiser;

/**
 * The id a release gives a person: lower-case hex HMAC-SHA-256, under a key of that release, of
 * {@code "release-v1|" + pseudo_id}. The release key is itself HMAC-SHA-256 of
 * {@code "release-key-v1|" + RELEASE_ID} under the pseudonymisation key, so it never needs storing,
 * differs for every release, and is unrelated to the department tokens ({@code dept-v1|…}): the
 * recipient can join the files of one release but not one release with another, nor a release with
 * any department's extract. Not thread-safe: one per release build.
 */
final class ReleasePseudonyms {

    static final String KEY_VERSION = "release-key-v1";
    static final String VERSION = "release-v1";
    private static final Pattern RELEASE_ID = Pattern.compile("[A-Za-z0-9-]{1,32}");

    private final Pseudonymiser hmac;

    ReleasePseudonyms(PseudonymisationKey key, String releaseId) {
        Objects.requireNonNull(key, "key");
        if (releaseId == null || !RELEASE_ID.matcher(releaseId).matches()) {
            throw new IllegalArgumentException("release id must be 1-32 letters, digits or hyphens");
        }
        byte[] releaseKey = HexFormat.of().parseHex(new Pseudonymiser(key).hash(KEY_VERSION + "|" + releaseId));
        this.hmac = new Pseudonymiser(new PseudonymisationKey(releaseKey));
        java.util.Arrays.fill(releaseKey, (byte) 0);
    }

    String id(String pseudoId) {
        if (pseudoId == null || pseudoId.isBlank()) {
            throw new IllegalArgumentException("pseudo id must not be blank");
        }
        return hmac.hash(VERSION + "|" + pseudoId);
    }

    @Override
    public String toString() {
        return "ReleasePseudonyms[" + VERSION + "]";
    }
}
