package org.linkgate.crypto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyRing;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.util.encoders.Hex;

/**
 * Reading, writing and inspecting OpenPGP key rings. Readers accept armoured or binary input holding
 * exactly one key ring of the requested kind and fail with {@link PGPException} otherwise.
 */
public final class PgpKeys {

    private PgpKeys() {
    }

    /** Reads exactly one public key ring (armoured or binary); the stream is not closed. */
    public static PGPPublicKeyRing readPublicKeyRing(InputStream in) throws IOException, PGPException {
        return readSingle(in, PGPPublicKeyRing.class, "public key ring");
    }

    /** Reads exactly one public key ring from a file. */
    public static PGPPublicKeyRing readPublicKeyRing(Path file) throws IOException, PGPException {
        try (InputStream in = Files.newInputStream(file)) {
            return readPublicKeyRing(in);
        }
    }

    /**
     * Reads a partner's certificate: exactly one public key ring whose every binding verifies
     * ({@link PgpKeyBindings#requireBound}); a forged or missing binding fails the whole file.
     */
    public static PGPPublicKeyRing readPartnerKey(Path file) throws IOException, PGPException {
        return PgpKeyBindings.requireBound(readPublicKeyRing(file));
    }

    /** Reads exactly one secret key ring (armoured or binary); the stream is not closed. */
    public static PGPSecretKeyRing readSecretKeyRing(InputStream in) throws IOException, PGPException {
        return readSingle(in, PGPSecretKeyRing.class, "secret key ring");
    }

    /** Reads exactly one secret key ring from a file. */
    public static PGPSecretKeyRing readSecretKeyRing(Path file) throws IOException, PGPException {
        try (InputStream in = Files.newInputStream(file)) {
            return readSecretKeyRing(in);
        }
    }

    /** Upper-case hex fingerprint of a key, the form partner registries pin. */
    public static String fingerprint(PGPPublicKey key) {
        return Hex.toHexString(key.getFingerprint()).toUpperCase(Locale.ROOT);
    }

    /**
     * The key of a ring to encrypt to: see {@link #usableEncryptionKeys}; subkeys are preferred over the
     * primary, newest first. Empty if the ring has none.
     */
    public static Optional<PGPPublicKey> findEncryptionKey(PGPPublicKeyRing ring) {
        return usableEncryptionKeys(ring).stream()
                .sorted(Comparator.comparing((PGPPublicKey k) -> k.isMasterKey())
                        .thenComparing(PGPPublicKey::getCreationTime, Comparator.reverseOrder()))
                .findFirst();
    }

    /**
     * Every key of the ring usable for encryption: not revoked, not expired (nor its primary), algorithm
     * able to encrypt and, when the self-signature carries key flags, flagged for encryption.
     */
    public static List<PGPPublicKey> usableEncryptionKeys(PGPPublicKeyRing ring) {
        PGPPublicKey primary = ring.getPublicKey();
        List<PGPPublicKey> usable = new ArrayList<>();
        if (!isUsable(primary, primary)) {
            return usable;
        }
        for (PGPPublicKey key : ring) {
            if (key.isEncryptionKey() && isUsable(primary, key)
                    && hasFlag(primary, key, KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE, !key.isMasterKey())) {
                usable.add(key);
            }
        }
        return usable;
    }

    /** Like {@link #findEncryptionKey} but fails when the ring has no usable encryption key. */
    public static PGPPublicKey requireEncryptionKey(PGPPublicKeyRing ring) throws PGPException {
        return findEncryptionKey(ring).orElseThrow(() -> new PGPException(
                "no usable encryption key in key ring " + fingerprint(ring.getPublicKey())));
    }

    /**
     * The key of {@code ring} with this key id if it may make data signatures: not revoked, not expired,
     * and flagged for signing (a primary key without key flags is allowed, as RFC 4880 permits).
     */
    public static Optional<PGPPublicKey> findSigningKey(PGPPublicKeyRing ring, long keyId) {
        PGPPublicKey primary = ring.getPublicKey();
        PGPPublicKey key = ring.getPublicKey(keyId);
        if (key == null || !isUsable(primary, primary) || !isUsable(primary, key)
                || !hasFlag(primary, key, KeyFlags.SIGN_DATA, key.isMasterKey())) {
            return Optional.empty();
        }
        return Optional.of(key);
    }

