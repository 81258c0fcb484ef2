package org.linkgate.crypto;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.operator.PBESecretKeyDecryptor;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePBESecretKeyDecryptorBuilder;

/**
 * The gateway's own OpenPGP key, unlocked once: private keys for decryption by key id, and the
 * signing key. Fails with {@link PGPException} if the passphrase is wrong or no signing key exists.
 * The passphrase is not retained; {@link #toString()} shows the fingerprint only.
 */
public final class GatewayPgpKey {

    private final PGPPublicKeyRing publicRing;
    private final Map<Long, PGPPrivateKey> decryptionKeys;
    private final PGPPublicKey signingPublicKey;
    private final PGPPrivateKey signingKey;

    /**
     * Unlocks every usable secret key of {@code secretRing}; {@code passphrase} is used, not kept,
     * so the caller may wipe it afterwards.
     */
    public GatewayPgpKey(PGPSecretKeyRing secretRing, char[] passphrase) throws PGPException {
        Objects.requireNonNull(secretRing, "secretRing");
        Objects.requireNonNull(passphrase, "passphrase");
        this.publicRing = publicRingOf(secretRing);
        PBESecretKeyDecryptor decryptor = new JcePBESecretKeyDecryptorBuilder(
                new JcaPGPDigestCalculatorProviderBuilder().build()).build(passphrase);

        Set<Long> encryptionKeyIds = PgpKeys.usableEncryptionKeys(publicRing).stream()
                .map(PGPPublicKey::getKeyID).collect(Collectors.toSet());
        Map<Long, PGPPrivateKey> decryption = new LinkedHashMap<>();
        PGPPublicKey chosenSigningPublic = null;
        PGPPrivateKey chosenSigning = null;
        for (PGPSecretKey secret : secretRing) {
            // gpg exports stubs (offline primary, smartcard) with no key material; skip them.
            if (secret.isPrivateKeyEmpty()) {
                continue;
            }
            PGPPublicKey pub = secret.getPublicKey();
            boolean encrypts = encryptionKeyIds.contains(pub.getKeyID());
            boolean signs = PgpKeys.findSigningKey(publicRing, pub.getKeyID()).isPresent();
            if (!encrypts && !signs) {
                continue;
            }
            PGPPrivateKey unlocked;
            try {
                unlocked = secret.extractPrivateKey(decryptor);
            } catch (PGPException e) {
                throw new PGPException("cannot unlock gateway key " + PgpKeys.fingerprint(pub)
                        + " (wrong passphrase or unsupported protection)", e);
            }
            if (encrypts) {
                decryption.put(pub.getKeyID(), unlocked);
            }
            // Prefer the primary when it can sign: peers usually pin it, and gpg signs with it by default.
            if (signs && (chosenSigning == null || pub.isMasterKey())) {
                chosenSigningPublic = pub;
                chosenSigning = unlocked;
            }
        }
        if (chosenSigning == null) {
            throw new PGPException("gateway key " + fingerprint() + " has no usable signing key");
        }
        if (decryption.isEmpty()) {
            throw new PGPException("gateway key " + fingerprint() + " has no usable decryption key");
        }
        this.decryptionKeys = Collections.unmodifiableMap(decryption);
        this.signingPublicKey = chosenSigningPublic;
        this.signingKey = chosenSigning;
    }

    /** The private key for a PKESK recipient key id, if that id is one of the gateway's encryption keys. */
    public Optional<PGPPrivateKey> decryptionKey(long keyId) {
        return Optional.ofNullable(decryptionKeys.get(keyId));
    }

    /** Key ids of the gateway's usable encryption keys, in ring order. */
    public Set<Long> decryptionKeyIds() {
        return decryptionKeys.keySet();
    }

    /** The private key used for signing. */
    public PGPPrivateKey signingKey() {
        return signingKey;
    }

    /** The public half of the signing key (its id and fingerprint go into signatures). */
    public PGPPublicKey signingPublicKey() {
        return signingPublicKey;
    }

    /** Upper-case hex fingerprint of the signing key (the primary unless only a subkey may sign). */
    public String signingPublicKeyFingerprint() {
        return PgpKeys.fingerprint(signingPublicKey);
    }

    /** The gateway's public key ring, as partners should hold it. */
    public PGPPublicKeyRing publicRing() {
        return publicRing;
    }

    /** Upper-case hex fingerprint of the primary key. */
    public String fingerprint() {
        return PgpKeys.fingerprint(publicRing.getPublicKey());
    }

    @Override
    public String toString() {
        return "GatewayPgpKey[" + fingerprint() + "]";
    }

    private static PGPPublicKeyRing publicRingOf(PGPSecretKeyRing secretRing) {
        List<PGPPublicKey> keys = new ArrayList<>();
        secretRing.getPublicKeys().forEachRemaining(keys::add);
        return new PGPPublicKeyRing(keys);
    }
}
