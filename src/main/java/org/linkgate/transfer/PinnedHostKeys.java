package org.linkgate.transfer;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.UserInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The endpoint's known_hosts as JSch sees it, read-only: checks are delegated, additions and
 * removals refused, and the last presented key remembered so a refusal can name its fingerprint.
 * One instance per session (JSch sessions are not shared between threads).
 */
final class PinnedHostKeys implements HostKeyRepository {

    private final HostKeyRepository delegate;
    private volatile byte[] presentedKey;

    PinnedHostKeys(HostKeyRepository delegate) {
        this.delegate = delegate;
    }

    @Override
    public int check(String host, byte[] key) {
        presentedKey = key.clone();
        return delegate.check(host, key);
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        // Pinned keys change only by editing the department's known_hosts file.
    }

    @Override
    public void remove(String host, String type) {
        // read-only
    }

    @Override
    public void remove(String host, String type, byte[] key) {
        // read-only
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return delegate.getKnownHostsRepositoryID();
    }

    @Override
    public HostKey[] getHostKey() {
        return delegate.getHostKey();
    }

    @Override
    public HostKey[] getHostKey(String host, String type) {
        return delegate.getHostKey(host, type);
    }

    /** Type of the last presented key ({@code ssh-ed25519}), or {@code unknown}. */
    String presentedKeyType() {
        byte[] key = presentedKey;
        if (key == null || key.length < 4) {
            return "unknown";
        }
        ByteBuffer buffer = ByteBuffer.wrap(key);
        int length = buffer.getInt();
        if (length <= 0 || length > 64 || length > buffer.remaining()) {
            return "unknown";
        }
        return new String(key, 4, length, StandardCharsets.US_ASCII);
    }

    /** OpenSSH-style {@code SHA256:…} fingerprint of the last presented key, or {@code unknown}. */
    String presentedFingerprint() {
        byte[] key = presentedKey;
        if (key == null) {
            return "unknown";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
