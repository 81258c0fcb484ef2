package org.linkgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicSubkeyPacket;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePBESecretKeyDecryptorBuilder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partner certificates whose bindings were tampered with, built here with BouncyCastle as an
 * attacker would: a subkey with its binding stripped, a subkey bound by a signature that only
 * claims the partner's key id, someone else's signing subkey claimed without its back-signature.
 * Each must be refused at load and, were it used anyway, must not make a signature pass; keys
 * made by gpg and by the gateway still load.
 */
class PgpKeyBindingsTest {

    @TempDir
    Path dir;

    @Nested
    class Loads {

        @Test
        void theGatewaysOwnKeys() throws Exception {
            assertThat(PgpKeyBindings.requireBound(TestKeys.council().publicRing())).isNotNull();
            assertThat(PgpKeyBindings.requireBound(TestKeys.gateway().publicRing())).isNotNull();
        }

        @Test
        void gpgKeysWithEncryptionAndSigningSubkeys() throws Exception {
            Assumptions.assumeTrue(GpgCli.isAvailable(), "gpg not installed");
            try (GpgCli gpg = GpgCli.inTempHome()) {
                String modern = gpg.generateKey("Partner Modern <modern@example.invalid>", "default", "default");
                String rsa = gpg.generateKey("Partner RSA <rsa@example.invalid>", "rsa3072", "cert");
                gpg.addSubkey(rsa, "rsa3072", "sign");
                gpg.addSubkey(rsa, "rsa3072", "encr");
                String ed = gpg.generateKey("Partner Ed <ed@example.invalid>", "ed25519", "cert");
                gpg.addSubkey(ed, "ed25519", "sign");
                gpg.addSubkey(ed, "cv25519", "encr");
                for (String fingerprint : new String[] {modern, rsa, ed}) {
                    Path file = Files.write(dir.resolve(fingerprint + ".asc"), gpg.exportPublicKey(fingerprint));
                    PGPPublicKeyRing ring = PgpKeys.readPartnerKey(file);
                    assertThat(PgpKeys.findEncryptionKey(ring)).as(fingerprint).isPresent();
                }
                // gpg's signing subkey is usable for signatures: its back-signature verifies.
                PGPPublicKeyRing rsaRing = PgpKeys.readPartnerKey(dir.resolve(rsa + ".asc"));
                long signingSubkeys = 0;
                for (PGPPublicKey key : rsaRing) {
                    if (!key.isMasterKey() && PgpKeys.findSigningKey(rsaRing, key.getKeyID()).isPresent()) {
                        signingSubkeys++;
                    }
                }
                assertThat(signingSubkeys).isEqualTo(1);
            }
        }
    }

    @Nested
    class Refuses {

        @Test
        void aSubkeyWhoseBindingWasStripped() throws Exception {
            PGPPublicKeyRing ring = TestKeys.council().publicRing();
            PGPPublicKey subkey = PgpKeys.requireEncryptionKey(ring);
            PGPPublicKey unbound = subkey;
            for (Iterator<PGPSignature> it = subkey.getSignaturesOfType(PGPSignature.SUBKEY_BINDING); it.hasNext(); ) {
                unbound = PGPPublicKey.removeCertification(unbound, it.next());
            }
            PGPPublicKeyRing stripped = PGPPublicKeyRing.insertPublicKey(ring, unbound);

            assertThatThrownBy(() -> PgpKeyBindings.requireBound(stripped)).isInstanceOf(PGPException.class)
                    .hasMessageContaining("no valid binding signature");
            assertThat(PgpKeys.findEncryptionKey(stripped)).as("never encrypted to").isEmpty();
            assertThatThrownBy(() -> PgpKeys.readPartnerKey(write(stripped))).isInstanceOf(PGPException.class);
        }

