package org.linkgate.sftp;

import java.net.SocketAddress;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.linkgate.validation.UntrustedText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns MINA session and SFTP events into {@link SftpAccessListener} calls and log lines. Only observes, after the
 * fact: the policy itself lives in {@link DropZoneFileSystemAccessor}. A failing listener is logged, never rethrown.
 */
final class AccessAuditor implements SessionListener, SftpEventListener {

    static final String NO_ACCEPTED_KEY = "no accepted public key offered";

    private static final Logger LOG = LoggerFactory.getLogger(AccessAuditor.class);

    /** Bytes sent through one read handle, counted as the server reads them (cl. 7.2: what left, and how much). */
    private static final AttributeKey<AtomicLong> BYTES_READ = new AttributeKey<>();

    private final SftpAccessListener listener;

    AccessAuditor(SftpAccessListener listener) {
        this.listener = listener;
    }

    @Override
    public void sessionEvent(Session session, Event event) {
        if (event == Event.Authenticated) {
            String username = session.getUsername();
            SocketAddress remote = session.getRemoteAddress();
            LOG.info("SFTP login of {} from {}", UntrustedText.forLog(username), remote);
            notifyListener(() -> listener.loginSucceeded(username, remote));
        }
    }

    @Override
    public void sessionClosed(Session session) {
        if (session.isAuthenticated()) {
            LOG.debug("SFTP session of {} closed", UntrustedText.forLog(session.getUsername()));
            return;
        }
        String username = session.getAttribute(AccountPublickeyAuthenticator.ATTEMPTED_USERNAME);
        if (username == null) {
            username = session.getUsername();
        }
        SocketAddress remote = session.getRemoteAddress();
        if (username == null) {
            LOG.debug("Connection from {} closed before any public-key attempt", remote);
            return;
        }
        String reason = session.getAttribute(AccountPublickeyAuthenticator.REFUSAL_REASON);
        String why = reason == null ? NO_ACCEPTED_KEY : reason;
        LOG.warn("SFTP login of {} from {} failed: {}", UntrustedText.forLog(username), remote, why);
        String user = username;
        notifyListener(() -> listener.loginFailed(user, remote, why));
    }

    @Override
    public void read(ServerSession session, String remoteHandle, FileHandle localHandle, long offset, byte[] data,
            int dataOffset, int dataLen, int readLen, Throwable thrown) {
        if (thrown == null && readLen > 0) {
            localHandle.computeAttributeIfAbsent(BYTES_READ, key -> new AtomicLong()).addAndGet(readLen);
        }
    }

    @Override
    public void closed(ServerSession session, String remoteHandle, Handle localHandle, Throwable thrown) {
        if (thrown != null || !(localHandle instanceof FileHandle fileHandle)) {
            return;
        }
        Set<StandardOpenOption> options = fileHandle.getOpenOptions();
        boolean written = options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
        Path file = fileHandle.getFile();
        SftpLayout layout = session.getAttribute(DropZoneFileSystemFactory.LAYOUT);
        if (!written) {
            // Every read handle is a download, even one that read nothing: the partner opened the file.
            AtomicLong counted = fileHandle.getAttribute(BYTES_READ);
            long bytes = counted == null ? 0 : counted.get();
            String username = session.getUsername();
            String relative = DropZoneArea.relativePath(file);
            LOG.info("SFTP download by {}: {} ({} bytes)", UntrustedText.forLog(username),
                    UntrustedText.forLog(relative), bytes);
            notifyListener(() -> listener.fileDownloaded(username, relative, bytes));
            return;
        }
        // A refused upload was removed on close (LimitedUploadChannel): not an upload.
        if (written && layout != null && DropZoneArea.of(file, layout) == DropZoneArea.WRITABLE_FILE
                && Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            String username = session.getUsername();
            String relative = DropZoneArea.relativePath(file);
            LOG.info("SFTP upload by {} closed: {}", UntrustedText.forLog(username), UntrustedText.forLog(relative));
            notifyListener(() -> listener.fileUploaded(username, relative));
        }
    }

    @Override
    public void moved(ServerSession session, Path srcPath, Path dstPath, Collection<CopyOption> opts,
            Throwable thrown) {
        if (thrown == null) {
            String username = session.getUsername();
            String from = DropZoneArea.relativePath(srcPath);
            String to = DropZoneArea.relativePath(dstPath);
            LOG.info("SFTP rename by {}: {} -> {}", UntrustedText.forLog(username), UntrustedText.forLog(from),
                    UntrustedText.forLog(to));
            notifyListener(() -> listener.fileRenamed(username, from, to));
        }
    }

    @Override
    public void removed(ServerSession session, Path path, boolean isDirectory, Throwable thrown) {
        if (thrown == null) {
            String username = session.getUsername();
            String relative = DropZoneArea.relativePath(path);
            LOG.info("SFTP removal by {}: {}", UntrustedText.forLog(username), UntrustedText.forLog(relative));
            notifyListener(() -> listener.fileRemoved(username, relative));
        }
    }

    private static void notifyListener(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.error("SFTP access listener failed; the event is not audited", e);
        }
    }
}
