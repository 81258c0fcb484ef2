package org.linkgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.linkgate.crypto.PgpKeyPairGenerator.KeyAlgorithm;

/**
 * Both directions against real gpg: council-side gpg output in, gateway output out to gpg. Our gateway
 * keys, made by {@link PgpKeyPairGenerator} (Curve25519 and RSA-3072), are imported into gpg, secret part
 * included, so gpg also signs with and decrypts by them.
 */
class GpgInteropTest {

    private static final byte[] BATCH = "id,name,dob\n1,Test Person,2001-02-03\n2,Another Person,1999-12-31\n"
            .getBytes(StandardCharsets.UTF_8);

    private static GpgCli gpg;
    private static String councilFingerprint;
    private static PGPPublicKeyRing councilPublic;
    /** The default (Curve25519) gateway key. */
    private static GatewayPgpKey gateway;
    private static final Map<KeyAlgorithm, GatewayPgpKey> GATEWAYS = new EnumMap<>(KeyAlgorithm.class);

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(@TempDir Path keys) throws Exception {
        assumeTrue(GpgCli.isAvailable(), "gpg not found on PATH: skipping OpenPGP interop tests");
        gpg = GpgCli.inTempHome();
        // The council's key is made by gpg itself, as a council would.
        councilFingerprint = gpg.generateKey("Council A <council-a@example.invalid>", "default", "default");
        councilPublic = PgpKeys.readPublicKeyRing(new ByteArrayInputStream(gpg.exportPublicKey(councilFingerprint)));
        // The gateway keys are ours; gpg must accept them, secret parts included.
        for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
            GeneratedPgpKey generated = TestKeys.gateway(algorithm);
            Path secret = keys.resolve("gateway-" + algorithm + "-secret.asc");
            generated.writeArmoredSecret(secret);
            gpg.importKey(secret, TestKeys.PASSPHRASE);
            GATEWAYS.put(algorithm, TestKeys.unlocked(generated));
        }
        gateway = GATEWAYS.get(KeyAlgorithm.CURVE25519);
    }

    @AfterAll
    static void tearDown() throws IOException {
        if (gpg != null) {
            gpg.close();
        }
    }

    @ParameterizedTest(name = "compress={0} armor={1}")
    @CsvSource({"none,false", "zip,false", "zlib,false", "bzip2,false", "zlib,true", "none,true"})
    void gpgEncryptedAndSignedBatchIsAccepted(String compression, boolean armor) throws Exception {
        Path plaintext = write("batch.csv", BATCH);
        Path encrypted = dir.resolve("batch.csv.pgp");
        if (armor) {
            gpg.encryptAndSign(plaintext, encrypted, gateway.fingerprint(), councilFingerprint, null,
                    "--compress-algo", compression, "--armor");
        } else {
            gpg.encryptAndSign(plaintext, encrypted, gateway.fingerprint(), councilFingerprint, null,
                    "--compress-algo", compression);
        }

        try (InputStream in = Files.newInputStream(encrypted)) {
            VerifiedPlaintext opened = new PgpDecryptVerifier().open(in, gateway, councilPublic,
                    new PgpLimits(1 << 20, 1000, Files.size(encrypted)));
            assertThat(opened.plaintext().readAllBytes()).isEqualTo(BATCH);
            assertThat(opened.verify()).isEqualTo(councilFingerprint);
        }
    }

    @Test
    void curve25519CouncilKeyAsMadeByNewerGpgWorksBothWays() throws Exception {
        // gpg 2.3+ makes Ed25519/Cv25519 keys by default; councils will send them.
        String fingerprint = gpg.generateKey("Council B <council-b@example.invalid>", "future-default", "default");
        PGPPublicKeyRing councilB = PgpKeys.readPublicKeyRing(
                new ByteArrayInputStream(gpg.exportPublicKey(fingerprint)));
        Path plaintext = write("batch.csv", BATCH);
        Path encrypted = dir.resolve("batch.csv.pgp");
        gpg.encryptAndSign(plaintext, encrypted, gateway.fingerprint(), fingerprint, null);

        try (InputStream in = Files.newInputStream(encrypted)) {
            VerifiedPlaintext opened = new PgpDecryptVerifier().open(in, gateway, councilB,
                    new PgpLimits(1 << 20, 1000, Files.size(encrypted)));
            assertThat(opened.plaintext().readAllBytes()).isEqualTo(BATCH);
            assertThat(opened.verify()).isEqualTo(fingerprint);
        }

        Path reply = dir.resolve("reply.pgp");
        try (OutputStream out = Files.newOutputStream(reply)) {
            new PgpEncryptSigner().encryptAndSign(new ByteArrayInputStream(BATCH), out, councilB, gateway, "r.csv");
        }
        Path decrypted = dir.resolve("reply.csv");
        GpgCli.Result result = gpg.decrypt(reply, decrypted, null);
        assertThat(result.succeeded()).as(result.stderr()).isTrue();
        assertThat(Files.readAllBytes(decrypted)).isEqualTo(BATCH);
    }

    @Test
    void gpgTextModeSignatureIsAccepted() throws Exception {
        Path plaintext = write("batch.csv", BATCH);
        Path encrypted = dir.resolve("batch.csv.pgp");
        gpg.encryptAndSign(plaintext, encrypted, gateway.fingerprint(), councilFingerprint, null, "--textmode");

        try (InputStream in = Files.newInputStream(encrypted)) {
            VerifiedPlaintext opened = new PgpDecryptVerifier().open(in, gateway, councilPublic,
                    new PgpLimits(1 << 20, 1000, Files.size(encrypted)));
            opened.plaintext().transferTo(OutputStream.nullOutputStream());
            assertThat(opened.verify()).isEqualTo(councilFingerprint);
        }
    }

    @Test
    void gpgBatchSignedByTheGatewayInsteadOfTheCouncilIsRefused() throws Exception {
        Path plaintext = write("batch.csv", BATCH);
        Path encrypted = dir.resolve("batch.csv.pgp");
        gpg.encryptAndSign(plaintext, encrypted, gateway.fingerprint(), gateway.fingerprint(), TestKeys.PASSPHRASE);

        try (InputStream in = Files.newInputStream(encrypted)) {
            PgpVerificationException e = assertThrows(PgpVerificationException.class,
                    () -> new PgpDecryptVerifier().open(in, gateway, councilPublic,
                            new PgpLimits(1 << 20, 1000, Files.size(encrypted))));
            assertThat(e.reason()).isEqualTo(PgpVerificationException.Reason.WRONG_SIGNER);
        }
    }

    @Test
    void gpgSeesOurCurve25519KeyAsEd25519PrimaryAndCv25519Subkey() throws Exception {
        GpgCli.Result listing = gpg.run(List.of("--with-colons", "--list-secret-keys", gateway.fingerprint()));
        assertThat(listing.succeeded()).as(listing.stderr()).isTrue();
        // --with-colons: field 4 is the algorithm, 12 the capabilities, 17 the curve.
        List<String[]> keys = listing.stdout().lines().filter(l -> l.startsWith("sec:") || l.startsWith("ssb:"))
                .map(l -> l.split(":", -1)).toList();
        assertThat(keys).hasSize(2);
        assertThat(keys.get(0)[3]).isEqualTo("22");
        assertThat(keys.get(0)[11]).contains("s").contains("c");
        assertThat(keys.get(0)[16]).isEqualTo("ed25519");
        assertThat(keys.get(1)[3]).isEqualTo("18");
        assertThat(keys.get(1)[11]).contains("e");
        assertThat(keys.get(1)[16]).isEqualTo("cv25519");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(KeyAlgorithm.class)
    void gpgSignsWithOurGeneratedKey(KeyAlgorithm algorithm) throws Exception {
        GatewayPgpKey gateway = GATEWAYS.get(algorithm);
        Path plaintext = write("batch.csv", BATCH);
        Path encrypted = dir.resolve("batch.csv.pgp");
        gpg.encryptAndSign(plaintext, encrypted, gateway.fingerprint(), gateway.fingerprint(), TestKeys.PASSPHRASE);

        try (InputStream in = Files.newInputStream(encrypted)) {
            VerifiedPlaintext opened = new PgpDecryptVerifier().open(in, gateway, gateway.publicRing(),
                    new PgpLimits(1 << 20, 1000, Files.size(encrypted)));
            assertThat(opened.plaintext().readAllBytes()).isEqualTo(BATCH);
            assertThat(opened.verify()).isEqualTo(gateway.fingerprint());
        }
    }

    @Test
    void gpgSignsWithOurCurve25519KeyAsACouncilWould() throws Exception {
        // Our Curve25519 key in the council's role: gpg signs with it, to the RSA gateway.
        GatewayPgpKey rsaGateway = GATEWAYS.get(KeyAlgorithm.RSA_3072);
        Path plaintext = write("batch.csv", BATCH);
        Path encrypted = dir.resolve("batch.csv.pgp");
        gpg.encryptAndSign(plaintext, encrypted, rsaGateway.fingerprint(), gateway.fingerprint(), TestKeys.PASSPHRASE);

        try (InputStream in = Files.newInputStream(encrypted)) {
            VerifiedPlaintext opened = new PgpDecryptVerifier().open(in, rsaGateway, gateway.publicRing(),
                    new PgpLimits(1 << 20, 1000, Files.size(encrypted)));
            assertThat(opened.plaintext().readAllBytes()).isEqualTo(BATCH);
            assertThat(opened.verify()).isEqualTo(gateway.fingerprint());
        }
    }

    @ParameterizedTest(name = "{0} armored={1}")
    @CsvSource({"CURVE25519,false", "CURVE25519,true", "RSA_3072,false"})
    void gpgDecryptsOurOutputAndReportsAGoodSignature(KeyAlgorithm algorithm, boolean armored) throws Exception {
        GatewayPgpKey gateway = GATEWAYS.get(algorithm);
        Path encrypted = dir.resolve("extract.csv.pgp");
        try (OutputStream out = Files.newOutputStream(encrypted)) {
            new PgpEncryptSigner(armored).encryptAndSign(new ByteArrayInputStream(BATCH), out, councilPublic,
                    gateway, "extract.csv");
        }
        Path decrypted = dir.resolve("extract.csv");

        GpgCli.Result result = gpg.decrypt(encrypted, decrypted, null);

        assertThat(result.succeeded()).as(result.stderr()).isTrue();
        assertThat(Files.readAllBytes(decrypted)).isEqualTo(BATCH);
        assertThat(result.hasStatus("DECRYPTION_OKAY")).isTrue();
        assertThat(result.hasStatus("GOODMDC")).isTrue();
        assertThat(result.hasStatus("GOODSIG")).isTrue();
        assertThat(result.hasStatus("VALIDSIG " + gateway.signingPublicKeyFingerprint())).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(KeyAlgorithm.class)
    void gpgDecryptsWithOurGeneratedSecretKey(KeyAlgorithm algorithm) throws Exception {
        GatewayPgpKey gateway = GATEWAYS.get(algorithm);
        Path encrypted = dir.resolve("to-gateway.pgp");
        try (OutputStream out = Files.newOutputStream(encrypted)) {
            new PgpEncryptSigner().encryptAndSign(new ByteArrayInputStream(BATCH), out, gateway.publicRing(),
                    gateway, "to-gateway.csv");
        }
        Path decrypted = dir.resolve("to-gateway.csv");

        GpgCli.Result result = gpg.decrypt(encrypted, decrypted, TestKeys.PASSPHRASE);

        assertThat(result.succeeded()).as(result.stderr()).isTrue();
        assertThat(Files.readAllBytes(decrypted)).isEqualTo(BATCH);
        assertThat(result.hasStatus("DECRYPTION_OKAY")).isTrue();
        assertThat(result.hasStatus("GOODSIG")).isTrue();
        assertThat(result.hasStatus("VALIDSIG " + gateway.signingPublicKeyFingerprint())).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(KeyAlgorithm.class)
    void gpgVerifiesOurDetachedSignature(KeyAlgorithm algorithm) throws Exception {
        GatewayPgpKey gateway = GATEWAYS.get(algorithm);
        Path data = write("certificate.txt", "Destruction certificate\n".getBytes(StandardCharsets.UTF_8));
        String signature;
        try (InputStream in = Files.newInputStream(data)) {
            signature = new PgpEncryptSigner().signDetachedArmored(in, gateway);
        }
        Path signatureFile = write("certificate.txt.asc", signature.getBytes(StandardCharsets.US_ASCII));

        GpgCli.Result result = gpg.verifyDetached(signatureFile, data);

        assertThat(signature).startsWith("-----BEGIN PGP SIGNATURE-----");
        assertThat(result.succeeded()).as(result.stderr()).isTrue();
        assertThat(result.hasStatus("VALIDSIG " + gateway.signingPublicKeyFingerprint())).isTrue();
    }

    @Test
    void gpgRejectsOurDetachedSignatureOverOtherData() throws Exception {
        Path data = write("certificate.txt", "Destruction certificate\n".getBytes(StandardCharsets.UTF_8));
        String signature;
        try (InputStream in = Files.newInputStream(data)) {
            signature = new PgpEncryptSigner().signDetachedArmored(in, gateway);
        }
        Path signatureFile = write("certificate.txt.asc", signature.getBytes(StandardCharsets.US_ASCII));
        Files.writeString(data, "Destruction certificate (altered)\n");

        GpgCli.Result result = gpg.verifyDetached(signatureFile, data);

        assertThat(result.succeeded()).isFalse();
        assertThat(result.hasStatus("BADSIG")).isTrue();
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }
}