        @Test
        void anAttackersSigningSubkeyBoundByASignatureThatOnlyClaimsThePartnersKeyId() throws Exception {
            GeneratedPgpKey partner = TestKeys.council();
            GeneratedPgpKey attacker = TestKeys.stranger();
            PGPPublicKey victim = partner.publicRing().getPublicKey();
            PGPPublicKey attackerSubkey = asSubkey(attacker.publicRing().getPublicKey());
            PGPPrivateKey attackerKey = unlock(attacker);

            // The attacker signs the binding with its own key but names the partner's key as the issuer,
            // and adds a real back-signature (it holds the subkey).
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setKeyFlags(true, KeyFlags.SIGN_DATA);
            hashed.setIssuerFingerprint(false, victim);
            hashed.addEmbeddedSignature(true, certification(PGPSignature.PRIMARYKEY_BINDING, attackerKey,
                    attacker.publicRing().getPublicKey(), victim, attackerSubkey, null));
            PGPPrivateKey claimingPartner = new PGPPrivateKey(victim.getKeyID(), attackerKey.getPublicKeyPacket(),
                    attackerKey.getPrivateKeyDataPacket());
            PGPSignature forged = certification(PGPSignature.SUBKEY_BINDING, claimingPartner,
                    attacker.publicRing().getPublicKey(), victim, attackerSubkey, hashed);
            assertThat(forged.getKeyID()).as("the forgery claims the partner's key id").isEqualTo(victim.getKeyID());
            PGPPublicKeyRing tampered = PGPPublicKeyRing.insertPublicKey(partner.publicRing(),
                    PGPPublicKey.addCertification(attackerSubkey, forged));

            assertThatThrownBy(() -> PgpKeyBindings.requireBound(tampered)).isInstanceOf(PGPException.class)
                    .hasMessageContaining("no valid binding signature");
            // The attack itself: a batch signed by the attacker, "from" the partner's certificate.
            assertThat(PgpKeys.findSigningKey(tampered, attackerSubkey.getKeyID())).isEmpty();
            byte[] batch = signedByAttacker(attacker);
            assertThatThrownBy(() -> openAndVerify(batch, tampered)).isInstanceOf(PgpVerificationException.class);
        }

        @Test
        void anotherKeyHoldersSigningSubkeyClaimedWithoutItsBackSignature() throws Exception {
            // Mallory (a partner) binds Alice's signing key to its own certificate, properly signed by
            // Mallory, but cannot make Alice's back-signature: Alice's batches must not pass as Mallory's.
            GeneratedPgpKey mallory = TestKeys.council();
            GeneratedPgpKey alice = TestKeys.stranger();
            PGPPublicKey malloryPrimary = mallory.publicRing().getPublicKey();
            PGPPublicKey aliceSubkey = asSubkey(alice.publicRing().getPublicKey());
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setKeyFlags(true, KeyFlags.SIGN_DATA);
            hashed.setIssuerFingerprint(false, malloryPrimary);
            PGPSignature binding = certification(PGPSignature.SUBKEY_BINDING, unlock(mallory), malloryPrimary,
                    malloryPrimary, aliceSubkey, hashed);
            PGPPublicKeyRing claimed = PGPPublicKeyRing.insertPublicKey(mallory.publicRing(),
                    PGPPublicKey.addCertification(aliceSubkey, binding));
            assertThat(PgpKeyBindings.validBindings(malloryPrimary, claimed.getPublicKey(aliceSubkey.getKeyID())))
                    .as("the binding itself is genuine").hasSize(1);

            assertThatThrownBy(() -> PgpKeyBindings.requireBound(claimed)).isInstanceOf(PGPException.class)
                    .hasMessageContaining("back-signature");
            assertThat(PgpKeys.findSigningKey(claimed, aliceSubkey.getKeyID())).isEmpty();
            byte[] aliceBatch = signedByAttacker(alice);
            assertThatThrownBy(() -> openAndVerify(aliceBatch, claimed)).isInstanceOf(PgpVerificationException.class);
        }

        @Test
        void aBackSignatureForgedWithTheWrongKey() throws Exception {
            GeneratedPgpKey mallory = TestKeys.council();
            GeneratedPgpKey alice = TestKeys.stranger();
            PGPPublicKey malloryPrimary = mallory.publicRing().getPublicKey();
            PGPPublicKey aliceSubkey = asSubkey(alice.publicRing().getPublicKey());
            PGPPrivateKey malloryKey = unlock(mallory);
            // A "back-signature" Mallory made itself, claiming Alice's key id.
            PGPPrivateKey claimingAlice = new PGPPrivateKey(aliceSubkey.getKeyID(), malloryKey.getPublicKeyPacket(),
                    malloryKey.getPrivateKeyDataPacket());
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setKeyFlags(true, KeyFlags.SIGN_DATA);
            hashed.addEmbeddedSignature(true, certification(PGPSignature.PRIMARYKEY_BINDING, claimingAlice, malloryPrimary,
                    malloryPrimary, aliceSubkey, null));
            PGPSignature binding = certification(PGPSignature.SUBKEY_BINDING, malloryKey, malloryPrimary, malloryPrimary,
                    aliceSubkey, hashed);
            PGPPublicKeyRing claimed = PGPPublicKeyRing.insertPublicKey(mallory.publicRing(),
                    PGPPublicKey.addCertification(aliceSubkey, binding));

            assertThatThrownBy(() -> PgpKeyBindings.requireBound(claimed)).hasMessageContaining("back-signature");
            assertThat(PgpKeys.findSigningKey(claimed, aliceSubkey.getKeyID())).isEmpty();
        }

