package org.linkgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.cryptlib.CryptlibObjectIdentifiers;
import org.bouncycastle.asn1.gnu.GNUObjectIdentifiers;
import org.bouncycastle.bcpg.ECDHPublicBCPGKey;
import org.bouncycastle.bcpg.ECSecretBCPGKey;
import org.bouncycastle.bcpg.EdDSAPublicBCPGKey;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.linkgate.crypto.PgpKeyPairGenerator.KeyAlgorithm;

/** Keys from {@link PgpKeyPairGenerator}, each algorithm in both roles: gateway and council signer. */
class PgpKeyPairGeneratorTest {

    private static final byte[] DATA = "id,name\n1,Alice\n2,Bob\n".getBytes(StandardCharsets.UTF_8);
    private static final char[] PASSPHRASE = "generator test passphrase".toCharArray();

    /** Generated here, independently of the shared {@link TestKeys}. */
    private static GeneratedPgpKey curveGateway;
    private static GeneratedPgpKey curveCouncil;

    @BeforeAll
    static void generate() throws PGPException {
        PgpKeyPairGenerator generator = new PgpKeyPairGenerator();
        curveGateway = generator.generate("Gateway <gateway@example.invalid>", PASSPHRASE, KeyAlgorithm.CURVE25519);
        curveCouncil = generator.generate("Council <council@example.invalid>", PASSPHRASE, KeyAlgorithm.CURVE25519);
    }

    @Test
    void curve25519IsEd25519PrimaryAndCv25519SubkeyAsGpgFutureDefault() throws PGPException {
        List<PGPPublicKey> keys = keys(curveGateway.publicRing());
        assertThat(keys).hasSize(2);

        PGPPublicKey primary = keys.get(0);
        assertThat(primary.isMasterKey()).isTrue();
        assertThat(primary.getVersion()).isEqualTo(PublicKeyPacket.VERSION_4);
        assertThat(primary.getAlgorithm()).isEqualTo(PublicKeyAlgorithmTags.EDDSA_LEGACY);
        EdDSAPublicBCPGKey ed25519 = (EdDSAPublicBCPGKey) primary.getPublicKeyPacket().getKey();
        assertThat(ed25519.getCurveOID()).isEqualTo(GNUObjectIdentifiers.Ed25519);
        assertThat(keyFlags(primary, primary)).isEqualTo(KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);

        PGPPublicKey subkey = keys.get(1);
        assertThat(subkey.isMasterKey()).isFalse();
        assertThat(subkey.getVersion()).isEqualTo(PublicKeyPacket.VERSION_4);
        assertThat(subkey.getAlgorithm()).isEqualTo(PublicKeyAlgorithmTags.ECDH);
        ECDHPublicBCPGKey cv25519 = (ECDHPublicBCPGKey) subkey.getPublicKeyPacket().getKey();
        assertThat(cv25519.getCurveOID()).isEqualTo(CryptlibObjectIdentifiers.curvey25519);
        assertThat(cv25519.getHashAlgorithm()).isEqualTo((byte) HashAlgorithmTags.SHA256);
        assertThat(cv25519.getSymmetricKeyAlgorithm()).isEqualTo((byte) SymmetricKeyAlgorithmTags.AES_256);
        assertThat(keyFlags(primary, subkey)).isEqualTo(KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE);

        assertThat(PgpKeys.requireEncryptionKey(curveGateway.publicRing()).getKeyID()).isEqualTo(subkey.getKeyID());
        assertThat(PgpKeys.findSigningKey(curveGateway.publicRing(), primary.getKeyID())).isPresent();
        assertThat(PgpKeys.findSigningKey(curveGateway.publicRing(), subkey.getKeyID())).isEmpty();
    }

