package org.linkgate.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPOnePassSignature;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.bcpg.sig.IssuerFingerprint;

import static org.linkgate.crypto.PgpVerificationException.Reason.BAD_SIGNATURE;
import static org.linkgate.crypto.PgpVerificationException.Reason.INTEGRITY_CHECK_FAILED;
import static org.linkgate.crypto.PgpVerificationException.Reason.TOO_LARGE;
import static org.linkgate.crypto.PgpVerificationException.Reason.UNSIGNED;
import static org.linkgate.crypto.PgpVerificationException.Reason.UNSUPPORTED;
import static org.linkgate.crypto.PgpVerificationException.Reason.WRONG_SIGNER;

/**
 * A decrypted message being streamed: {@link #plaintext()} yields the literal data, which is
 * UNTRUSTED until {@link #verify()} returns; the caller must commit nothing before that. Reads fail
 * with {@link PgpVerificationException} (e.g. TOO_LARGE, INTEGRITY_CHECK_FAILED). Not thread-safe.
 */
public final class VerifiedPlaintext {

    /** Packets tolerated after the literal data before giving up: one signature list is expected. */
    private static final int MAX_TRAILING_PACKETS = 4;

    private final PGPPublicKeyEncryptedData encrypted;
    private final PGPObjectFactory contentFactory;
    private final PGPObjectFactory outerFactory;
    private final PGPOnePassSignature onePass;
    private final PGPPublicKey signerKey;
    private final PGPPublicKeyRing expectedSigner;
    private final PlaintextStream plaintext;
    private String verifiedSigner;

    VerifiedPlaintext(PGPPublicKeyEncryptedData encrypted, PGPObjectFactory outerFactory,
            PGPObjectFactory contentFactory, PGPLiteralData literal, PGPOnePassSignature onePass,
            PGPPublicKey signerKey, PGPPublicKeyRing expectedSigner, PgpLimits limits) {
        this.encrypted = encrypted;
        this.outerFactory = outerFactory;
        this.contentFactory = contentFactory;
        this.onePass = onePass;
        this.signerKey = signerKey;
        this.expectedSigner = expectedSigner;
        this.plaintext = new PlaintextStream(literal.getDataStream(), onePass, limits);
    }

    /** The literal data, streamed; UNTRUSTED until {@link #verify()} has returned. */
    public InputStream plaintext() {
        return plaintext;
    }

    /**
     * Call after reading {@link #plaintext()} to its end: checks the integrity code (MDC) and the
     * signature, and returns the fingerprint (upper-case hex) of the expected signer's key that signed.
     *
     * @throws PgpVerificationException if any check fails, or a plaintext read already failed
     * @throws IllegalStateException    if the plaintext has not been read to its end
     */
    public String verify() throws PgpVerificationException {
        if (plaintext.failure != null) {
            throw plaintext.failure;
        }
        if (!plaintext.endReached) {
            throw new IllegalStateException("verify() called before the plaintext was read to its end");
        }
        if (verifiedSigner == null) {
            verifiedSigner = checkTrailerIntegrityAndSignature();
        }
        return verifiedSigner;
    }

