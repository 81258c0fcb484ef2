package org.linkgate.crypto;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Date;
import java.util.Objects;
import java.util.zip.Deflater;

import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.BCPGOutputStream;
import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPCompressedDataGenerator;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyKeyEncryptionMethodGenerator;

/**
 * Encrypts and signs for a partner, streaming: AES-256 with integrity protection (SEIPD v1, which
 * gpg 2.2 reads), ZLIB, one-pass SHA-256 signature by the gateway key, to the ring's encryption key.
 * Also makes armoured detached signatures. Fails with {@link PGPException} or {@link IOException}.
 */
public final class PgpEncryptSigner {

    /** Partial-packet buffer: bounds memory whatever the input size. */
    private static final int BUFFER_BYTES = 1 << 16;

    private final SecureRandom random;
    private final boolean armored;

    /** Binary output. */
    public PgpEncryptSigner() {
        this(false);
    }

    /** Binary output, or ASCII armour when {@code armored} is true. */
    public PgpEncryptSigner(boolean armored) {
        this.random = new SecureRandom();
        this.armored = armored;
    }

    /**
     * Reads {@code plaintext} to its end and writes the encrypted, signed message to {@code out}.
     * Neither stream is closed. The recipient key is the ring's own encryption key (no user-id lookup).
     */
    public void encryptAndSign(InputStream plaintext, OutputStream out, PGPPublicKeyRing recipient,
            GatewayPgpKey signer, String literalFileName) throws IOException, PGPException {
        Objects.requireNonNull(plaintext, "plaintext");
        encryptAndSign(literal -> plaintext.transferTo(literal), out, recipient, signer, literalFileName);
    }

    /** Writes a message's plaintext into the stream it is given (which it must not close). */
    @FunctionalInterface
    public interface PlaintextWriter {
        void writeTo(OutputStream plaintext) throws IOException;
    }

    /**
     * As {@link #encryptAndSign(InputStream, OutputStream, PGPPublicKeyRing, GatewayPgpKey, String)}, but the
     * plaintext is pushed by {@code plaintext} (e.g. a zip written entry by entry), so a message can be
     * produced in one streaming pass with no clear copy anywhere. {@code out} is not closed.
     */
    public void encryptAndSign(PlaintextWriter plaintext, OutputStream out, PGPPublicKeyRing recipient,
            GatewayPgpKey signer, String literalFileName) throws IOException, PGPException {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(literalFileName, "literalFileName");
        PGPPublicKey encryptionKey = PgpKeys.requireEncryptionKey(Objects.requireNonNull(recipient, "recipient"));

        PGPEncryptedDataGenerator encryption = new PGPEncryptedDataGenerator(
                new JcePGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256)
                        .setWithIntegrityPacket(true)
                        .setSecureRandom(random));
        JcePublicKeyKeyEncryptionMethodGenerator keyWrap = new JcePublicKeyKeyEncryptionMethodGenerator(encryptionKey)
                .setSecureRandom(random);
        if (SessionKeyProviders.forKey(encryptionKey) != null) {
            keyWrap.setProvider(SessionKeyProviders.forKey(encryptionKey));
        }
        encryption.addMethod(keyWrap);
        PGPSignatureGenerator signature = newSignatureGenerator(signer);

        OutputStream target = nonClosing(out);
        OutputStream armour = armored ? ArmoredOutputStream.builder().build(target) : target;
        try (OutputStream encrypted = encryption.open(armour, new byte[BUFFER_BYTES])) {
            // Level 1: a quarter of the cost of the default level 6 for CSV that still shrinks about as well.
            PGPCompressedDataGenerator compression = new PGPCompressedDataGenerator(CompressionAlgorithmTags.ZLIB,
                    Deflater.BEST_SPEED);
            try (OutputStream compressed = compression.open(encrypted)) {
                signature.generateOnePassVersion(false).encode(compressed);
                PGPLiteralDataGenerator literal = new PGPLiteralDataGenerator();
                try (OutputStream literalOut = literal.open(compressed, PGPLiteralData.BINARY, literalFileName,
                        new Date(), new byte[BUFFER_BYTES])) {
                    plaintext.writeTo(new SigningOutputStream(literalOut, signature));
                }
                signature.generate().encode(compressed);
            }
        } finally {
            if (armored) {
                armour.close();
            }
        }
        out.flush();
    }

    /**
     * Signs {@code data} (read to its end, not closed) with the gateway key and returns an ASCII-armoured
     * detached binary-document signature, as checked by {@code gpg --verify sig data}.
     */
    public String signDetachedArmored(InputStream data, GatewayPgpKey signer) throws IOException, PGPException {
        Objects.requireNonNull(data, "data");
        PGPSignatureGenerator signature = newSignatureGenerator(Objects.requireNonNull(signer, "signer"));
        byte[] buffer = new byte[BUFFER_BYTES];
        int n;
        while ((n = data.read(buffer)) >= 0) {
            signature.update(buffer, 0, n);
        }
        ByteArrayOutputStream armouredSignature = new ByteArrayOutputStream();
        try (ArmoredOutputStream armour = ArmoredOutputStream.builder().build(armouredSignature);
                BCPGOutputStream packets = new BCPGOutputStream(armour)) {
            signature.generate().encode(packets);
        }
        return armouredSignature.toString(StandardCharsets.US_ASCII);
    }

    private static PGPSignatureGenerator newSignatureGenerator(GatewayPgpKey signer) throws PGPException {
        PGPPublicKey signingKey = signer.signingPublicKey();
        PGPSignatureGenerator generator = new PGPSignatureGenerator(
                new JcaPGPContentSignerBuilder(signingKey.getAlgorithm(), HashAlgorithmTags.SHA256), signingKey);
        generator.init(PGPSignature.BINARY_DOCUMENT, signer.signingKey());
        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        hashed.setSignatureCreationTime(true, new Date());
        // The issuer fingerprint lets verifiers pin the exact key rather than a 64-bit id.
        hashed.setIssuerFingerprint(false, signingKey);
        generator.setHashedSubpackets(hashed.generate());
        PGPSignatureSubpacketGenerator unhashed = new PGPSignatureSubpacketGenerator();
        unhashed.setIssuerKeyID(false, signingKey.getKeyID());
        generator.setUnhashedSubpackets(unhashed.generate());
        return generator;
    }

    private static OutputStream nonClosing(OutputStream out) {
        // Closing the OpenPGP layers must finish the message without closing the caller's stream.
        return new FilterOutputStream(out) {
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

    /** Passes bytes on to the literal packet and into the one-pass signature; close is ignored. */
    private static final class SigningOutputStream extends OutputStream {
        private final OutputStream literal;
        private final PGPSignatureGenerator signature;

        SigningOutputStream(OutputStream literal, PGPSignatureGenerator signature) {
            this.literal = literal;
            this.signature = signature;
        }

        @Override
        public void write(int b) throws IOException {
            literal.write(b);
            signature.update((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            literal.write(b, off, len);
            signature.update(b, off, len);
        }

        @Override
        public void close() {
            // the message is finished by encryptAndSign, not by the writer
        }
    }
}
