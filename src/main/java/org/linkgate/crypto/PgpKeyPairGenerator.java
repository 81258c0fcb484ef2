package org.linkgate.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.util.Arrays;
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
import org.bouncycastle.openpgp.PGPKdfParameters;
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
 * Generates a v4 OpenPGP key as gpg 2.2 expects it: a primary key (certify, sign) and an encryption
 * subkey of the chosen {@link KeyAlgorithm}, one user id, preferences AES-256/SHA-256/ZLIB, secret keys
 * protected by the passphrase (iterated-salted S2K, AES-256). For demos and tests; production keys come
 * from key custody.
 */
public final class PgpKeyPairGenerator {

    /** The algorithms a generated key can use; both are read and used by gpg 2.2 and by this package. */
    public enum KeyAlgorithm {
        /** RSA-3072 primary and RSA-3072 encryption subkey. Slow to generate (seconds per key). */
        RSA_3072,
        /**
         * Ed25519 primary (legacy EdDSA, algorithm 22) and Cv25519 encryption subkey (ECDH, algorithm 18,
         * KDF SHA-256 with AES-256 key wrap): the key type of gpg 2.2's {@code future-default}. Generated
         * in milliseconds.
         */
        CURVE25519
    }

    /**
     * What {@link #generate(String, char[])} makes: Curve25519, since it is generated in milliseconds
     * rather than seconds and passes the same gpg 2.2 interop tests as RSA.
     */
    public static final KeyAlgorithm DEFAULT_ALGORITHM = KeyAlgorithm.CURVE25519;

    private static final int RSA_BITS = 3072;

    /**
     * KDF and key wrap of the Cv25519 subkey, recorded in its public key packet. gpg 2.2 itself writes
     * SHA-256/AES-128 for Cv25519 but honours whatever the key says; AES-256 matches our other choices.
     */
    private static final PGPKdfParameters CV25519_KDF = new PGPKdfParameters(HashAlgorithmTags.SHA256,
            SymmetricKeyAlgorithmTags.AES_256);

    private final SecureRandom random;

    public PgpKeyPairGenerator() {
        this(new SecureRandom());
    }

    public PgpKeyPairGenerator(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Generates a key of the {@link #DEFAULT_ALGORITHM}; {@code passphrase} is used, not retained (the
     * caller may wipe it).
     *
     * @throws PGPException if key generation or protection fails
     */
    public GeneratedPgpKey generate(String userId, char[] passphrase) throws PGPException {
        return generate(userId, passphrase, DEFAULT_ALGORITHM);
    }

    /**
     * Generates a key of the given algorithm; {@code passphrase} is used, not retained (the caller may
     * wipe it).
     *
     * @throws PGPException if key generation or protection fails
     */
    public GeneratedPgpKey generate(String userId, char[] passphrase, KeyAlgorithm algorithm) throws PGPException {
        return generate(userId, passphrase, algorithm, null);
    }

    /**
     * Like {@link #generate(String, char[], KeyAlgorithm)}, with the primary key and the encryption
     * subkey expiring {@code validity} after creation ({@code null}: never).
     *
     * @throws PGPException if key generation or protection fails
     */
    public GeneratedPgpKey generate(String userId, char[] passphrase, KeyAlgorithm algorithm, java.time.Duration validity)
            throws PGPException {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(passphrase, "passphrase");
        Objects.requireNonNull(algorithm, "algorithm");
        Date now = new Date();
        PGPKeyPair primary;
        PGPKeyPair encryption;
        try {
            switch (algorithm) {
                case RSA_3072 -> {
                    primary = rsaKeyPair(now);
                    encryption = rsaKeyPair(now);
                }
                case CURVE25519 -> {
                    // The default JCE (SunEC) generates both; BC only converts them to OpenPGP packets.
                    primary = new JcaPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.EDDSA_LEGACY,
                            jcaKeyPair("Ed25519"), now);
                    encryption = new JcaPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.ECDH,
                            CV25519_KDF, clampedX25519(jcaKeyPair("X25519")), now);
                }
                default -> throw new IllegalArgumentException("unknown key algorithm " + algorithm);
            }
        } catch (GeneralSecurityException e) {
            throw new PGPException(algorithm + " key generation is not available in this JVM", e);
        }

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
        if (validity != null) {
            primaryAttributes.setKeyExpirationTime(false, validity.toSeconds());
        }

        PGPSignatureSubpacketGenerator subkeyAttributes = new PGPSignatureSubpacketGenerator();
        subkeyAttributes.setKeyFlags(true, KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE);
        subkeyAttributes.setIssuerFingerprint(false, primary.getPublicKey());
        if (validity != null) {
            subkeyAttributes.setKeyExpirationTime(false, validity.toSeconds());
        }

        try {
            // SHA-1 here is the OpenPGP v4 secret-key checksum, fixed by the format, not a signature hash.
            PGPDigestCalculator checksum = new JcaPGPDigestCalculatorProviderBuilder().build()
                    .get(HashAlgorithmTags.SHA1);
            // Self-signatures: RSA on the default provider, Ed25519 on SunEC's Ed25519 (JDK 15+).
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

    private PGPKeyPair rsaKeyPair(Date creation) throws GeneralSecurityException, PGPException {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(RSA_BITS, random);
        return new JcaPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.RSA_GENERAL,
                rsa.generateKeyPair(), creation);
    }

    /**
     * The same X25519 key pair with its private scalar clamped as RFC 7748 section 5 prescribes. SunEC
     * stores the random bytes and clamps only when it computes, so the public key is unchanged; but gpg 2.2
     * refuses to unlock a Cv25519 secret key whose stored scalar is not clamped ("Bad passphrase").
     */
    private static KeyPair clampedX25519(KeyPair generated) throws GeneralSecurityException {
        byte[] scalar = ((XECPrivateKey) generated.getPrivate()).getScalar()
                .orElseThrow(() -> new InvalidKeyException("X25519 private key without a scalar"));
        try {
            scalar[0] &= (byte) 0xf8;
            scalar[31] &= (byte) 0x7f;
            scalar[31] |= (byte) 0x40;
            PrivateKey clamped = KeyFactory.getInstance("XDH")
                    .generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
            return new KeyPair(generated.getPublic(), clamped);
        } finally {
            Arrays.fill(scalar, (byte) 0);
        }
    }

    /** An Ed25519 or X25519 key pair from the default JCE (SunEC). */
    private KeyPair jcaKeyPair(String curve) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(curve);
        generator.initialize(new NamedParameterSpec(curve), random);
        return generator.generateKeyPair();
    }
}