    @Test
    void cv25519SecretScalarIsClampedAsGpgRequires() throws PGPException {
        GatewayPgpKey unlocked = new GatewayPgpKey(curveGateway.secret(), PASSPHRASE);
        long subkeyId = PgpKeys.requireEncryptionKey(curveGateway.publicRing()).getKeyID();
        // Stored as an MPI of the scalar in reverse (big-endian) byte order, so RFC 7748 clamping shows as:
        // bit 254 set, bit 255 clear, bits 0-2 clear.
        BigInteger reversedScalar = ((ECSecretBCPGKey) unlocked.decryptionKey(subkeyId).orElseThrow()
                .getPrivateKeyDataPacket()).getX();
        assertThat(reversedScalar.bitLength()).isEqualTo(255);
        assertThat(reversedScalar.getLowestSetBit()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void defaultAlgorithmIsCurve25519() throws PGPException {
        assertThat(PgpKeyPairGenerator.DEFAULT_ALGORITHM).isEqualTo(KeyAlgorithm.CURVE25519);
        GeneratedPgpKey key = new PgpKeyPairGenerator().generate("Default <default@example.invalid>", PASSPHRASE);
        assertThat(key.publicRing().getPublicKey().getAlgorithm()).isEqualTo(PublicKeyAlgorithmTags.EDDSA_LEGACY);
        assertThat(PgpKeys.requireEncryptionKey(key.publicRing()).getAlgorithm()).isEqualTo(PublicKeyAlgorithmTags.ECDH);
    }

    @Test
    void rsaIsRsa3072PrimaryAndSubkey() throws PGPException {
        List<PGPPublicKey> keys = keys(TestKeys.rsaGateway().publicRing());
        assertThat(keys).hasSize(2);
        for (PGPPublicKey key : keys) {
            assertThat(key.getVersion()).isEqualTo(PublicKeyPacket.VERSION_4);
            assertThat(key.getAlgorithm()).isEqualTo(PublicKeyAlgorithmTags.RSA_GENERAL);
            assertThat(key.getBitStrength()).isEqualTo(3072);
        }
        assertThat(PgpKeys.requireEncryptionKey(TestKeys.rsaGateway().publicRing()).isMasterKey()).isFalse();
    }

    @ParameterizedTest(name = "armored={0}")
    @ValueSource(booleans = {false, true})
    void curve25519GatewayRoundTrip(boolean armored) throws Exception {
        GatewayPgpKey gateway = new GatewayPgpKey(curveGateway.secret(), PASSPHRASE);
        GatewayPgpKey council = new GatewayPgpKey(curveCouncil.secret(), PASSPHRASE);

        // The gateway's reply to the council, opened by the council...
        byte[] reply = encryptAndSign(armored, council.publicRing(), gateway);
        assertThat(open(reply, council, gateway.publicRing())).isEqualTo(curveGateway.fingerprint());
        // ...and the council's batch to the gateway: the Curve25519 key as council signer.
        byte[] batch = encryptAndSign(armored, gateway.publicRing(), council);
        assertThat(open(batch, gateway, council.publicRing())).isEqualTo(curveCouncil.fingerprint());
    }

    @Test
    void curve25519CouncilSignatureFromAnotherKeyIsRefused() throws Exception {
        GatewayPgpKey gateway = new GatewayPgpKey(curveGateway.secret(), PASSPHRASE);
        GatewayPgpKey council = new GatewayPgpKey(curveCouncil.secret(), PASSPHRASE);
        byte[] batch = encryptAndSign(false, gateway.publicRing(), council);

        PgpVerificationException e = assertThrows(PgpVerificationException.class,
                () -> open(batch, gateway, TestKeys.stranger().publicRing()));
        assertThat(e.reason()).isEqualTo(PgpVerificationException.Reason.WRONG_SIGNER);
    }

    @Test
    void rsaGatewayRoundTripWithCurve25519Council() throws Exception {
        GatewayPgpKey rsaGateway = TestKeys.unlocked(TestKeys.rsaGateway());
        GatewayPgpKey council = new GatewayPgpKey(curveCouncil.secret(), PASSPHRASE);

        byte[] batch = encryptAndSign(false, rsaGateway.publicRing(), council);
        assertThat(open(batch, rsaGateway, council.publicRing())).isEqualTo(curveCouncil.fingerprint());
        byte[] reply = encryptAndSign(true, council.publicRing(), rsaGateway);
        assertThat(open(reply, council, rsaGateway.publicRing())).isEqualTo(TestKeys.rsaGateway().fingerprint());
    }

    @Test
    void curve25519DetachedSignatureVerifies() throws Exception {
        GatewayPgpKey gateway = new GatewayPgpKey(curveGateway.secret(), PASSPHRASE);
        String armoured = new PgpEncryptSigner().signDetachedArmored(new ByteArrayInputStream(DATA), gateway);
        PGPSignature signature = ((PGPSignatureList) new PGPObjectFactory(
                PGPUtil.getDecoderStream(new ByteArrayInputStream(armoured.getBytes(StandardCharsets.US_ASCII))),
                new JcaKeyFingerprintCalculator()).nextObject()).get(0);
        assertThat(signature.getKeyAlgorithm()).isEqualTo(PublicKeyAlgorithmTags.EDDSA_LEGACY);
        assertThat(signature.getHashAlgorithm()).isEqualTo(HashAlgorithmTags.SHA256);

        signature.init(new JcaPGPContentVerifierBuilderProvider(), gateway.signingPublicKey());
        signature.update(DATA);
        assertThat(signature.verify()).isTrue();
    }

    @Test
    void curve25519SecretKeysAreProtectedByThePassphrase() {
        char[] wrong = "not the passphrase".toCharArray();
        assertThrows(PGPException.class, () -> new GatewayPgpKey(curveGateway.secret(), wrong));
    }

    private static byte[] encryptAndSign(boolean armored, PGPPublicKeyRing recipient, GatewayPgpKey signer)
            throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PgpEncryptSigner(armored).encryptAndSign(new ByteArrayInputStream(DATA), out, recipient, signer,
                "batch.csv");
        return out.toByteArray();
    }

    /** Opens, checks the plaintext and returns the verified signer fingerprint. */
    private static String open(byte[] message, GatewayPgpKey recipient, PGPPublicKeyRing expectedSigner)
            throws Exception {
        VerifiedPlaintext opened = new PgpDecryptVerifier().open(new ByteArrayInputStream(message), recipient,
                expectedSigner, new PgpLimits(1 << 20, 1000, message.length));
        assertThat(opened.plaintext().readAllBytes()).isEqualTo(DATA);
        return opened.verify();
    }

    private static List<PGPPublicKey> keys(PGPPublicKeyRing ring) {
        List<PGPPublicKey> keys = new ArrayList<>();
        ring.getPublicKeys().forEachRemaining(keys::add);
        return keys;
    }

    private static int keyFlags(PGPPublicKey primary, PGPPublicKey key) {
        var signatures = key.isMasterKey() ? key.getSignatures()
                : key.getSignaturesOfType(PGPSignature.SUBKEY_BINDING);
        while (signatures.hasNext()) {
            PGPSignature signature = signatures.next();
            if (signature.getKeyID() == primary.getKeyID() && signature.getHashedSubPackets().getKeyFlags() != 0) {
                return signature.getHashedSubPackets().getKeyFlags();
            }
        }
        return 0;
    }
}