    /** Writes a public key ring ASCII-armoured. */
    public static void writeArmored(PGPPublicKeyRing ring, OutputStream out) throws IOException {
        try (ArmoredOutputStream armored = ArmoredOutputStream.builder().build(nonClosing(out))) {
            ring.encode(armored);
        }
    }

    /** Writes a secret key ring ASCII-armoured; the keys stay protected by their passphrase. */
    public static void writeArmored(PGPSecretKeyRing ring, OutputStream out) throws IOException {
        try (ArmoredOutputStream armored = ArmoredOutputStream.builder().build(nonClosing(out))) {
            ring.encode(armored);
        }
    }

    /** The public key ring as an ASCII-armoured string. */
    public static String toArmoredString(PGPPublicKeyRing ring) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        writeArmored(ring, buffer);
        return buffer.toString(StandardCharsets.US_ASCII);
    }

    private static <T extends PGPKeyRing> T readSingle(InputStream in, Class<T> type, String what)
            throws IOException, PGPException {
        PGPObjectFactory factory = new PGPObjectFactory(PGPUtil.getDecoderStream(in),
                new JcaKeyFingerprintCalculator());
        T found = null;
        Object next;
        while ((next = factory.nextObject()) != null) {
            if (next instanceof PGPMarker) {
                continue;
            }
            if (!type.isInstance(next)) {
                throw new PGPException("expected a " + what + " but found " + next.getClass().getSimpleName());
            }
            if (found != null) {
                throw new PGPException("expected exactly one " + what + " but found several");
            }
            found = type.cast(next);
        }
        if (found == null) {
            throw new PGPException("no " + what + " found");
        }
        return found;
    }

    private static boolean isUsable(PGPPublicKey primary, PGPPublicKey key) {
        if (key.hasRevocation()) {
            return false;
        }
        long validSeconds = key.getValidSeconds();
        if (validSeconds > 0) {
            Instant expiry = key.getCreationTime().toInstant().plusSeconds(validSeconds);
            if (!Instant.now().isBefore(expiry)) {
                return false;
            }
        }
        return key == primary || isUsable(primary, primary);
    }

    /**
     * Whether the key flags from the key's self-signatures include any of {@code wanted}; {@code ifAbsent}
     * decides for keys whose self-signatures carry no key flags at all (older implementations). Only
     * signatures that verify count ({@link PgpKeyBindings}): a key with none is good for nothing, and a
     * subkey is good for signing only with a valid back-signature in its binding.
     */
    private static boolean hasFlag(PGPPublicKey primary, PGPPublicKey key, int wanted, boolean ifAbsent) {
        List<PGPSignature> signatures = key.isMasterKey()
                ? PgpKeyBindings.validSelfCertifications(primary)
                : PgpKeyBindings.validBindings(primary, key);
        if (signatures.isEmpty()) {
            return false;
        }
        PGPSignature newest = null;
        for (PGPSignature signature : signatures) {
            if (!signature.hasSubpackets() || signature.getHashedSubPackets().getKeyFlags() == 0) {
                continue;
            }
            if (newest == null || signature.getCreationTime().after(newest.getCreationTime())) {
                newest = signature;
            }
        }
        if (newest == null) {
            return ifAbsent;
        }
        boolean flagged = (newest.getHashedSubPackets().getKeyFlags() & wanted) != 0;
        if (flagged && !key.isMasterKey() && (wanted & KeyFlags.SIGN_DATA) != 0) {
            return PgpKeyBindings.hasBackSignature(primary, key, newest);
        }
        return flagged;
    }

    private static OutputStream nonClosing(OutputStream out) {
        // Closing the armour must write its footer without closing the caller's stream.
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
