package org.linkgate.crypto;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.Provider;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPOnePassSignature;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSessionKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.KeyFingerPrintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyDataDecryptorFactoryBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JceSessionKeyDataDecryptorFactoryBuilder;

import static org.linkgate.crypto.PgpVerificationException.Reason.BAD_SIGNATURE;
import static org.linkgate.crypto.PgpVerificationException.Reason.INTEGRITY_CHECK_FAILED;
import static org.linkgate.crypto.PgpVerificationException.Reason.NOT_DECRYPTABLE;
import static org.linkgate.crypto.PgpVerificationException.Reason.NOT_OPENPGP;
import static org.linkgate.crypto.PgpVerificationException.Reason.NO_INTEGRITY_PROTECTION;
import static org.linkgate.crypto.PgpVerificationException.Reason.TOO_LARGE;
import static org.linkgate.crypto.PgpVerificationException.Reason.UNSIGNED;
import static org.linkgate.crypto.PgpVerificationException.Reason.UNSUPPORTED;
import static org.linkgate.crypto.PgpVerificationException.Reason.WRONG_RECIPIENT;
import static org.linkgate.crypto.PgpVerificationException.Reason.WRONG_SIGNER;

/**
 * Opens a partner's OpenPGP message (binary or armoured; PKESK + SEIPD, optionally compressed,
 * one-pass signed): decrypts with the gateway key and checks it was signed by exactly the pinned
 * partner ring. Fails with {@link PgpVerificationException} naming the {@link PgpVerificationException.Reason}.
 * Stateless and thread-safe; each {@link VerifiedPlaintext} is for one thread.
 */
public final class PgpDecryptVerifier {

    /** Allowance for packet framing and the signature inside the compressed stream, beyond the plaintext cap. */
    private static final long FRAMING_ALLOWANCE_BYTES = 1L << 20;

    private static final Set<Integer> ACCEPTED_CIPHERS = Set.of(SymmetricKeyAlgorithmTags.AES_128,
            SymmetricKeyAlgorithmTags.AES_192, SymmetricKeyAlgorithmTags.AES_256);

    /** MD5, SHA-1 and RIPEMD-160 are refused: collisions make such signatures forgeable in principle. */
    private static final Set<Integer> ACCEPTED_HASHES = Set.of(HashAlgorithmTags.SHA224, HashAlgorithmTags.SHA256,
            HashAlgorithmTags.SHA384, HashAlgorithmTags.SHA512, HashAlgorithmTags.SHA3_256, HashAlgorithmTags.SHA3_512);

    private final KeyFingerPrintCalculator fingerprints = new JcaKeyFingerprintCalculator();

    /**
     * Decrypts the header of {@code ciphertext} and positions at the literal data. Everything that can be
     * refused before plaintext flows is refused here; the rest is checked while streaming and by
     * {@link VerifiedPlaintext#verify()}. The plaintext it streams is UNTRUSTED until verify() returns:
     * the caller must commit nothing before then. The ciphertext stream is not closed.
     */
    public VerifiedPlaintext open(InputStream ciphertext, GatewayPgpKey gateway, PGPPublicKeyRing expectedSigner,
            PgpLimits limits) throws PgpVerificationException {
        Objects.requireNonNull(ciphertext, "ciphertext");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(expectedSigner, "expectedSigner");
        Objects.requireNonNull(limits, "limits");

        PGPObjectFactory outer = new PGPObjectFactory(decoderStream(ciphertext), fingerprints);
        PGPEncryptedDataList encryptedList = readEncryptedDataList(outer);
        PGPPublicKeyEncryptedData encrypted = selectForGateway(encryptedList, gateway);
        InputStream clear = decrypt(encrypted, gateway);

        PGPObjectFactory content = new PGPObjectFactory(clear, fingerprints);
        Object next = nextContentObject(content);
        if (next instanceof PGPCompressedData compressed) {
            long cap = saturatingAdd(Math.min(limits.maxPlaintextBytes(), limits.ratioCapBytes()),
                    FRAMING_ALLOWANCE_BYTES);
            try {
                content = new PGPObjectFactory(new ExpansionLimiter(compressed.getDataStream(), cap), fingerprints);
            } catch (PGPException e) {
                throw new PgpVerificationException(UNSUPPORTED, "unsupported compression", e);
            }
            next = nextContentObject(content);
            if (next instanceof PGPCompressedData) {
                // gpg never nests compression; nesting only serves to amplify a bomb.
                throw new PgpVerificationException(UNSUPPORTED, "nested compression");
            }
        }

        if (next instanceof PGPLiteralData || next instanceof PGPSignatureList) {
            throw new PgpVerificationException(UNSIGNED, "message has no one-pass signature");
        }
        if (!(next instanceof PGPOnePassSignatureList onePassList)) {
            throw new PgpVerificationException(UNSUPPORTED, "unexpected "
                    + (next == null ? "end of data" : next.getClass().getSimpleName()) + " inside encryption");
        }
        if (onePassList.size() != 1) {
            throw new PgpVerificationException(UNSUPPORTED, "message has " + onePassList.size() + " one-pass signatures");
        }
        PGPOnePassSignature onePass = onePassList.get(0);
        PGPPublicKey signerKey = checkOnePass(onePass, expectedSigner);

        next = nextContentObject(content);
        if (!(next instanceof PGPLiteralData literal)) {
            throw new PgpVerificationException(UNSUPPORTED, "one-pass signature is not followed by literal data");
        }
        return new VerifiedPlaintext(encrypted, outer, content, literal, onePass, signerKey, expectedSigner, limits);
    }

