package org.linkgate.sftp;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many bytes each account's writable directory holds, against the account quota. Counted from
 * the directory itself whenever an upload starts (the gateway takes files away, so only the disk
 * knows), and kept up by every write while uploads run. One counter per account (accounts are few).
 */
final class UploadQuota {

    private final long quotaBytes;
    private final Map<String, AtomicLong> used = new ConcurrentHashMap<>();

    UploadQuota(long quotaBytes) {
        this.quotaBytes = quotaBytes;
    }

    long quotaBytes() {
        return quotaBytes;
    }

    /** Counts the directory afresh for the account (on every upload's start). */
    void recount(String account, Path writableDirectory) throws IOException {
        long total = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(writableDirectory)) {
            for (Path file : files) {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (attributes.isRegularFile()) {
                    total += attributes.size();
                }
            }
        }
        used.computeIfAbsent(account, a -> new AtomicLong()).set(total);
    }

    /** Takes {@code bytes} more for the account if the quota allows; false (nothing taken) if not. */
    boolean tryGrow(String account, long bytes) {
        AtomicLong counter = used.computeIfAbsent(account, a -> new AtomicLong());
        while (true) {
            long now = counter.get();
            long next = now + bytes;
            if (next < now || next > quotaBytes) {
                return false;
            }
            if (counter.compareAndSet(now, next)) {
                return true;
            }
        }
    }
}
