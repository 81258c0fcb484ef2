package org.linkgate.sftp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A partner's upload as it is written: every write that would make the file larger than the
 * largest upload allowed, or the account's files larger than its quota, is refused before a byte
 * of it lands (the client sees the write fail); the partial file is removed at once (and again
 * when the handle closes), so a truncated upload is never taken for a complete one. Reported once.
 */
final class LimitedUploadChannel implements SeekableByteChannel {

    private final FileChannel file;
    private final Path path;
    private final String account;
    private final long maxUploadBytes;
    private final UploadQuota quota;
    private final Consumer<String> onRefusal;
    private boolean refused;

    LimitedUploadChannel(FileChannel file, Path path, String account, long maxUploadBytes, UploadQuota quota,
                         Consumer<String> onRefusal) {
        this.file = file;
        this.path = path;
        this.account = account;
        this.maxUploadBytes = maxUploadBytes;
        this.quota = quota;
        this.onRefusal = onRefusal;
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        if (refused) {
            throw new IOException("upload refused");
        }
        long end = file.position() + source.remaining();
        if (end < 0 || end > maxUploadBytes) {
            throw refuse("file larger than the largest upload allowed (" + maxUploadBytes + " bytes)");
        }
        long growth = end - file.size();
        if (growth > 0 && !quota.tryGrow(account, growth)) {
            throw refuse("account quota of " + quota.quotaBytes() + " bytes exceeded");
        }
        return file.write(source);
    }

    private IOException refuse(String reason) {
        refused = true;
        // Removed now, not at close: a client may keep the handle open after the failed write.
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            reason += "; the partial file could not be removed (" + e.getClass().getSimpleName() + ")";
        }
        onRefusal.accept(reason);
        return new IOException("upload refused: " + reason);
    }

    @Override
    public int read(ByteBuffer destination) throws IOException {
        return file.read(destination);
    }

    @Override
    public long position() throws IOException {
        return file.position();
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        file.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return file.size();
    }

    @Override
    public SeekableByteChannel truncate(long size) throws IOException {
        file.truncate(size);
        return this;
    }

    @Override
    public boolean isOpen() {
        return file.isOpen();
    }

    @Override
    public void close() throws IOException {
        try {
            file.close();
        } finally {
            if (refused) {
                Files.deleteIfExists(path);
            }
        }
    }
}
