package org.linkgate.crypto;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * A streaming, segmented AEAD file format for files kept at rest (archive, quarantine), each under
 * its own data key so destroying that key crypto-shreds the file and every copy of it. Memory is
 * one segment in both directions, whatever the file size.
 *
 * <pre>
 * header  = magic "LGSEAL01" (8) | segment size (4, big-endian) | nonce prefix (7, random)
 *           | key id length (1) | key id (UTF-8, 1..255 bytes)
 * segment = AES-256-GCM(plaintext[segment size, the last one shorter or empty]) with a 16-byte tag
 * nonce   = nonce prefix (7) | segment index (4, big-endian) | final flag (1: 0x01 last, 0x00 other)
 * AAD     = the whole header
 * </pre>
 *
 * The index in the nonce stops segments being reordered or dropped, the final flag stops the file
 * being truncated at a segment boundary or extended, and the header as AAD binds the key id and
 * segment size: a reader fails on any changed, missing or added byte. This is the STREAM
 * construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015) as used by Tink's streaming AEAD.
 */
public final class SegmentedAead {

    public static final int DEFAULT_SEGMENT_BYTES = 64 * 1024;
    static final int MIN_SEGMENT_BYTES = 16;
    static final int MAX_SEGMENT_BYTES = 4 * 1024 * 1024;
    private static final byte[] MAGIC = "LGSEAL01".getBytes(StandardCharsets.US_ASCII);
    private static final int PREFIX_BYTES = 7;
    private static final int TAG_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SegmentedAead() {
    }

    /** An output stream sealing what is written to {@code out}; {@link OutputStream#close()} writes the final segment. */
    public static OutputStream encrypting(OutputStream out, String keyId, SecretKey key) throws IOException {
        return encrypting(out, keyId, key, DEFAULT_SEGMENT_BYTES);
    }

    static OutputStream encrypting(OutputStream out, String keyId, SecretKey key, int segmentBytes) throws IOException {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(key, "key");
        byte[] prefix = new byte[PREFIX_BYTES];
        RANDOM.nextBytes(prefix);
        byte[] header = header(keyId, segmentBytes, prefix);
        out.write(header);
        return new Encrypting(out, key, header, prefix, segmentBytes);
    }

    /**
     * An input stream giving back the plaintext of a sealed stream. {@code keys} maps the key id named
     * in the header to its key (and may throw if the key was destroyed). Every read is authenticated:
     * a tampered, truncated or extended stream fails with an {@link IOException} before any byte of
     * the bad segment is returned.
     */
    public static InputStream decrypting(InputStream in, Function<String, SecretKey> keys) throws IOException {
        Header header = readHeader(in);
        SecretKey key = Objects.requireNonNull(keys.apply(header.keyId()), "no key for " + header.keyId());
        return new Decrypting(in, key, header);
    }

    /** The key id named in a sealed stream's header (reads the header only). */
    public static String keyId(InputStream in) throws IOException {
        return readHeader(in).keyId();
    }

    /** Bytes of a header naming this key id. */
    static int keyIdHeaderLength(String keyId) {
        return MAGIC.length + 4 + PREFIX_BYTES + 1 + keyId.getBytes(StandardCharsets.UTF_8).length;
    }

    record Header(byte[] bytes, String keyId, int segmentBytes, byte[] prefix) {
    }

    private static byte[] header(String keyId, int segmentBytes, byte[] prefix) {
        Objects.requireNonNull(keyId, "keyId");
        byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
        if (id.length == 0 || id.length > 255) {
            throw new IllegalArgumentException("key id must be 1 to 255 bytes");
        }
        if (segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > MAX_SEGMENT_BYTES) {
            throw new IllegalArgumentException("segment size out of range");
        }
        return ByteBuffer.allocate(MAGIC.length + 4 + PREFIX_BYTES + 1 + id.length)
                .put(MAGIC).putInt(segmentBytes).put(prefix).put((byte) id.length).put(id).array();
    }

