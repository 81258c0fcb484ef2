package org.linkgate.pseudonymisation;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.LocalDate;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed one-way hashing (HMAC-SHA-256) of normalised identity: the same person gets the same
 * pseudo id in every batch from every council, and nobody without the key can test a guess.
 * Not thread-safe (one {@link Mac} per instance): create one per file.
 */
public final class Pseudonymiser {

    private final Mac mac;

    public Pseudonymiser(PseudonymisationKey key) {
        try {
            this.mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.material(), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 unavailable", e);
        }
    }

    /** Lower-case hex HMAC-SHA-256 of an already-normalised identity string. */
    public String hash(String normalisedIdentity) {
        return HexFormat.of().formatHex(mac.doFinal(normalisedIdentity.getBytes(StandardCharsets.UTF_8)));
    }

    public String personId(String forename, String surname, LocalDate dateOfBirth) {
        return hash(IdentityNormaliser.personIdentity(forename, surname, dateOfBirth));
    }

    public String familyId(String councilCode, String familyRef) {
        return hash(IdentityNormaliser.familyIdentity(councilCode, familyRef));
    }

    public String personRefKey(String councilCode, String personRef) {
        return hash(IdentityNormaliser.personRefIdentity(councilCode, personRef));
    }
}
