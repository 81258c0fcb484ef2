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

import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Both directions against real gpg: council-side gpg output in, gateway output out to gpg. */
class GpgInteropTest {

    private static final byte[] BATCH = "id,name,dob\n1,Test Person,2001-02-03\n2,Another Person,1999-12-31\n"
            .getBytes(StandardCharsets.UTF_8);

    private static GpgCli gpg;
    private static String councilFingerprint;
    private static PGPPublicKeyRing councilPublic;
    private static GatewayPgpKey gateway;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp(@TempDir Path keys) throws Exception {
        assumeTrue(GpgCli.isAvailable(), "gpg not found on PATH: skipping OpenPGP interop tests");
        gpg = GpgCli.inTempHome();
        // The council's key is made by gpg itself, as a council would.
        councilFingerprint = gpg.generateKey("Council A <council-a@example.invalid>", "default", "default");
        councilPublic = PgpKeys.readPublicKeyRing(new ByteArrayInputStream(gpg.exportPublicKey(councilFingerprint)));
        // The gateway key is ours; gpg must accept it, secret part included.
        GeneratedPgpKey generated = TestKeys.gateway();
        Path secret = keys.resolve("gateway-secret.asc");
        generated.writeArmoredSecret(secret);
        gpg.importKey(secret, TestKeys.PASSPHRASE);
        gateway = TestKeys.unlocked(generated);
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
    void gpgSignsWithOurGeneratedKey() throws Exception {
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

    @ParameterizedTest(name = "armored={0}")
    @CsvSource({"false", "true"})
    void gpgDecryptsOurOutputAndReportsAGoodSignature(boolean armored) throws Exception {
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

    @Test
    void gpgDecryptsWithOurGeneratedSecretKey() throws Exception {
        Path encrypted = dir.resolve("to-gateway.pgp");
        try (OutputStream out = Files.newOutputStream(encrypted)) {
            new PgpEncryptSigner().encryptAndSign(new ByteArrayInputStream(BATCH), out, gateway.publicRing(),
                    gateway, "to-gateway.csv");
        }
        Path decrypted = dir.resolve("to-gateway.csv");

        GpgCli.Result result = gpg.decrypt(encrypted, decrypted, TestKeys.PASSPHRASE);

        assertThat(result.succeeded()).as(result.stderr()).isTrue();
        assertThat(Files.readAllBytes(decrypted)).isEqualTo(BATCH);
        assertThat(result.hasStatus("GOODSIG")).isTrue();
    }

    @Test
    void gpgVerifiesOurDetachedSignature() throws Exception {
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
