package org.linkgate.sftp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.channel.ChannelSessionFactory;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.apache.sshd.sftp.SftpModuleProperties;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded SFTP drop-zone: an Apache MINA SSHD server that offers the SFTP subsystem only, authenticates by
 * public key only against the {@link SftpAccountDirectory}, confines every account to its home and enforces the
 * drop-zone policy of the account's {@link SftpLayout} (a council uploads into {@code inbound/} and downloads from
 * {@code outbound/}; a department uploads into {@code returns/} and downloads from {@code upload/}). Listings leave out
 * files that disappear while being listed. The host key is persisted in
 * {@link SftpServerSettings#hostKeyFile()} and reused on every start so clients can pin it.
 * Thread-safe; {@link #start()} and {@link #stop()} may be called repeatedly.
 */
public final class EmbeddedSftpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSftpServer.class);
    private static final int DEFAULT_SSH_PORT = 22;
    private static final Duration AUTH_TIMEOUT = Duration.ofSeconds(60);

    private final SftpServerSettings settings;
    private final SftpAccountDirectory accounts;
    private final SftpAccessListener listener;
    private final HostKeyFile hostKeyFile;

    private KeyPair hostKey;
    private SshServer server;

    public EmbeddedSftpServer(SftpServerSettings settings, SftpAccountDirectory accounts) {
        this(settings, accounts, SftpAccessListener.NO_OP);
    }

    public EmbeddedSftpServer(SftpServerSettings settings, SftpAccountDirectory accounts,
            SftpAccessListener listener) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.hostKeyFile = new HostKeyFile(settings.hostKeyFile());
    }

    /**
     * Loads (or on first use generates) the host key and starts listening.
     *
     * @throws IOException           if the host key cannot be read or written, or the port cannot be bound
     * @throws IllegalStateException if already running
     */
    public synchronized void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("SFTP server is already running on port " + server.getPort());
        }
        SshServer sshd = configure(loadHostKey());
        try {
            sshd.start();
        } catch (IOException | RuntimeException e) {
            // Release the I/O threads of the half-started server; the original failure is what matters.
            try {
                sshd.stop(true);
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        server = sshd;
        LOG.info("SFTP drop-zone listening on {}:{} with host key {}",
                settings.bindHost(), sshd.getPort(), hostKeyFingerprint());
    }

    /** Stops listening and closes every open session. Does nothing if not running. */
    public synchronized void stop() throws IOException {
        if (server == null) {
            return;
        }
        SshServer running = server;
        server = null;
        running.stop(true);
        LOG.info("SFTP drop-zone stopped");
    }

    @Override
    public void close() throws IOException {
        stop();
    }

    public synchronized boolean isRunning() {
        return server != null && server.isStarted();
    }

    /**
     * @return the port actually bound (useful when the settings ask for an ephemeral port)
     * @throws IllegalStateException if not running
     */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("SFTP server is not running");
        }
        return server.getPort();
    }

    /**
     * The host's public key, loading or generating the persisted key if needed.
     *
     * @throws UncheckedIOException if the host key file cannot be read or written
     */
    public PublicKey hostPublicKey() {
        try {
            return loadHostKey().getPublic();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The host key fingerprint as OpenSSH prints it, e.g. {@code SHA256:n4V...}. */
    public String hostKeyFingerprint() {
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, hostPublicKey());
    }

    /**
     * A {@code known_hosts} line for pinning this server's key, e.g.
     * {@code [sftp.example.org]:2222 ssh-rsa AAAA...}. Uses the bound port while running, else the configured
     * one; the port is omitted when it is 22.
     */
    public String knownHostsLine(String host) {
        Objects.requireNonNull(host, "host");
        int port;
        synchronized (this) {
            port = server != null ? server.getPort() : settings.port();
        }
        String pattern = port == DEFAULT_SSH_PORT ? host : "[" + host + "]:" + port;
        return pattern + " " + PublicKeyEntry.toString(hostPublicKey());
    }

    private synchronized KeyPair loadHostKey() throws IOException {
        if (hostKey == null) {
            try {
                hostKey = hostKeyFile.loadOrCreate();
            } catch (GeneralSecurityException e) {
                throw new IOException("Cannot load the SFTP host key from " + settings.hostKeyFile(), e);
            }
        }
        return hostKey;
    }

    private SshServer configure(KeyPair key) {
        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost(settings.bindHost());
        sshd.setPort(settings.port());
        sshd.setKeyPairProvider(KeyPairProvider.wrap(key));
        dropWeakAlgorithms(sshd);

        // Public key against the partner registry, nothing else.
        sshd.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        sshd.setPublickeyAuthenticator(new AccountPublickeyAuthenticator(accounts));
        sshd.setPasswordAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setGSSAuthenticator(null);
        sshd.setHostBasedAuthenticator(null);

        // Sessions carry the SFTP subsystem only: no shell, exec, forwarding, agent or X11.
        sshd.setShellFactory(null);
        sshd.setCommandFactory(null);
        sshd.setAgentFactory(null);
        sshd.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
        sshd.setChannelFactories(List.of(ChannelSessionFactory.INSTANCE));

        AccessAuditor auditor = new AccessAuditor(listener);
        SftpSubsystemFactory sftp = new SftpSubsystemFactory.Builder()
                .withFileSystemAccessor(new DropZoneFileSystemAccessor(settings.maxUploadBytes(),
                        settings.accountQuotaBytes(), listener))
                .build();
        sftp.addSftpEventListener(auditor);
        sshd.setSubsystemFactories(List.of(sftp));
        sshd.setFileSystemFactory(new DropZoneFileSystemFactory(accounts));
        sshd.addSessionListener(auditor);

        CoreModuleProperties.MAX_CONCURRENT_SESSIONS.set(sshd, settings.maxSessionsPerUser());
        CoreModuleProperties.MAX_AUTH_REQUESTS.set(sshd, settings.maxAuthAttempts());
        CoreModuleProperties.IDLE_TIMEOUT.set(sshd, settings.idleTimeout());
        CoreModuleProperties.AUTH_TIMEOUT.set(sshd, AUTH_TIMEOUT);
        SftpModuleProperties.MAX_OPEN_HANDLES_PER_SESSION.set(sshd, settings.maxOpenHandlesPerSession());
        SftpModuleProperties.AUTO_FOLLOW_LINKS.set(sshd, false);
        return sshd;
    }

    /** SHA-1 signatures, key exchanges and MACs, and CBC ciphers are off; clients negotiate something stronger. */
    private static void dropWeakAlgorithms(SshServer sshd) {
        sshd.setSignatureFactories(keep(sshd.getSignatureFactories(),
                name -> !name.equals(KeyPairProvider.SSH_RSA) && !name.equals(KeyPairProvider.SSH_DSS)
                        && !name.startsWith("ssh-rsa-cert") && !name.startsWith("ssh-dss")));
        sshd.setKeyExchangeFactories(keep(sshd.getKeyExchangeFactories(), name -> !name.endsWith("sha1")));
        sshd.setMacFactories(keep(sshd.getMacFactories(),
                name -> !name.startsWith("hmac-sha1") && !name.startsWith("hmac-md5")));
        sshd.setCipherFactories(keep(sshd.getCipherFactories(), name -> !name.endsWith("-cbc")));
    }

    private static <T extends NamedResource> List<T> keep(List<T> factories, Predicate<String> accept) {
        return factories.stream()
                .filter(factory -> accept.test(factory.getName().toLowerCase(Locale.ROOT)))
                .toList();
    }
}
