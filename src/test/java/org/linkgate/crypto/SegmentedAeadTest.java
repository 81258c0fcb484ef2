package org.linkgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SegmentedAeadTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SEGMENT = 64;
    private final SecretKey key = randomKey();

    static SecretKey randomKey() {
        byte[] material = new byte[32];
        RANDOM.nextBytes(material);
        return new SecretKeySpec(material, "AES");
    }

    byte[] seal(byte[] plaintext, int segment) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream sealing = SegmentedAead.encrypting(out, "key-1", key, segment)) {
            // Odd-sized writes cross segment boundaries.
            for (int off = 0; off < plaintext.length; off += 37) {
                sealing.write(plaintext, off, Math.min(37, plaintext.length - off));
            }
        }
        return out.toByteArray();
    }

    byte[] open(byte[] sealed) throws IOException {
        // The header is authenticated: a changed key id fails like any other byte, so the lookup ignores it.
        try (InputStream in = SegmentedAead.decrypting(new ByteArrayInputStream(sealed), id -> key)) {
            return in.readAllBytes();
        }
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, SEGMENT - 1, SEGMENT, SEGMENT + 1, 2 * SEGMENT, 10 * SEGMENT + 7})
    void roundTripsEveryLengthAroundSegmentBoundaries(int length) throws IOException {
        byte[] plaintext = random(length);
        byte[] sealed = seal(plaintext, SEGMENT);
        assertThat(open(sealed)).isEqualTo(plaintext);
        // A full last segment is sealed as final; an empty file is one empty final segment.
        int segments = Math.max(1, (length + SEGMENT - 1) / SEGMENT);
        assertThat(sealed.length).isEqualTo(SegmentedAead.keyIdHeaderLength("key-1") + length + 16 * segments);
    }

    @Test
    void headerNamesTheKeyAndPlaintextNeverAppears() throws IOException {
        byte[] plaintext = "NOT-IN-CLEAR-".repeat(50).getBytes();
        byte[] sealed = seal(plaintext, SEGMENT);
        assertThat(SegmentedAead.keyId(new ByteArrayInputStream(sealed))).isEqualTo("key-1");
        assertThat(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("NOT-IN-CLEAR");
    }

    @Test
    void everyFlippedByteIsDetected() throws IOException {
        byte[] sealed = seal(random(3 * SEGMENT + 5), SEGMENT);
        for (int i = 0; i < sealed.length; i++) {
            byte[] changed = sealed.clone();
            changed[i] ^= 0x01;
            assertThatThrownBy(() -> open(changed)).as("byte %d", i).isInstanceOf(IOException.class);
        }
    }

    @Test
    void truncationAtASegmentBoundaryIsDetected() throws IOException {
        byte[] plaintext = random(3 * SEGMENT);
        byte[] sealed = seal(plaintext, SEGMENT);
        int header = SegmentedAead.keyIdHeaderLength("key-1");
        byte[] dropLast = Arrays.copyOf(sealed, sealed.length - 16);
        assertThatThrownBy(() -> open(dropLast)).isInstanceOf(IOException.class);
        // Cut at a segment boundary: the last remaining segment was sealed as not-final.
        byte[] twoSegments = Arrays.copyOf(sealed, header + 2 * (SEGMENT + 16));
        assertThatThrownBy(() -> open(twoSegments)).isInstanceOf(IOException.class);
        byte[] headerOnly = Arrays.copyOf(sealed, header);
        assertThatThrownBy(() -> open(headerOnly)).isInstanceOf(IOException.class);
    }

    @Test
    void appendedOrReorderedSegmentsAreDetected() throws IOException {
        byte[] sealed = seal(random(2 * SEGMENT + 3), SEGMENT);
        byte[] extended = Arrays.copyOf(sealed, sealed.length + 1);
        assertThatThrownBy(() -> open(extended)).isInstanceOf(IOException.class);
        int header = SegmentedAead.keyIdHeaderLength("key-1");
        int seg = SEGMENT + 16;
        byte[] swapped = sealed.clone();
        System.arraycopy(sealed, header, swapped, header + seg, seg);
        System.arraycopy(sealed, header + seg, swapped, header, seg);
        assertThatThrownBy(() -> open(swapped)).isInstanceOf(IOException.class);
    }

    @Test
    void wrongKeyFailsAndNothingIsReturned() throws IOException {
        byte[] sealed = seal(random(100), SEGMENT);
        SecretKey other = randomKey();
        assertThatThrownBy(() -> {
            try (InputStream in = SegmentedAead.decrypting(new ByteArrayInputStream(sealed), id -> other)) {
                in.readAllBytes();
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void notASealedFileIsRefused() {
        assertThatThrownBy(() -> open("-----BEGIN PGP MESSAGE-----".getBytes()))
                .isInstanceOf(IOException.class).hasMessageContaining("not a sealed file");
    }

    @Test
    void largeStreamInConstantMemoryWithDefaultSegments() throws Exception {
        // 40 MiB through both directions without holding it: digests of what went in and came out match.
        long total = 40L * 1024 * 1024 + 123;
        MessageDigest in = MessageDigest.getInstance("SHA-256");
        MessageDigest out = MessageDigest.getInstance("SHA-256");
        java.nio.file.Path file = java.nio.file.Files.createTempFile("sealed", ".bin");
        try {
            byte[] chunk = random(1 << 20);
            try (OutputStream sealing = SegmentedAead.encrypting(java.nio.file.Files.newOutputStream(file), "key-1", key)) {
                for (long written = 0; written < total; ) {
                    int n = (int) Math.min(chunk.length, total - written);
                    sealing.write(chunk, 0, n);
                    in.update(chunk, 0, n);
                    written += n;
                }
            }
            long read = 0;
            try (InputStream opened = SegmentedAead.decrypting(java.nio.file.Files.newInputStream(file), id -> key)) {
                byte[] buffer = new byte[8192];
                for (int n; (n = opened.read(buffer)) > 0; ) {
                    out.update(buffer, 0, n);
                    read += n;
                }
            }
            assertThat(read).isEqualTo(total);
            assertThat(out.digest()).isEqualTo(in.digest());
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }
}
