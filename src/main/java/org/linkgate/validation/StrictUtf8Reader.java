package org.linkgate.validation;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8 strictly: malformed or truncated sequences raise
 * {@link java.nio.charset.MalformedInputException}. Unlike {@code InputStreamReader}, the
 * characters decoded before a bad sequence are delivered first and the error is raised on
 * the following read, so the caller can tell which row held the bad bytes. Not thread-safe.
 */
final class StrictUtf8Reader extends Reader {

    private static final int BUFFER_BYTES = 8192;

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER_BYTES).flip();
    /** Second half of a surrogate pair that did not fit a one-char read. */
    private int leftover = -1;
    private boolean endOfInput;
    private boolean flushed;
    private CoderResult pendingError;

    StrictUtf8Reader(InputStream in) {
        this.in = in;
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        CharBuffer out = CharBuffer.wrap(cbuf, off, len);
        if (leftover >= 0) {
            out.put((char) leftover);
            leftover = -1;
        }
        while (true) {
            int produced = out.position() - off;
            if (pendingError != null) {
                if (produced > 0) {
                    return produced;
                }
                pendingError.throwException();
            }
            if (flushed) {
                return produced > 0 ? produced : -1;
            }
            CoderResult result = decoder.decode(bytes, out, endOfInput);
            if (result.isError()) {
                pendingError = result;
            } else if (result.isOverflow()) {
                if (out.position() - off > 0) {
                    return out.position() - off;
                }
                decodeSurrogatePair(out);
            } else if (endOfInput) {
                if (decoder.flush(out).isOverflow()) {
                    return out.position() - off;
                }
                flushed = true;
            } else if (out.position() - off > 0) {
                // Hand over what we have rather than block for more input.
                return out.position() - off;
            } else {
                fill();
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private void fill() throws IOException {
        bytes.compact();
        int n = in.read(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        if (n < 0) {
            endOfInput = true;
        } else {
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
    }

    /** A one-char buffer cannot take a surrogate pair: decode into two and keep the second. */
    private void decodeSurrogatePair(CharBuffer out) {
        CharBuffer pair = CharBuffer.allocate(2);
        CoderResult result = decoder.decode(bytes, pair, endOfInput);
        if (result.isError()) {
            pendingError = result;
        }
        pair.flip();
        if (pair.hasRemaining()) {
            out.put(pair.get());
        }
        if (pair.hasRemaining()) {
            leftover = pair.get();
        }
    }
}