    private static Header readHeader(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] fixed = new byte[MAGIC.length + 4 + PREFIX_BYTES + 1];
        try {
            data.readFully(fixed);
        } catch (EOFException e) {
            throw new IOException("not a sealed file: too short for a header", e);
        }
        if (!Arrays.equals(fixed, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new IOException("not a sealed file: wrong magic");
        }
        ByteBuffer buffer = ByteBuffer.wrap(fixed, MAGIC.length, fixed.length - MAGIC.length);
        int segmentBytes = buffer.getInt();
        byte[] prefix = new byte[PREFIX_BYTES];
        buffer.get(prefix);
        int idLength = Byte.toUnsignedInt(buffer.get());
        if (segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > MAX_SEGMENT_BYTES || idLength == 0) {
            throw new IOException("not a sealed file: bad segment size or key id");
        }
        byte[] id = new byte[idLength];
        try {
            data.readFully(id);
        } catch (EOFException e) {
            throw new IOException("not a sealed file: truncated header", e);
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream(fixed.length + idLength);
        all.write(fixed);
        all.write(id);
        return new Header(all.toByteArray(), new String(id, StandardCharsets.UTF_8), segmentBytes, prefix);
    }

    private static byte[] nonce(byte[] prefix, long index, boolean last) {
        if (index > 0xFFFF_FFFFL) {
            throw new IllegalStateException("too many segments");
        }
        return ByteBuffer.allocate(12).put(prefix).putInt((int) index).put((byte) (last ? 1 : 0)).array();
    }

    private static Cipher cipher(int mode, SecretKey key, byte[] prefix, long index, boolean last, byte[] aad)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BYTES * 8, nonce(prefix, index, last)));
        cipher.updateAAD(aad);
        return cipher;
    }

    /** Buffers one segment; a full segment is sealed only once more data shows it is not the last. */
    private static final class Encrypting extends FilterOutputStream {
        private final SecretKey key;
        private final byte[] header;
        private final byte[] prefix;
        private final byte[] segment;
        private final byte[] sealed;
        private int filled;
        private long index;
        private boolean closed;

        Encrypting(OutputStream out, SecretKey key, byte[] header, byte[] prefix, int segmentBytes) {
            super(out);
            this.key = key;
            this.header = header;
            this.prefix = prefix;
            this.segment = new byte[segmentBytes];
            this.sealed = new byte[segmentBytes + TAG_BYTES];
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (closed) {
                throw new IOException("sealed stream is closed");
            }
            while (len > 0) {
                if (filled == segment.length) {
                    seal(false);
                }
                int n = Math.min(len, segment.length - filled);
                System.arraycopy(b, off, segment, filled, n);
                filled += n;
                off += n;
                len -= n;
            }
        }

        private void seal(boolean last) throws IOException {
            try {
                int n = cipher(Cipher.ENCRYPT_MODE, key, prefix, index, last, header).doFinal(segment, 0, filled, sealed, 0);
                out.write(sealed, 0, n);
            } catch (GeneralSecurityException e) {
                throw new IOException("segment could not be sealed", e);
            }
            Arrays.fill(segment, (byte) 0);
            filled = 0;
            index++;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                seal(true);
                out.flush();
            } finally {
                out.close();
            }
        }
    }

    /** Reads one sealed segment ahead plus one byte, to know whether it is the last. */
    private static final class Decrypting extends InputStream {
        private final InputStream in;
        private final SecretKey key;
        private final Header header;
        private final byte[] sealed;
        private final byte[] plain;
        private int plainLength;
        private int position;
        private long index;
        private boolean finished;
        private int lookahead = -1;

        Decrypting(InputStream in, SecretKey key, Header header) {
            this.in = in;
            this.key = key;
            this.header = header;
            this.sealed = new byte[header.segmentBytes() + TAG_BYTES];
            this.plain = new byte[header.segmentBytes()];
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : Byte.toUnsignedInt(one[0]);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            while (position == plainLength) {
                if (finished) {
                    return -1;
                }
                nextSegment();
            }
            int n = Math.min(len, plainLength - position);
            System.arraycopy(plain, position, b, off, n);
            position += n;
            return n;
        }

        private void nextSegment() throws IOException {
            int filled = 0;
            if (lookahead >= 0) {
                sealed[filled++] = (byte) lookahead;
                lookahead = -1;
            }
            while (filled < sealed.length) {
                int n = in.read(sealed, filled, sealed.length - filled);
                if (n < 0) {
                    break;
                }
                filled += n;
            }
            boolean last;
            if (filled < sealed.length) {
                last = true;
            } else {
                lookahead = in.read();
                last = lookahead < 0;
            }
            if (filled < TAG_BYTES) {
                throw new IOException("sealed file truncated");
            }
            try {
                plainLength = cipher(Cipher.DECRYPT_MODE, key, header.prefix(), index, last, header.bytes())
                        .doFinal(sealed, 0, filled, plain, 0);
            } catch (GeneralSecurityException e) {
                throw new IOException("sealed file segment " + index + " failed to open (wrong key, tampered,"
                        + " truncated or extended)", e);
            }
            position = 0;
            index++;
            finished = last;
        }

        @Override
        public void close() throws IOException {
            Arrays.fill(plain, (byte) 0);
            in.close();
        }
    }
}
