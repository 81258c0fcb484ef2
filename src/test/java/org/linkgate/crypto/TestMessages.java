package org.linkgate.crypto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Date;

import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPCompressedDataGenerator;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPBEKeyEncryptionMethodGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyKeyEncryptionMethodGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;

/**
 * Builds deliberately non-conforming OpenPGP messages for the rejection tests. Uses BC's lightweight
 * encryptor because the legacy (no MDC) CFB mode is not in the default JCE provider.
 */
final class TestMessages {

    static final int NO_COMPRESSION = -1;

    PGPPublicKey recipient;
    char[] passwordInsteadOfRecipient;
    boolean integrityProtected = true;
    int compression = CompressionAlgorithmTags.ZLIB;
    GatewayPgpKey signer;
    int signatureType = PGPSignature.BINARY_DOCUMENT;
    int hashAlgorithm = HashAlgorithmTags.SHA256;
    int literalPackets = 1;
    byte[] content = "id,name\n1,SECRET-PII-ROW\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    /** When set, the signature covers these bytes instead of the content: a signature that fails. */
    byte[] signedContentOverride;
    boolean encrypt = true;

    byte[] build() throws IOException, PGPException {
        ByteArrayOutputStream result = new ByteArrayOutputStream();
        if (!encrypt) {
            writeContent(result);
            return result.toByteArray();
        }
        PGPEncryptedDataGenerator encryption = new PGPEncryptedDataGenerator(
                new BcPGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256)
                        .setWithIntegrityPacket(integrityProtected));
        if (passwordInsteadOfRecipient != null) {
            encryption.addMethod(new BcPBEKeyEncryptionMethodGenerator(passwordInsteadOfRecipient));
        } else {
            encryption.addMethod(new BcPublicKeyKeyEncryptionMethodGenerator(recipient));
        }
        try (OutputStream encrypted = encryption.open(result, new byte[1 << 12])) {
            writeContent(encrypted);
        }
        return result.toByteArray();
    }

    private void writeContent(OutputStream out) throws IOException, PGPException {
        PGPCompressedDataGenerator compressor = compression == NO_COMPRESSION ? null
                : new PGPCompressedDataGenerator(compression);
        OutputStream inner = compressor == null ? out : compressor.open(out);
        PGPSignatureGenerator signature = null;
        if (signer != null) {
            signature = new PGPSignatureGenerator(new JcaPGPContentSignerBuilder(
                    signer.signingPublicKey().getAlgorithm(), hashAlgorithm), signer.signingPublicKey());
            signature.init(signatureType, signer.signingKey());
            signature.generateOnePassVersion(false).encode(inner);
        }
        for (int i = 0; i < literalPackets; i++) {
            try (OutputStream literal = new PGPLiteralDataGenerator().open(inner, PGPLiteralData.BINARY,
                    "batch.csv", content.length, new Date())) {
                literal.write(content);
            }
        }
        if (signature != null) {
            signature.update(signedContentOverride != null ? signedContentOverride : content);
            signature.generate().encode(inner);
        }
        if (compressor != null) {
            compressor.close();
        }
    }
}