    private static InputStream decoderStream(InputStream ciphertext) throws PgpVerificationException {
        InputStream in = ciphertext.markSupported() ? ciphertext : new BufferedInputStream(ciphertext);
        try {
            in.mark(1);
            if (in.read() < 0) {
                throw new PgpVerificationException(NOT_OPENPGP, "empty input");
            }
            in.reset();
            // Detects ASCII armour and strips it; binary input passes through.
            return PGPUtil.getDecoderStream(in);
        } catch (PgpVerificationException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new PgpVerificationException(NOT_OPENPGP, "input is neither binary nor armoured OpenPGP", e);
        }
    }

    private static PGPEncryptedDataList readEncryptedDataList(PGPObjectFactory outer) throws PgpVerificationException {
        Object first;
        try {
            do {
                first = outer.nextObject();
            } while (first instanceof PGPMarker);
        } catch (IOException | RuntimeException e) {
            throw new PgpVerificationException(NOT_OPENPGP, "input is not an OpenPGP message", e);
        }
        if (!(first instanceof PGPEncryptedDataList list) || list.isEmpty()) {
            throw new PgpVerificationException(NOT_OPENPGP, "input is not an encrypted OpenPGP message");
        }
        return list;
    }

    private static PGPPublicKeyEncryptedData selectForGateway(PGPEncryptedDataList list, GatewayPgpKey gateway)
            throws PgpVerificationException {
        boolean anyPublicKey = false;
        for (PGPEncryptedData candidate : list) {
            if (candidate instanceof PGPPublicKeyEncryptedData publicKeyData) {
                anyPublicKey = true;
                // Key id 0 is an anonymous recipient (gpg --throw-keyids); decrypt() tries each gateway key.
                if (publicKeyData.getKeyID() == 0 || gateway.decryptionKey(publicKeyData.getKeyID()).isPresent()) {
                    if (!publicKeyData.isIntegrityProtected()) {
                        throw new PgpVerificationException(NO_INTEGRITY_PROTECTION,
                                "encrypted data has no integrity protection (legacy SED packet)");
                    }
                    return publicKeyData;
                }
            }
        }
        if (!anyPublicKey) {
            throw new PgpVerificationException(UNSUPPORTED, "password-based (symmetric-only) encryption");
        }
        throw new PgpVerificationException(WRONG_RECIPIENT, "not encrypted to any gateway key");
    }

