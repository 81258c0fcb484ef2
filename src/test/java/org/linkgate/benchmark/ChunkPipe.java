package org.linkgate.benchmark;

import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A pipe between two threads in 64 KiB chunks through a bounded queue: the writer blocks when
 * the reader is four chunks behind. (java.io's piped streams poll with one-second waits, which
 * would make the floor measure sleeping.)
 */
final class ChunkPipe {

    private static final int CHUNK = 1 << 16;
    private static final byte[] END = new byte[0];
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(4);

    final OutputStream out = new OutputStream() {
        private byte[] buffer = new byte[CHUNK];
        private int size;

        @Override
        public void write(int b) throws InterruptedIOException {
            if (size == CHUNK) {
                pass();
            }
            buffer[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws InterruptedIOException {
            while (len > 0) {
                if (size == CHUNK) {
                    pass();
                }
                int n = Math.min(len, CHUNK - size);
                System.arraycopy(b, off, buffer, size, n);
                size += n;
                off += n;
                len -= n;
            }
        }

        private void pass() throws InterruptedIOException {
            put(Arrays.copyOf(buffer, size));
            size = 0;
        }

        @Override
        public void close() throws InterruptedIOException {
            if (size > 0) {
                pass();
            }
            put(END);
        }
    };

    final InputStream in = new InputStream() {
        private byte[] current = new byte[0];
        private int position;
        private boolean ended;

        @Override
        public int read() throws InterruptedIOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws InterruptedIOException {
            while (position == current.length) {
                if (ended) {
                    return -1;
                }
                try {
                    current = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException();
                }
                position = 0;
                ended = current == END;
            }
            int n = Math.min(len, current.length - position);
            System.arraycopy(current, position, b, off, n);
            position += n;
            return n;
        }
    };

    private void put(byte[] chunk) throws InterruptedIOException {
        try {
            queue.put(chunk);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        }
    }
}
