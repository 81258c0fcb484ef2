package org.linkgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyDataDecryptorFactoryBuilder;
import org.junit.jupiter.api.Test;

class PgpEncryptSignerTest {

    private static final byte[] DATA = "id,value\n1,42\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void outputUsesAes256WithIntegrityZlibAndSha256OnePassSignature() throws Exception {
        GatewayPgpKey gateway = TestKeys.unlocked(TestKeys.gateway());
        GatewayPgpKey council = TestKeys.unlocked(TestKeys.council());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PgpEncryptSigner().encryptAndSign(new ByteArrayInputStream(DATA), out, council.publicRing(), gateway,
                "extract.csv");

        JcaKeyFingerprintCalculator fp = new JcaKeyFingerprintCalculator();
        PGPEncryptedDataList list = (PGPEncryptedDataList) new PGPObjectFactory(out.toByteArray(), fp).nextObject();
        assertThat(list.size()).isEqualTo(1);
        PGPPublicKeyEncryptedData encrypted = (PGPPublicKeyEncryptedData) list.get(0);
        // Pinned to the recipient ring's encryption subkey, with MDC.
        assertThat(encrypted.getKeyID()).isEqualTo(PgpKeys.requireEncryptionKey(council.publicRing()).getKeyID());
        assertThat(encrypted.isIntegrityProtected()).isTrue();
        assertThat(encrypted.isAEAD()).isFalse();
        var unwrap = new JcePublicKeyDataDecryptorFactoryBuilder();
        var provider = SessionKeyProviders.forKey(council.publicRing().getPublicKey(encrypted.getKeyID()));
        if (provider != null) {
            unwrap.setProvider(provider);
        }
        var decryptor = unwrap.build(council.decryptionKey(encrypted.getKeyID()).orElseThrow());
        assertThat(encrypted.getSymmetricAlgorithm(decryptor)).isEqualTo(SymmetricKeyAlgorithmTags.AES_256);

        PGPCompressedData compressed = (PGPCompressedData) new PGPObjectFactory(encrypted.getDataStream(decryptor), fp)
                .nextObject();
        assertThat(compressed.getAlgorithm()).isEqualTo(CompressionAlgorithmTags.ZLIB);
        PGPOnePassSignatureList onePass = (PGPOnePassSignatureList) new PGPObjectFactory(compressed.getDataStream(), fp)
                .nextObject();
        assertThat(onePass.get(0).getHashAlgorithm()).isEqualTo(HashAlgorithmTags.SHA256);
        assertThat(onePass.get(0).getSignatureType()).isEqualTo(PGPSignature.BINARY_DOCUMENT);
        assertThat(onePass.get(0).getKeyID()).isEqualTo(gateway.signingPublicKey().getKeyID());
    }

    @Test
    void armouredOutputRoundTrips() throws Exception {
        GatewayPgpKey gateway = TestKeys.unlocked(TestKeys.gateway());
        GatewayPgpKey council = TestKeys.unlocked(TestKeys.council());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PgpEncryptSigner(true).encryptAndSign(new ByteArrayInputStream(DATA), out, gateway.publicRing(), council,
                "batch.csv");
        assertThat(out.toString(StandardCharsets.US_ASCII)).startsWith("-----BEGIN PGP MESSAGE-----");

        VerifiedPlaintext opened = new PgpDecryptVerifier().open(new ByteArrayInputStream(out.toByteArray()),
                gateway, council.publicRing(), new PgpLimits(1 << 20, 100, out.size()));
        assertThat(opened.plaintext().readAllBytes()).isEqualTo(DATA);
        assertThat(opened.verify()).isEqualTo(council.fingerprint());
    }

    @Test
    void detachedSignatureVerifiesAndCoversExactlyTheData() throws Exception {
        GatewayPgpKey gateway = TestKeys.unlocked(TestKeys.gateway());
        String armoured = new PgpEncryptSigner().signDetachedArmored(new ByteArrayInputStream(DATA), gateway);

        PGPSignature signature = ((PGPSignatureList) new PGPObjectFactory(
                PGPUtil.getDecoderStream(new ByteArrayInputStream(armoured.getBytes(StandardCharsets.US_ASCII))),
                new JcaKeyFingerprintCalculator()).nextObject()).get(0);
        assertThat(signature.getSignatureType()).isEqualTo(PGPSignature.BINARY_DOCUMENT);
        assertThat(signature.getHashAlgorithm()).isEqualTo(HashAlgorithmTags.SHA256);

        signature.init(new JcaPGPContentVerifierBuilderProvider(), gateway.signingPublicKey());
        signature.update(DATA);
        assertThat(signature.verify()).isTrue();

        signature.init(new JcaPGPContentVerifierBuilderProvider(), gateway.signingPublicKey());
        signature.update("id,value\n1,43\n".getBytes(StandardCharsets.UTF_8));
        assertThat(signature.verify()).isFalse();
    }
}