        @Test
        void aPrimaryKeyWhoseSelfSignatureWasStripped() throws Exception {
            PGPPublicKeyRing ring = TestKeys.council().publicRing();
            PGPPublicKey primary = ring.getPublicKey();
            String userId = primary.getUserIDs().next();
            PGPPublicKey bare = PGPPublicKey.removeCertification(primary, userId);
            bare = PGPPublicKey.addCertification(bare, userId, forgedSelfCertification(primary, userId));
            PGPPublicKeyRing tampered = PGPPublicKeyRing.insertPublicKey(ring, bare);
            assertThatThrownBy(() -> PgpKeyBindings.requireBound(tampered)).hasMessageContaining("no valid self-signature");
        }
    }

    /** A certification over a user id signed by a stranger but claiming the primary's key id. */
    private static PGPSignature forgedSelfCertification(PGPPublicKey primary, String userId) throws Exception {
        PGPPrivateKey stranger = unlock(TestKeys.stranger());
        PGPPrivateKey claiming = new PGPPrivateKey(primary.getKeyID(), stranger.getPublicKeyPacket(),
                stranger.getPrivateKeyDataPacket());
        PGPSignatureGenerator generator = new PGPSignatureGenerator(new JcaPGPContentSignerBuilder(
                stranger.getPublicKeyPacket().getAlgorithm(), HashAlgorithmTags.SHA256), TestKeys.stranger().publicRing().getPublicKey());
        generator.init(PGPSignature.POSITIVE_CERTIFICATION, claiming);
        return generator.generateCertification(userId, primary);
    }

    private static PGPSignature certification(int type, PGPPrivateKey signer, PGPPublicKey signerPublic, PGPPublicKey primary,
                                              PGPPublicKey subkey, PGPSignatureSubpacketGenerator hashed) throws Exception {
        PGPSignatureGenerator generator = new PGPSignatureGenerator(new JcaPGPContentSignerBuilder(
                signer.getPublicKeyPacket().getAlgorithm(), HashAlgorithmTags.SHA256), signerPublic);
        generator.init(type, signer);
        if (hashed != null) {
            generator.setHashedSubpackets(hashed.generate());
        }
        return generator.generateCertification(primary, subkey);
    }

    /** The same key material as a subkey packet: its key id is the original key's, so its signatures match it. */
    private static PGPPublicKey asSubkey(PGPPublicKey key) throws PGPException {
        PublicSubkeyPacket packet = new PublicSubkeyPacket(key.getVersion(), key.getAlgorithm(), key.getCreationTime(),
                key.getPublicKeyPacket().getKey());
        return new PGPPublicKey(packet, new JcaKeyFingerprintCalculator());
    }

    private static PGPPrivateKey unlock(GeneratedPgpKey key) throws PGPException {
        return key.secret().getSecretKey().extractPrivateKey(new JcePBESecretKeyDecryptorBuilder(
                new JcaPGPDigestCalculatorProviderBuilder().build()).build(TestKeys.PASSPHRASE));
    }

    /** A batch encrypted to the gateway and signed with the signer's primary key. */
    private static byte[] signedByAttacker(GeneratedPgpKey signer) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PgpEncryptSigner().encryptAndSign(new ByteArrayInputStream("person_ref\n1\n".getBytes(StandardCharsets.UTF_8)),
                out, TestKeys.gateway().publicRing(), TestKeys.unlocked(signer), "batch.csv");
        return out.toByteArray();
    }

    private static void openAndVerify(byte[] message, PGPPublicKeyRing expectedSigner) throws Exception {
        VerifiedPlaintext plaintext = new PgpDecryptVerifier().open(new ByteArrayInputStream(message),
                TestKeys.unlocked(TestKeys.gateway()), expectedSigner, new PgpLimits(1 << 20, 100, message.length));
        plaintext.plaintext().readAllBytes();
        plaintext.verify();
    }

    private Path write(PGPPublicKeyRing ring) throws Exception {
        Path file = dir.resolve("tampered-" + System.nanoTime() + ".asc");
        try (var out = Files.newOutputStream(file)) {
            PgpKeys.writeArmored(ring, out);
        }
        return file;
    }
}
