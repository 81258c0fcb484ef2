package org.linkgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.linkgate.crypto.PgpVerificationException.Reason.BAD_SIGNATURE;
import static org.linkgate.crypto.PgpVerificationException.Reason.INTEGRITY_CHECK_FAILED;
import static org.linkgate.crypto.PgpVerificationException.Reason.NOT_DECRYPTABLE;
import static org.linkgate.crypto.PgpVerificationException.Reason.NOT_OPENPGP;
import static org.linkgate.crypto.PgpVerificationException.Reason.NO_INTEGRITY_PROTECTION;
import static org.linkgate.crypto.PgpVerificationException.Reason.TOO_LARGE;
import static org.linkgate.crypto.PgpVerificationException.Reason.UNSIGNED;
import static org.linkgate.crypto.PgpVerificationException.Reason.UNSUPPORTED;
import static org.linkgate.crypto.PgpVerificationException.Reason.WRONG_RECIPIENT;
import static org.linkgate.crypto.PgpVerificationException.Reason.WRONG_SIGNER;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PgpDecryptVerifierTest {

    private static final String SENTINEL = "SECRET-PII-ROW";
    private static final PgpLimits GENEROUS = new PgpLimits(1L << 30, 1000, 1L << 20);

    private static GatewayPgpKey gateway;
    private static GatewayPgpKey council;
    private static GatewayPgpKey stranger;
    private static PGPPublicKeyRing councilPublic;

    private final PgpDecryptVerifier verifier = new PgpDecryptVerifier();

    @BeforeAll
    static void keys() throws PGPException {
        gateway = TestKeys.unlocked(TestKeys.gateway());
        council = TestKeys.unlocked(TestKeys.council());
        stranger = TestKeys.unlocked(TestKeys.stranger());
        councilPublic = TestKeys.council().publicRing();
    }

    private static byte[] councilMessage(byte[] plaintext, boolean armored) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PgpEncryptSigner(armored).encryptAndSign(new ByteArrayInputStream(plaintext), out,
                gateway.publicRing(), council, "batch.csv");
        return out.toByteArray();
    }

    private static TestMessages craft() {
        TestMessages message = new TestMessages();
        message.recipient = PgpKeys.findEncryptionKey(gateway.publicRing()).orElseThrow();
        message.signer = council;
        return message;
    }

    private byte[] openReadVerify(byte[] message, PgpLimits limits, StringBuilder signer) throws IOException {
        VerifiedPlaintext opened = verifier.open(new ByteArrayInputStream(message), gateway, councilPublic, limits);
        byte[] plaintext = opened.plaintext().readAllBytes();
        signer.append(opened.verify());
        return plaintext;
    }

    /** Runs the whole protocol and expects a refusal at some stage, with no plaintext in the message. */
    private PgpVerificationException rejection(byte[] message, PgpLimits limits) {
        PgpVerificationException e = assertThrows(PgpVerificationException.class,
                () -> openReadVerify(message, limits, new StringBuilder()));
        assertThat(e.getMessage()).doesNotContain(SENTINEL);
        return e;
    }

    /** Expects refusal by open() itself, before any plaintext is released. */
    private PgpVerificationException rejectionAtOpen(byte[] message) {
        PgpVerificationException e = assertThrows(PgpVerificationException.class,
                () -> verifier.open(new ByteArrayInputStream(message), gateway, councilPublic, GENEROUS));
        assertThat(e.getMessage()).doesNotContain(SENTINEL);
        return e;
    }

    @Nested
    class Accepts {

        @ParameterizedTest(name = "armored={0}")
        @ValueSource(booleans = {false, true})
        void roundTripReturnsPlaintextAndSignerFingerprint(boolean armored) throws Exception {
            byte[] plaintext = "id,name\n1,Alice\n2,Bob\n".getBytes(StandardCharsets.UTF_8);
            StringBuilder signer = new StringBuilder();

            byte[] recovered = openReadVerify(councilMessage(plaintext, armored), GENEROUS, signer);

            assertThat(recovered).isEqualTo(plaintext);
            assertThat(signer.toString()).isEqualTo(TestKeys.council().fingerprint());
        }

        @Test
        void emptyPlaintext() throws Exception {
            StringBuilder signer = new StringBuilder();
            assertThat(openReadVerify(councilMessage(new byte[0], false), GENEROUS, signer)).isEmpty();
            assertThat(signer.toString()).isEqualTo(TestKeys.council().fingerprint());
        }

        @ParameterizedTest(name = "compression={0}")
        @ValueSource(ints = {TestMessages.NO_COMPRESSION, CompressionAlgorithmTags.ZIP,
                CompressionAlgorithmTags.ZLIB, CompressionAlgorithmTags.BZIP2})
        void everyCompressionGpgMayUse(int compression) throws Exception {
            TestMessages message = craft();
            message.compression = compression;
            assertThat(openReadVerify(message.build(), GENEROUS, new StringBuilder())).isEqualTo(message.content);
        }

        @Test
        void canonicalTextSignature() throws Exception {
            TestMessages message = craft();
            message.signatureType = PGPSignature.CANONICAL_TEXT_DOCUMENT;
            message.content = "a\r\nb\r\n".getBytes(StandardCharsets.US_ASCII);
            assertThat(openReadVerify(message.build(), GENEROUS, new StringBuilder())).isEqualTo(message.content);
        }

        @Test
        @Timeout(value = 120, unit = TimeUnit.SECONDS)
        void largeMessageIsStreamedNotBuffered() throws Exception {
            long size = 64L << 20;
            AtomicLong producerRead = new AtomicLong();
            PipedInputStream ciphertext = new PipedInputStream(1 << 16);
            PipedOutputStream sink = new PipedOutputStream(ciphertext);
            MessageDigest expected = MessageDigest.getInstance("SHA-256");
            CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
                try (OutputStream out = sink) {
                    InputStream generated = new GeneratedCsv(size, expected, producerRead);
                    new PgpEncryptSigner().encryptAndSign(generated, out, gateway.publicRing(), council, "big.csv");
                } catch (IOException | PGPException e) {
                    throw new IllegalStateException(e);
                }
            });

            VerifiedPlaintext opened = verifier.open(ciphertext, gateway, councilPublic,
                    new PgpLimits(size, 100, size));
            InputStream plaintext = opened.plaintext();
            MessageDigest actual = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            int n = plaintext.read(buffer);
            // Plaintext arrives while the producer is still near the start: nothing holds the whole file.
            assertThat(producerRead.get()).isLessThan(size / 4);
            long total = 0;
            while (n >= 0) {
                actual.update(buffer, 0, n);
                total += n;
                n = plaintext.read(buffer);
            }
            String signer = opened.verify();
            producer.get(60, TimeUnit.SECONDS);

            assertThat(total).isEqualTo(size);
            assertThat(actual.digest()).isEqualTo(expected.digest());
            assertThat(signer).isEqualTo(TestKeys.council().fingerprint());
        }

        @Test
        void verifyIsRefusedBeforePlaintextIsReadToTheEnd() throws Exception {
            VerifiedPlaintext opened = verifier.open(new ByteArrayInputStream(councilMessage(new byte[10_000], false)),
                    gateway, councilPublic, GENEROUS);
            opened.plaintext().read(new byte[10]);
            assertThrows(IllegalStateException.class, opened::verify);
        }
    }

    @Nested
    class Rejects {

        @Test
        void emptyInput() {
            assertThat(rejectionAtOpen(new byte[0]).reason()).isEqualTo(NOT_OPENPGP);
        }

        @Test
        void plainCsv() {
            byte[] csv = ("id,name\n1," + SENTINEL + "\n").getBytes(StandardCharsets.UTF_8);
            assertThat(rejectionAtOpen(csv).reason()).isEqualTo(NOT_OPENPGP);
        }

        @ParameterizedTest(name = "seed={0}")
        @ValueSource(longs = {1, 2, 3, 4, 5})
        void randomBytes(long seed) {
            byte[] garbage = new byte[4096];
            new SplittableRandom(seed).nextBytes(garbage);
            assertThat(rejectionAtOpen(garbage).reason()).isEqualTo(NOT_OPENPGP);
        }

        @Test
        void signedButNotEncrypted() throws Exception {
            TestMessages message = craft();
            message.encrypt = false;
            assertThat(rejectionAtOpen(message.build()).reason()).isEqualTo(NOT_OPENPGP);
        }

        @Test
        void encryptedToAnotherKey() throws Exception {
            TestMessages message = craft();
            message.recipient = PgpKeys.findEncryptionKey(stranger.publicRing()).orElseThrow();
            assertThat(rejectionAtOpen(message.build()).reason()).isEqualTo(WRONG_RECIPIENT);
        }

        @Test
        void corruptSessionKeyPacket() throws Exception {
            byte[] message = councilMessage("id\n1\n".getBytes(StandardCharsets.US_ASCII), false);
            // Near the end of the PKESK, inside the wrapped session key (ECDH) or the RSA value: either
            // way the session key can no longer be recovered.
            message[firstPacketBodyOffset(message) + firstPacketBodyLength(message) - 10] ^= 0x5a;
            assertThat(rejectionAtOpen(message).reason()).isEqualTo(NOT_DECRYPTABLE);
        }

        @Test
        void legacyPacketWithoutIntegrityProtection() throws Exception {
            TestMessages message = craft();
            message.integrityProtected = false;
            assertThat(rejectionAtOpen(message.build()).reason()).isEqualTo(NO_INTEGRITY_PROTECTION);
        }

        @ParameterizedTest(name = "compression={0}")
        @ValueSource(ints = {TestMessages.NO_COMPRESSION, CompressionAlgorithmTags.ZLIB})
        void byteFlippedInTheMiddleOfTheEncryptedPayload(int compression) throws Exception {
            TestMessages message = craft();
            message.compression = compression;
            message.content = new byte[200_000];
            new SplittableRandom(7).nextBytes(message.content);
            byte[] tampered = message.build();
            tampered[tampered.length / 2] ^= 0x01;
            assertThat(rejection(tampered, GENEROUS).reason()).isEqualTo(INTEGRITY_CHECK_FAILED);
        }

        @ParameterizedTest(name = "compression={0}")
        @ValueSource(ints = {TestMessages.NO_COMPRESSION, CompressionAlgorithmTags.ZLIB})
        void unsigned(int compression) throws Exception {
            TestMessages message = craft();
            message.signer = null;
            message.compression = compression;
            assertThat(rejectionAtOpen(message.build()).reason()).isEqualTo(UNSIGNED);
        }

        @Test
        void signedByAnotherKeyWithTheSameUserId() throws Exception {
            TestMessages message = craft();
            message.signer = stranger;
            assertThat(rejectionAtOpen(message.build()).reason()).isEqualTo(WRONG_SIGNER);
        }

        @Test
        void signatureThatDoesNotVerify() throws Exception {
            TestMessages message = craft();
            message.signedContentOverride = "id,name\n1,Mallory\n".getBytes(StandardCharsets.UTF_8);
            assertThat(rejection(message.build(), GENEROUS).reason()).isEqualTo(BAD_SIGNATURE);
        }

        @Test
        void signatureThatIsNotADocumentSignature() throws Exception {
            TestMessages message = craft();
            message.signatureType = PGPSignature.STAND_ALONE;
            assertThat(rejectionAtOpen(message.build()).reason()).isEqualTo(BAD_SIGNATURE);
        }

        @Test
        void signatureWithSha1() throws Exception {
            TestMessages message = craft();
            message.hashAlgorithm = HashAlgorithmTags.SHA1;
            assertThat(rejectionAtOpen(message.build()).reason()).isEqualTo(BAD_SIGNATURE);
        }

        @Test
        void plaintextOverTheAbsoluteLimit() throws Exception {
            byte[] message = councilMessage(new byte[10_000], false);
            PgpVerificationException e = rejection(message, new PgpLimits(9_999, 1_000_000, message.length));
            assertThat(e.reason()).isEqualTo(TOO_LARGE);
        }

        @Test
        void plaintextExactlyAtTheLimitIsAccepted() throws Exception {
            byte[] message = councilMessage(new byte[10_000], false);
            assertThat(openReadVerify(message, new PgpLimits(10_000, 1_000_000, message.length),
                    new StringBuilder())).hasSize(10_000);
        }

        @Test
        @Timeout(value = 60, unit = TimeUnit.SECONDS)
        void compressionBombIsStoppedEarly() throws Exception {
            ByteArrayOutputStream bomb = new ByteArrayOutputStream();
            new PgpEncryptSigner().encryptAndSign(new ZeroStream(200L << 20), bomb, gateway.publicRing(),
                    council, "bomb.csv");
            byte[] message = bomb.toByteArray();
            assertThat(message.length).isLessThan(2 << 20);

            VerifiedPlaintext opened = verifier.open(new ByteArrayInputStream(message), gateway, councilPublic,
                    new PgpLimits(1L << 40, 100, message.length));
            long start = System.nanoTime();
            PgpVerificationException e = assertThrows(PgpVerificationException.class,
                    () -> opened.plaintext().transferTo(OutputStream.nullOutputStream()));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(e.reason()).isEqualTo(TOO_LARGE);
            assertThat(millis).isLessThan(5_000);
            // A caller that ignores the read failure still cannot get a verified result.
            assertThat(assertThrows(PgpVerificationException.class, opened::verify).reason()).isEqualTo(TOO_LARGE);
        }

        @Test
        void twoLiteralPackets() throws Exception {
            TestMessages message = craft();
            message.literalPackets = 2;
            assertThat(rejection(message.build(), GENEROUS).reason()).isEqualTo(UNSUPPORTED);
        }

        @Test
        void passwordOnlyEncryption() throws Exception {
            TestMessages message = craft();
            message.passwordInsteadOfRecipient = "shared secret".toCharArray();
            assertThat(rejectionAtOpen(message.build()).reason()).isEqualTo(UNSUPPORTED);
        }
    }

    /** Offset of the first packet's body, for old- and new-format headers. */
    private static int firstPacketBodyOffset(byte[] message) {
        int tag = message[0] & 0xff;
        if ((tag & 0x40) != 0) {
            int first = message[1] & 0xff;
            return first < 192 ? 2 : first < 224 ? 3 : 6;
        }
        return switch (tag & 0x03) {
            case 0 -> 2;
            case 1 -> 3;
            case 2 -> 5;
            default -> throw new IllegalArgumentException("indeterminate length first packet");
        };
    }

    /** Length of the first packet's body, for old- and new-format headers with a definite length. */
    private static int firstPacketBodyLength(byte[] message) {
        int tag = message[0] & 0xff;
        if ((tag & 0x40) != 0) {
            int first = message[1] & 0xff;
            if (first < 192) {
                return first;
            }
            if (first < 224) {
                return ((first - 192) << 8) + (message[2] & 0xff) + 192;
            }
            if (first == 255) {
                return ((message[2] & 0xff) << 24) | ((message[3] & 0xff) << 16) | ((message[4] & 0xff) << 8)
                        | (message[5] & 0xff);
            }
            throw new IllegalArgumentException("partial-length first packet");
        }
        return switch (tag & 0x03) {
            case 0 -> message[1] & 0xff;
            case 1 -> ((message[1] & 0xff) << 8) | (message[2] & 0xff);
            case 2 -> ((message[1] & 0xff) << 24) | ((message[2] & 0xff) << 16) | ((message[3] & 0xff) << 8)
                    | (message[4] & 0xff);
            default -> throw new IllegalArgumentException("indeterminate length first packet");
        };
    }

    /** {@code size} zero bytes without allocating them. */
    static final class ZeroStream extends InputStream {
        private long remaining;

        ZeroStream(long size) {
            this.remaining = size;
        }

        @Override
        public int read() {
            if (remaining <= 0) {
                return -1;
            }
            remaining--;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            remaining -= n;
            return n;
        }
    }

    /** Deterministic CSV-like rows, generated on the fly and digested as they are handed out. */
    static final class GeneratedCsv extends InputStream {
        private final long size;
        private final MessageDigest digest;
        private final AtomicLong produced;
        private final SplittableRandom random = new SplittableRandom(42);

        GeneratedCsv(long size, MessageDigest digest, AtomicLong produced) {
            this.size = size;
            this.digest = digest;
            this.produced = produced;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            long done = produced.get();
            if (done >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - done);
            for (int i = 0; i < n; i++) {
                // Digits with a newline every 64 bytes: compressible like a CSV, but not trivially.
                b[off + i] = (done + i) % 64 == 63 ? (byte) '\n' : (byte) ('0' + random.nextInt(10));
            }
            digest.update(b, off, n);
            produced.addAndGet(n);
            return n;
        }
    }
}
