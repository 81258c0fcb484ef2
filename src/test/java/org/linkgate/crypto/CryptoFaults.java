package org.linkgate.crypto;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.Date;
import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyKeyEncryptionMethodGenerator;
import org.bouncycastle.openpgp.PGPCompressedDataGenerator;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;

/** Faulty OpenPGP messages for end-to-end tests in other packages, built on {@link TestMessages}. */
public final class CryptoFaults {

    private CryptoFaults() {
    }

    /** Encrypted to the recipient, integrity-protected, but carrying no signature. */
    public static byte[] unsigned(byte[] content, PGPPublicKeyRing recipient) throws Exception {
        TestMessages message = new TestMessages();
        message.recipient = PgpKeys.requireEncryptionKey(recipient);
        message.content = content;
        return message.build();
    }

    /** Signed and encrypted, but in a legacy symmetrically encrypted packet without MDC. */
    public static byte[] withoutIntegrityProtection(byte[] content, PGPPublicKeyRing recipient, GatewayPgpKey signer)
            throws Exception {
        TestMessages message = new TestMessages();
        message.recipient = PgpKeys.requireEncryptionKey(recipient);
        message.signer = signer;
        message.integrityProtected = false;
        message.content = content;
        return message.build();
    }

    /**
     * A signed, encrypted message whose compressed literal data expands to {@code plaintextBytes}
     * of zeros: a few kilobytes on the wire, a compression bomb once opened. The trailing
     * signature is over nothing (so wrong), since the size cap must fire long before it is read.
     */
    public static byte[] compressionBomb(long plaintextBytes, PGPPublicKeyRing recipient, GatewayPgpKey signer)
            throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PGPEncryptedDataGenerator encryption = new PGPEncryptedDataGenerator(
                new JcePGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256).setWithIntegrityPacket(true));
        PGPPublicKey encryptionKey = PgpKeys.requireEncryptionKey(recipient);
        JcePublicKeyKeyEncryptionMethodGenerator keyWrap = new JcePublicKeyKeyEncryptionMethodGenerator(encryptionKey);
        if (SessionKeyProviders.forKey(encryptionKey) != null) {
            // Curve25519 (ECDH) recipients need BouncyCastle for the key wrap, as in PgpEncryptSigner.
            keyWrap.setProvider(SessionKeyProviders.forKey(encryptionKey));
        }
        encryption.addMethod(keyWrap);
        try (OutputStream encrypted = encryption.open(out, new byte[1 << 16])) {
            PGPCompressedDataGenerator compressor = new PGPCompressedDataGenerator(CompressionAlgorithmTags.ZLIB);
            OutputStream zip = compressor.open(encrypted);
            PGPSignatureGenerator signature = new PGPSignatureGenerator(new JcaPGPContentSignerBuilder(
                    signer.signingPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256), signer.signingPublicKey());
            signature.init(PGPSignature.BINARY_DOCUMENT, signer.signingKey());
            signature.generateOnePassVersion(false).encode(zip);
            try (OutputStream literal = new PGPLiteralDataGenerator().open(zip, PGPLiteralData.BINARY, "batch.csv",
                    new Date(), new byte[1 << 16])) {
                byte[] zeros = new byte[1 << 16];
                for (long written = 0; written < plaintextBytes; written += zeros.length) {
                    literal.write(zeros);
                }
            }
            signature.generate().encode(zip);
            compressor.close();
        }
        return out.toByteArray();
    }
}
