package org.linkgate.transfer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.linkgate.kernel.Alerts;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.GatewaySecrets;
import org.linkgate.kernel.LinkgateProperties;
import org.linkgate.sftp.EmbeddedSftpServer;
import org.linkgate.sftp.SftpAccessListener;
import org.linkgate.sftp.SftpServerSettings;
import org.linkgate.validation.UntrustedText;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the embedded SFTP drop-zone with the gateway: accounts come from the partner registry,
 * the host key from the secrets directory, and every login (or failed login) is audited. On
 * start it writes the server's known_hosts line to {@code config/gateway/ssh-known-hosts} so
 * partners and the demo client can pin the host key.
 */
@Component
@ConditionalOnProperty(prefix = "linkgate.sftp", name = "enabled", havingValue = "true", matchIfMissing = true)
public class SftpServerLifecycle implements SmartLifecycle {

    private final EmbeddedSftpServer server;
    private final GatewayHome home;
    private volatile boolean running;

    public SftpServerLifecycle(LinkgateProperties properties, GatewayHome home, PartnerRegistry registry, AuditLog audit,
                               Alerts alerts, List<SftpAccessListener> watchers) {
        this.home = home;
        LinkgateProperties.Sftp sftp = properties.sftp();
        this.server = new EmbeddedSftpServer(new SftpServerSettings(sftp.bindHost(), sftp.port(),
                home.secretsDir().resolve(GatewaySecrets.SSH_HOST_KEY), sftp.maxSessionsPerUser(),
                sftp.maxOpenHandlesPerSession(), sftp.idleTimeout(), sftp.maxAuthAttempts(),
                sftp.maxUploadSize().toBytes(), sftp.accountQuota().toBytes()),
                registry, new AuditingListener(audit, alerts, List.copyOf(watchers)));
    }

    @Override
    public void start() {
        try {
            server.start();
            Files.writeString(GatewayHome.ensureDirectory(home.gatewayKeyDir()).resolve(GatewaySecrets.SSH_KNOWN_HOSTS),
                    server.knownHostsLine("localhost") + "\n" + server.knownHostsLine("127.0.0.1") + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded SFTP server", e);
        }
        running = true;
    }

    @Override
    public void stop() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            running = false;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    public int port() {
        return server.port();
    }

    public String hostKeyFingerprint() {
        return server.hostKeyFingerprint();
    }

    /** Audits logins; usernames are partner codes, addresses are infrastructure, neither is personal data. */
    private record AuditingListener(AuditLog audit, Alerts alerts, List<SftpAccessListener> watchers)
            implements SftpAccessListener {
        /** A write over the upload size or the quota: the partner's name of the file escaped, never trusted. */
        @Override
        public void uploadRefused(String username, String relativePath, String reason) {
            String partner = username.toUpperCase(java.util.Locale.ROOT);
            String message = "upload " + UntrustedText.forLog(relativePath) + " refused: " + reason;
            audit.record(AuditEventType.SFTP_UPLOAD_REFUSED, partner, null, "sftp:" + safe(username), message);
            alerts.raise("SFTP_UPLOAD_REFUSED", partner, null, message.length() > 900 ? message.substring(0, 900) + "..." : message);
        }

        @Override
        public void loginSucceeded(String username, java.net.SocketAddress remoteAddress) {
            audit.record(AuditEventType.SFTP_LOGIN, username.toUpperCase(java.util.Locale.ROOT), null, "sftp:" + username,
                    "from " + remoteAddress);
        }

        @Override
        public void loginFailed(String username, java.net.SocketAddress remoteAddress, String reason) {
            audit.record(AuditEventType.SFTP_LOGIN_FAILED, null, null, "sftp", "user " + safe(username)
                    + " from " + remoteAddress + ": " + reason);
            // Watchers (incident.LoginFailureWatch) turn repeated failures into an incident (cl. 13).
            for (SftpAccessListener watcher : watchers) {
                try {
                    watcher.loginFailed(username, remoteAddress, reason);
                } catch (RuntimeException e) {
                    // A watcher's failure must not hide the failed login from the others.
                    org.slf4j.LoggerFactory.getLogger(SftpServerLifecycle.class)
                            .error("login-failure watcher {} failed: {}", watcher.getClass().getSimpleName(), e.toString());
                }
            }
        }

        private static String safe(String username) {
            return username == null ? "-" : username.replaceAll("[^A-Za-z0-9_.-]", "?");
        }
    }
}
