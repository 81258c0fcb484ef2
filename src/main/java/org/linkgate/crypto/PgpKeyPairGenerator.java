package org.linkgate.crypto;

import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Date;
import java.util.Objects;

import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.Features;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;
import org.bouncycastle.openpgp.operator.jcajce.JcePBESecretKeyEncryptorBuilder;

/**
 * Generates a v4 OpenPGP key as gpg 2.2 expects it: RSA-3072 primary (certify, sign) and RSA-3072
 * encryption subkey, one user id, preferences AES-256/SHA-256/ZLIB, secret keys protected by the
 * passphrase (iterated-salted S2K, AES-256). For demos and tests; production keys come from key custody.
 */
public final class PgpKeyPairGenerator {

    /** RSA rather than Ed25519/X25519: gpg 2.2 and the default JCE provider both handle it everywhere. */
    private static final int RSA_BITS = 3072;

    private final SecureRandom random;

    public PgpKeyPairGenerator() {
        this(new SecureRandom());
    }

    public PgpKeyPairGenerator(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Generates the key; {@code passphrase} is used, not retained (the caller may wipe it).
     *
     * @throws PGPException if key generation or protection fails
     */
    public GeneratedPgpKey generate(String userId, char[] passphrase) throws PGPException {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(passphrase, "passphrase");
        Date now = new Date();
        PGPKeyPair primary = rsaKeyPair(now);
        PGPKeyPair encryption = rsaKeyPair(now);

        PGPSignatureSubpacketGenerator primaryAttributes = new PGPSignatureSubpacketGenerator();
        primaryAttributes.setKeyFlags(true, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
        primaryAttributes.setPreferredSymmetricAlgorithms(false, new int[] {
                SymmetricKeyAlgorithmTags.AES_256, SymmetricKeyAlgorithmTags.AES_192, SymmetricKeyAlgorithmTags.AES_128});
        primaryAttributes.setPreferredHashAlgorithms(false, new int[] {
                HashAlgorithmTags.SHA256, HashAlgorithmTags.SHA512, HashAlgorithmTags.SHA384});
        primaryAttributes.setPreferredCompressionAlgorithms(false, new int[] {
                CompressionAlgorithmTags.ZLIB, CompressionAlgorithmTags.ZIP, CompressionAlgorithmTags.UNCOMPRESSED});
        primaryAttributes.setFeature(false, Features.FEATURE_MODIFICATION_DETECTION);
        primaryAttributes.setIssuerFingerprint(false, primary.getPublicKey());

        PGPSignatureSubpacketGenerator subkeyAttributes = new PGPSignatureSubpacketGenerator();
        subkeyAttributes.setKeyFlags(true, KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE);
        subkeyAttributes.setIssuerFingerprint(false, primary.getPublicKey());

        try {
            // SHA-1 here is the OpenPGP v4 secret-key checksum, fixed by the format, not a signature hash.
            PGPDigestCalculator checksum = new JcaPGPDigestCalculatorProviderBuilder().build()
                    .get(HashAlgorithmTags.SHA1);
            PGPKeyRingGenerator generator = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION,
                    primary, userId, checksum, primaryAttributes.generate(), null,
                    new JcaPGPContentSignerBuilder(primary.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256),
                    new JcePBESecretKeyEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256, checksum, 0x90)
                            .setSecureRandom(random)
                            .build(passphrase));
            generator.addSubKey(encryption, subkeyAttributes.generate(), null);
            return new GeneratedPgpKey(generator.generateSecretKeyRing(), generator.generatePublicKeyRing());
        } catch (PGPException e) {
            throw new PGPException("OpenPGP key generation failed", e);
        }
    }

    private PGPKeyPair rsaKeyPair(Date creation) throws PGPException {
        try {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(RSA_BITS, random);
            return new JcaPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.RSA_GENERAL,
                    rsa.generateKeyPair(), creation);
        } catch (NoSuchAlgorithmException e) {
            throw new PGPException("RSA key generation is not available in this JVM", e);
        }
    }
}