    private static InputStream decrypt(PGPPublicKeyEncryptedData encrypted, GatewayPgpKey gateway)
            throws PgpVerificationException {
        List<Long> keyIds = encrypted.getKeyID() == 0
                ? List.copyOf(gateway.decryptionKeyIds())
                : List.of(encrypted.getKeyID());
        PGPSessionKey sessionKey = null;
        Exception lastFailure = null;
        for (long keyId : keyIds) {
            PGPPrivateKey key = gateway.decryptionKey(keyId).orElseThrow();
            JcePublicKeyDataDecryptorFactoryBuilder unwrap = new JcePublicKeyDataDecryptorFactoryBuilder();
            Provider provider = SessionKeyProviders.forKey(gateway.publicRing().getPublicKey(keyId));
            if (provider != null) {
                unwrap.setProvider(provider);
            }
            try {
                // The session key first, so a wrong anonymous-recipient guess consumes no ciphertext.
                sessionKey = encrypted.getSessionKey(unwrap.build(key));
                break;
            } catch (PGPException | RuntimeException e) {
                lastFailure = e;
            }
        }
        if (sessionKey == null) {
            throw new PgpVerificationException(NOT_DECRYPTABLE, "session key cannot be recovered", lastFailure);
        }
        if (!ACCEPTED_CIPHERS.contains(sessionKey.getAlgorithm())) {
            throw new PgpVerificationException(UNSUPPORTED, "symmetric algorithm " + sessionKey.getAlgorithm()
                    + " is not accepted (AES only)");
        }
        try {
            return encrypted.getDataStream(new JceSessionKeyDataDecryptorFactoryBuilder().build(sessionKey));
        } catch (PGPException | RuntimeException e) {
            throw new PgpVerificationException(NOT_DECRYPTABLE, "encrypted data cannot be decrypted", e);
        }
    }

    private static Object nextContentObject(PGPObjectFactory factory) throws PgpVerificationException {
        try {
            return factory.nextObject();
        } catch (IOException | RuntimeException e) {
            if (PgpVerificationException.findIn(e) != null) {
                throw PgpVerificationException.findIn(e);
            }
            // Garbage after successful decryption means the ciphertext was modified.
            throw new PgpVerificationException(INTEGRITY_CHECK_FAILED, "decrypted data is malformed", e);
        }
    }

    private PGPPublicKey checkOnePass(PGPOnePassSignature onePass, PGPPublicKeyRing expectedSigner)
            throws PgpVerificationException {
        int type = onePass.getSignatureType();
        if (type != PGPSignature.BINARY_DOCUMENT && type != PGPSignature.CANONICAL_TEXT_DOCUMENT) {
            throw new PgpVerificationException(BAD_SIGNATURE, "signature type " + type + " is not a document signature");
        }
        if (!ACCEPTED_HASHES.contains(onePass.getHashAlgorithm())) {
            throw new PgpVerificationException(BAD_SIGNATURE, "signature hash algorithm "
                    + onePass.getHashAlgorithm() + " is not accepted");
        }
        // Pinned by key id within the partner's own ring; user ids play no part.
        PGPPublicKey signerKey = PgpKeys.findSigningKey(expectedSigner, onePass.getKeyID())
                .orElseThrow(() -> new PgpVerificationException(WRONG_SIGNER,
                        expectedSigner.getPublicKey(onePass.getKeyID()) == null
                                ? "not signed by the expected partner key"
                                : "signing key of the expected partner is revoked, expired or not for signing"));
        try {
            onePass.init(new JcaPGPContentVerifierBuilderProvider(), signerKey);
        } catch (PGPException | RuntimeException e) {
            throw new PgpVerificationException(BAD_SIGNATURE, "signature cannot be checked with the signer key", e);
        }
        return signerKey;
    }

    private static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /** Fails with TOO_LARGE once more than {@code cap} bytes come out of the decompressor. */
    private static final class ExpansionLimiter extends FilterInputStream {
        private final long cap;
        private long count;

        ExpansionLimiter(InputStream decompressed, long cap) {
            super(decompressed);
            this.cap = cap;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                account(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                account(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            account(skipped);
            return skipped;
        }

        private void account(long n) throws PgpVerificationException {
            count += n;
            if (count > cap) {
                throw new PgpVerificationException(TOO_LARGE, "decompressed data exceeds " + cap
                        + " bytes (possible compression bomb)");
            }
        }
    }
}
