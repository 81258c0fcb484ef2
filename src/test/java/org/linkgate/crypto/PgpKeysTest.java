package org.linkgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePBESecretKeyDecryptorBuilder;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgpKeysTest {

    @TempDir
    Path dir;

    @Test
    void armouredRingsRoundTripThroughFiles() throws Exception {
        GeneratedPgpKey key = TestKeys.gateway();
        Path publicFile = dir.resolve("gateway.asc");
        Path secretFile = dir.resolve("gateway-secret.asc");
        key.writeArmoredPublic(publicFile);
        key.writeArmoredSecret(secretFile);

        PGPPublicKeyRing publicRing = PgpKeys.readPublicKeyRing(publicFile);
        PGPSecretKeyRing secretRing = PgpKeys.readSecretKeyRing(secretFile);

        assertThat(PgpKeys.fingerprint(publicRing.getPublicKey())).isEqualTo(key.fingerprint());
        assertThat(secretRing.getPublicKey().getKeyID()).isEqualTo(key.secret().getPublicKey().getKeyID());
        assertThat(new GatewayPgpKey(secretRing, TestKeys.PASSPHRASE).fingerprint()).isEqualTo(key.fingerprint());
    }

    @Test
    void binaryRingIsReadToo() throws Exception {
        byte[] binary = TestKeys.council().publicRing().getEncoded();
        assertThat(PgpKeys.readPublicKeyRing(new ByteArrayInputStream(binary)).getPublicKey().getKeyID())
                .isEqualTo(TestKeys.council().publicRing().getPublicKey().getKeyID());
    }

    @Test
    void fingerprintIsUpperCaseHexOfFortyDigits() throws Exception {
        assertThat(TestKeys.gateway().fingerprint()).matches("[0-9A-F]{40}");
    }

    @Test
    void encryptionKeyIsTheSubkeyNotThePrimary() throws Exception {
        PGPPublicKeyRing ring = TestKeys.gateway().publicRing();
        PGPPublicKey encryption = PgpKeys.requireEncryptionKey(ring);
        assertThat(encryption.isMasterKey()).isFalse();
        assertThat(PgpKeys.findSigningKey(ring, encryption.getKeyID())).isEmpty();
        assertThat(PgpKeys.findSigningKey(ring, ring.getPublicKey().getKeyID())).isPresent();
    }

    @Test
    void revokedEncryptionSubkeyIsNotUsed() throws Exception {
        GeneratedPgpKey key = TestKeys.stranger();
        PGPPublicKeyRing ring = key.publicRing();
        PGPPublicKey subkey = PgpKeys.requireEncryptionKey(ring);
        PGPPrivateKey primary = key.secret().getSecretKey().extractPrivateKey(
                new JcePBESecretKeyDecryptorBuilder(new JcaPGPDigestCalculatorProviderBuilder().build())
                        .build(TestKeys.PASSPHRASE));
        PGPSignatureGenerator revocation = new PGPSignatureGenerator(new JcaPGPContentSignerBuilder(
                ring.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256), ring.getPublicKey());
        revocation.init(PGPSignature.SUBKEY_REVOCATION, primary);
        PGPSignature signature = revocation.generateCertification(ring.getPublicKey(), subkey);
        PGPPublicKeyRing revoked = PGPPublicKeyRing.insertPublicKey(ring,
                PGPPublicKey.addCertification(subkey, signature));

        assertThat(PgpKeys.findEncryptionKey(revoked)).isEmpty();
        assertThrows(PGPException.class, () -> PgpKeys.requireEncryptionKey(revoked));
    }

    @Nested
    class Refuses {

        @Test
        void twoRingsInOneFile() throws Exception {
            byte[] binary = concat(TestKeys.gateway().publicRing().getEncoded(),
                    TestKeys.council().publicRing().getEncoded());
            PGPException e = assertThrows(PGPException.class,
                    () -> PgpKeys.readPublicKeyRing(new ByteArrayInputStream(binary)));
            assertThat(e.getMessage()).contains("exactly one");
        }

        @Test
        void secretRingWherePublicExpected() throws Exception {
            byte[] secret = TestKeys.gateway().secret().getEncoded();
            assertThrows(PGPException.class, () -> PgpKeys.readPublicKeyRing(new ByteArrayInputStream(secret)));
        }

        @Test
        void publicRingWhereSecretExpected() throws Exception {
            byte[] publicRing = TestKeys.gateway().publicRing().getEncoded();
            assertThrows(PGPException.class, () -> PgpKeys.readSecretKeyRing(new ByteArrayInputStream(publicRing)));
        }

        @Test
        void emptyOrGarbageInput() {
            assertThrows(Exception.class, () -> PgpKeys.readPublicKeyRing(new ByteArrayInputStream(new byte[0])));
            assertThrows(Exception.class, () -> PgpKeys.readPublicKeyRing(
                    new ByteArrayInputStream("not a key".getBytes(StandardCharsets.US_ASCII))));
        }

        @Test
        void wrongPassphraseWithoutRevealingIt() throws Exception {
            char[] wrong = "definitely-wrong-passphrase".toCharArray();
            PGPException e = assertThrows(PGPException.class,
                    () -> new GatewayPgpKey(TestKeys.gateway().secret(), wrong));
            assertThat(e.getMessage()).doesNotContain("definitely-wrong-passphrase");
        }
    }

    @Test
    void gatewayKeyToStringShowsOnlyTheFingerprint() throws Exception {
        GatewayPgpKey gateway = TestKeys.unlocked(TestKeys.gateway());
        assertThat(gateway.toString()).isEqualTo("GatewayPgpKey[" + TestKeys.gateway().fingerprint() + "]");
        assertThat(gateway.decryptionKeyIds()).containsExactly(
                PgpKeys.requireEncryptionKey(TestKeys.gateway().publicRing()).getKeyID());
        assertThat(gateway.signingPublicKey().isMasterKey()).isTrue();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = new byte[a.length + b.length];
        System.arraycopy(a, 0, joined, 0, a.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
