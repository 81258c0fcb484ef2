package org.linkgate.transfer;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpATTRS;
import com.jcraft.jsch.SftpException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.linkgate.agreement.Department;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SFTP session with a department's own server (JSch): host key pinned by the endpoint's
 * known_hosts file only (never {@code ~/.ssh}), public-key login with the endpoint's key only,
 * timeouts and keep-alives set per session (JSch's JVM-wide configuration is never touched).
 *
 * <p>Not thread-safe: a JSch session and its channel serve one caller at a time. Remote file
 * names are checked against the name contract before they are used.
 */
public final class RemoteSftpClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteSftpClient.class);

    private final Department.RemoteEndpoint endpoint;
    private final Session session;
    private final ChannelSftp sftp;

    /**
     * Connection settings: {@code connectTimeout} for TCP, SSH handshake and channel opening,
     * {@code readTimeout} for each blocking read, and keep-alives every {@code serverAliveInterval}
     * with the session dropped after {@code serverAliveCountMax} unanswered ones.
     */
    public record Options(Duration connectTimeout, Duration readTimeout, Duration serverAliveInterval,
                          int serverAliveCountMax) {

        public static final Options DEFAULTS =
                new Options(Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofSeconds(15), 4);

        public Options {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(readTimeout, "readTimeout");
            Objects.requireNonNull(serverAliveInterval, "serverAliveInterval");
            if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()
                    || serverAliveInterval.isNegative() || serverAliveInterval.isZero() || serverAliveCountMax < 1) {
                throw new IllegalArgumentException("timeouts and keep-alives must be positive");
            }
        }
    }

    private RemoteSftpClient(Department.RemoteEndpoint endpoint, Session session, ChannelSftp sftp) {
        this.endpoint = endpoint;
        this.session = session;
        this.sftp = sftp;
    }

    /** Connects with {@link Options#DEFAULTS}. */
    public static RemoteSftpClient connect(Department.RemoteEndpoint endpoint) throws RemoteTransferException {
        return connect(endpoint, Options.DEFAULTS);
    }

    /**
     * Opens a session and an SFTP channel. Fails with {@link HostKeyRejectedException} when the
     * server's host key is not the one pinned for {@code [host]:port}, and with
     * {@link RemoteTransferException} when the login or connection fails.
     */
    public static RemoteSftpClient connect(Department.RemoteEndpoint endpoint, Options options)
            throws RemoteTransferException {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(options, "options");
        String where = endpoint.host() + ":" + endpoint.port();
        Path knownHosts = requireReadableFile(endpoint.knownHosts(), "known_hosts file", where);
        Path privateKey = requireReadableFile(endpoint.privateKey(), "private key file", where);

        JSch jsch = new JSch();
        PinnedHostKeys pinned;
        Session session;
        try {
            jsch.setKnownHosts(knownHosts.toString());
            jsch.addIdentity(privateKey.toString());
            pinned = new PinnedHostKeys(jsch.getHostKeyRepository());
            session = jsch.getSession(endpoint.user(), endpoint.host(), endpoint.port());
            session.setHostKeyRepository(pinned);
            session.setConfig("StrictHostKeyChecking", "yes");
            session.setConfig("PreferredAuthentications", "publickey");
            session.setServerAliveInterval(millis(options.serverAliveInterval()));
            session.setServerAliveCountMax(options.serverAliveCountMax());
            session.setTimeout(millis(options.readTimeout()));
        } catch (JSchException e) {
            // Key-file parsing errors: say which file, not what JSch saw in it.
            throw new RemoteTransferException("cannot set up the SFTP session to " + where
                    + " (check the private key and known_hosts files)", null);
        }

        try {
            session.connect(millis(options.connectTimeout()));
        } catch (JSchChangedHostKeyException e) {
            session.disconnect();
            throw new HostKeyRejectedException(endpoint.host(), endpoint.port(), HostKeyRejectedException.Reason.CHANGED,
                    pinned.presentedKeyType(), pinned.presentedFingerprint(), knownHosts.toString(), null);
        } catch (JSchUnknownHostKeyException e) {
            session.disconnect();
            throw new HostKeyRejectedException(endpoint.host(), endpoint.port(), HostKeyRejectedException.Reason.UNKNOWN,
                    pinned.presentedKeyType(), pinned.presentedFingerprint(), knownHosts.toString(), null);
        } catch (JSchException e) {
            session.disconnect();
            throw new RemoteTransferException(describeConnectFailure(e, where, endpoint.user()), e);
        }

        try {
            ChannelSftp channel = (ChannelSftp) session.openChannel("sftp");
            channel.connect(millis(options.connectTimeout()));
            LOG.debug("SFTP session open to {} as {} (host key {} {})", where, endpoint.user(),
                    pinned.presentedKeyType(), pinned.presentedFingerprint());
            return new RemoteSftpClient(endpoint, session, channel);
        } catch (JSchException e) {
            session.disconnect();
            throw new RemoteTransferException("cannot open the SFTP channel to " + where + ": " + e.getMessage(), e);
        }
    }

    /**
     * Uploads {@code local} as {@code remoteDir/name}: writes {@code name.part}, links or renames it
     * to {@code name} without ever replacing an existing file, then checks the remote size against
     * the local one. On a size mismatch the remote file is removed and the upload fails.
     */
    public UploadReceipt uploadAtomically(Path local, String remoteDir, String name) throws IOException {
        RemoteNames.requireSafeDirectory(remoteDir);
        RemoteNames.requireSafeFileName(name);
        if (!Files.isRegularFile(local)) {
            throw new IOException("not a regular file: " + local);
        }
        String target = RemoteNames.join(remoteDir, name);
        String partial = target + RemoteNames.PARTIAL_SUFFIX;
        if (exists(target)) {
            throw new RemoteTransferException(describe(target) + " already exists; refusing to overwrite");
        }

        long localSize = Files.size(local);
        MessageDigest sha256 = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(local), sha256)) {
            sftp.put(in, partial, ChannelSftp.OVERWRITE);
        } catch (SftpException e) {
            removeQuietly(partial);
            throw failure("upload of " + RemoteNames.printable(name) + " failed", e);
        }

        publishWithoutOverwrite(partial, target);

        long remoteSize;
        try {
            remoteSize = sftp.stat(target).getSize();
        } catch (SftpException e) {
            throw failure("cannot verify " + RemoteNames.printable(name) + " after upload", e);
        }
        if (remoteSize != localSize) {
            removeQuietly(target);
            throw new RemoteTransferException(describe(target) + " has " + remoteSize + " bytes after upload, expected "
                    + localSize + "; removed");
        }
        LOG.info("Uploaded {} ({} bytes) to {}:{}", RemoteNames.printable(name), localSize, endpoint.host(),
                endpoint.port());
        return new UploadReceipt(target, remoteSize, HexFormat.of().formatHex(sha256.digest()), Instant.now());
    }

    /**
     * Complete regular files in {@code remoteDir} whose whole name matches {@code namePattern},
     * sorted by name. Names that break the name contract (separators, {@code ..}, leading dot,
     * control characters), in-progress {@code .part} files, non-matching names, directories and
     * symbolic links are left out without further I/O.
     */
    public List<RemoteFile> listComplete(String remoteDir, Pattern namePattern) throws IOException {
        RemoteNames.requireSafeDirectory(remoteDir);
        Objects.requireNonNull(namePattern, "namePattern");
        List<RemoteFile> files = new ArrayList<>();
        try {
            sftp.ls(remoteDir, entry -> {
                String name = entry.getFilename();
                if (RemoteNames.isSafeFileName(name)
                        && !name.endsWith(RemoteNames.PARTIAL_SUFFIX)
                        && namePattern.matcher(name).matches()) {
                    // Attributes come with the listing entry (lstat): a symlink is not regular.
                    SftpATTRS attrs = entry.getAttrs();
                    if (attrs.isReg() && !attrs.isLink()) {
                        files.add(new RemoteFile(name, attrs.getSize(), Instant.ofEpochSecond(attrs.getMTime() & 0xffffffffL)));
                    }
                }
                return ChannelSftp.LsEntrySelector.CONTINUE;
            });
        } catch (SftpException e) {
            throw failure("cannot list " + RemoteNames.printable(remoteDir), e);
        }
        files.sort(Comparator.comparing(RemoteFile::name));
        return files;
    }

    /**
     * Downloads {@code remoteDir/name} into a temporary file next to {@code localTarget} (mode 0600),
     * checks its size against the remote stat, then moves it into place atomically. Refuses to
     * replace an existing {@code localTarget}.
     */
    public void download(String remoteDir, String name, Path localTarget) throws IOException {
        RemoteNames.requireSafeDirectory(remoteDir);
        RemoteNames.requireSafeFileName(name);
        if (Files.exists(localTarget)) {
            throw new FileAlreadyExistsException(localTarget.toString());
        }
        String source = RemoteNames.join(remoteDir, name);
        Path parent = localTarget.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, "." + localTarget.getFileName() + ".", ".part",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            SftpATTRS attrs = sftp.stat(source);
            if (!attrs.isReg()) {
                throw new RemoteTransferException(describe(source) + " is not a regular file");
            }
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                sftp.get(source, out);
            }
            long received = Files.size(temp);
            if (received != attrs.getSize()) {
                throw new RemoteTransferException(describe(source) + ": received " + received + " bytes, expected "
                        + attrs.getSize());
            }
            moveIntoPlace(temp, localTarget);
            LOG.info("Downloaded {} ({} bytes) from {}:{}", RemoteNames.printable(name), received, endpoint.host(),
                    endpoint.port());
        } catch (SftpException e) {
            throw failure("download of " + RemoteNames.printable(name) + " failed", e);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Removes {@code remoteDir/name}. */
    public void remove(String remoteDir, String name) throws IOException {
        RemoteNames.requireSafeDirectory(remoteDir);
        RemoteNames.requireSafeFileName(name);
        try {
            sftp.rm(RemoteNames.join(remoteDir, name));
        } catch (SftpException e) {
            throw failure("cannot remove " + RemoteNames.printable(name), e);
        }
    }

    @Override
    public void close() {
        sftp.disconnect();
        session.disconnect();
    }

    /**
     * JSch's {@code rename} uses {@code posix-rename@openssh.com} when offered, which replaces an
     * existing target. A hard link fails atomically if the target exists, so it is tried first;
     * servers without {@code hardlink@openssh.com} get a plain rename after the existence check.
     */
    private void publishWithoutOverwrite(String partial, String target) throws IOException {
        try {
            sftp.hardlink(partial, target);
            removeQuietly(partial);
            return;
        } catch (SftpException e) {
            if (e.id != ChannelSftp.SSH_FX_OP_UNSUPPORTED) {
                removeQuietly(partial);
                if (exists(target)) {
                    throw new RemoteTransferException(describe(target) + " already exists; refusing to overwrite");
                }
                throw failure("cannot publish " + describe(target), e);
            }
        }
        try {
            if (exists(target)) {
                removeQuietly(partial);
                throw new RemoteTransferException(describe(target) + " already exists; refusing to overwrite");
            }
            sftp.rename(partial, target);
        } catch (SftpException e) {
            removeQuietly(partial);
            throw failure("cannot publish " + describe(target), e);
        }
    }

    private boolean exists(String path) throws RemoteTransferException {
        try {
            sftp.lstat(path);
            return true;
        } catch (SftpException e) {
            if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                return false;
            }
            throw failure("cannot stat " + describe(path), e);
        }
    }

    private void removeQuietly(String path) {
        try {
            sftp.rm(path);
        } catch (SftpException e) {
            if (e.id != ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                LOG.warn("Could not remove {} on {}:{} (SFTP status {})", describe(path), endpoint.host(),
                        endpoint.port(), e.id);
            }
        }
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            // A hard link fails if the target appeared meanwhile; a rename would silently replace it.
            Files.createLink(target, temp);
        } catch (UnsupportedOperationException e) {
            Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private RemoteTransferException failure(String what, SftpException e) {
        return new RemoteTransferException(what + " on " + endpoint.host() + ":" + endpoint.port()
                + " (SFTP status " + e.id + ": " + e.getMessage() + ")", e);
    }

    private String describe(String path) {
        return RemoteNames.printable(path);
    }

    private static String describeConnectFailure(JSchException e, String where, String user) {
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("Auth fail") || message.startsWith("Auth cancel")) {
            return "SFTP login to " + where + " as " + user + " refused (public key not accepted)";
        }
        return "cannot connect to SFTP server " + where + ": " + message;
    }

    private static Path requireReadableFile(Path file, String what, String where) throws RemoteTransferException {
        if (file == null || !Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new RemoteTransferException(what + " for " + where + " is missing or unreadable: " + file);
        }
        return file.toAbsolutePath();
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