    private String checkTrailerIntegrityAndSignature() throws PgpVerificationException {
        List<Object> trailing = new ArrayList<>();
        Exception parseFailure = null;
        try {
            Object next;
            while (trailing.size() < MAX_TRAILING_PACKETS && (next = contentFactory.nextObject()) != null) {
                trailing.add(next);
                // A second literal packet cannot be skipped safely; stop and let the MDC drain the rest.
                if (next instanceof PGPLiteralData) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            parseFailure = e;
        }

        // Integrity first: if the ciphertext was modified, that is the true reason whatever else broke.
        checkIntegrity();
        if (PgpVerificationException.findIn(parseFailure) != null) {
            throw PgpVerificationException.findIn(parseFailure);
        }
        if (parseFailure != null) {
            throw new PgpVerificationException(INTEGRITY_CHECK_FAILED,
                    "malformed packets after the literal data", parseFailure);
        }
        checkNothingAfterEncryptedData();

        if (trailing.isEmpty()) {
            throw new PgpVerificationException(UNSIGNED, "no signature follows the one-pass signature");
        }
        if (trailing.get(0) instanceof PGPLiteralData) {
            throw new PgpVerificationException(UNSUPPORTED, "message contains more than one literal data packet");
        }
        if (!(trailing.get(0) instanceof PGPSignatureList signatures)) {
            throw new PgpVerificationException(UNSUPPORTED,
                    "unexpected " + trailing.get(0).getClass().getSimpleName() + " after the literal data");
        }
        if (signatures.size() != 1 || trailing.size() != 1) {
            throw new PgpVerificationException(UNSUPPORTED, "unexpected packets after the signature");
        }
        return checkSignature(signatures.get(0));
    }

    private void checkIntegrity() throws PgpVerificationException {
        boolean intact;
        try {
            // BC drains the rest of the decrypted stream before comparing the MDC.
            intact = encrypted.verify();
        } catch (PGPException | IOException | RuntimeException e) {
            throw new PgpVerificationException(INTEGRITY_CHECK_FAILED, "integrity check could not complete", e);
        }
        if (!intact) {
            throw new PgpVerificationException(INTEGRITY_CHECK_FAILED, "modification detection code mismatch");
        }
    }

    private void checkNothingAfterEncryptedData() throws PgpVerificationException {
        Object after;
        try {
            after = outerFactory.nextObject();
        } catch (IOException | RuntimeException e) {
            throw new PgpVerificationException(UNSUPPORTED, "unreadable data after the encrypted message", e);
        }
        if (after != null) {
            throw new PgpVerificationException(UNSUPPORTED, "data after the encrypted message");
        }
    }

    private String checkSignature(PGPSignature signature) throws PgpVerificationException {
        if (signature.getKeyID() != onePass.getKeyID()) {
            throw new PgpVerificationException(
                    expectedSigner.getPublicKey(signature.getKeyID()) == null ? WRONG_SIGNER : BAD_SIGNATURE,
                    "signature key id differs from the one-pass signature");
        }
        if (signature.hasSubpackets()) {
            IssuerFingerprint issuer = signature.getHashedSubPackets().getIssuerFingerprint();
            if (issuer != null && !Arrays.equals(issuer.getFingerprint(), signerKey.getFingerprint())) {
                throw new PgpVerificationException(WRONG_SIGNER, "issuer fingerprint is not the expected signer's");
            }
        }
        if (signature.getSignatureType() != onePass.getSignatureType()
                || signature.getHashAlgorithm() != onePass.getHashAlgorithm()) {
            throw new PgpVerificationException(BAD_SIGNATURE, "signature does not match its one-pass header");
        }
        boolean valid;
        try {
            valid = onePass.verify(signature);
        } catch (PGPException | RuntimeException e) {
            throw new PgpVerificationException(BAD_SIGNATURE, "signature could not be verified", e);
        }
        if (!valid) {
            throw new PgpVerificationException(BAD_SIGNATURE, "signature does not verify");
        }
        return PgpKeys.fingerprint(signerKey);
    }

    /** Counts, caps and hashes the literal data; remembers the first failure so verify() cannot pass. */
    private static final class PlaintextStream extends InputStream {
        private final InputStream literal;
        private final PGPOnePassSignature onePass;
        private final PgpLimits limits;
        private final long cap;
        private long count;
        private boolean endReached;
        private PgpVerificationException failure;

        PlaintextStream(InputStream literal, PGPOnePassSignature onePass, PgpLimits limits) {
            this.literal = literal;
            this.onePass = onePass;
            this.limits = limits;
            this.cap = Math.min(limits.maxPlaintextBytes(), limits.ratioCapBytes());
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (failure != null) {
                throw failure;
            }
            if (endReached) {
                return -1;
            }
            if (length == 0) {
                return 0;
            }
            int n;
            try {
                // Never read more than one byte past the cap, so an oversized message stops at the cap.
                n = literal.read(buffer, offset, (int) Math.min(length, cap - count + 1));
            } catch (IOException | RuntimeException e) {
                throw fail(asVerificationFailure(e));
            }
            if (n < 0) {
                endReached = true;
                return -1;
            }
            count += n;
            if (count > cap) {
                throw fail(new PgpVerificationException(TOO_LARGE, count > limits.maxPlaintextBytes()
                        ? "plaintext exceeds the maximum of " + limits.maxPlaintextBytes() + " bytes"
                        : "plaintext exceeds " + limits.maxCompressionRatio()
                                + " times the ciphertext size (possible compression bomb)"));
            }
            onePass.update(buffer, offset, n);
            return n;
        }

        @Override
        public void close() {
            // The caller owns the ciphertext stream; nothing of ours to release.
        }

        private PgpVerificationException fail(PgpVerificationException e) {
            failure = e;
            return e;
        }

        private static PgpVerificationException asVerificationFailure(Throwable e) {
            PgpVerificationException known = PgpVerificationException.findIn(e);
            return known != null ? known : new PgpVerificationException(INTEGRITY_CHECK_FAILED,
                    "decryption failed mid-stream (ciphertext modified or corrupt)", e);
        }
    }
}
