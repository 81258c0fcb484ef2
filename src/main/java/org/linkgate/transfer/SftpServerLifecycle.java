package org.linkgate.transfer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.audit.AuditLog;
import org.linkgate.kernel.Alerts;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.GatewaySecrets;
import org.linkgate.kernel.LinkgateProperties;
import org.linkgate.sftp.EmbeddedSftpServer;
import org.linkgate.sftp.SftpAccessListener;
import org.linkgate.sftp.SftpServerSettings;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the embedded SFTP drop-zone with the gateway: accounts come from the partner registry (a party whose
 * agreement is terminated may not log in, {@link AgreementSftpAccounts}),
 * the host key from the secrets directory, and every login, failed login and file movement is audited
 * ({@link SftpMovementAudit}). On
 * start it writes the server's known_hosts line to {@code config/gateway/ssh-known-hosts} so
 * partners and the demo client can pin the host key.
 */
@Component
@ConditionalOnProperty(prefix = "linkgate.sftp", name = "enabled", havingValue = "true", matchIfMissing = true)
public class SftpServerLifecycle implements SmartLifecycle {

    private final EmbeddedSftpServer server;
    private final GatewayHome home;
    private volatile boolean running;

    public SftpServerLifecycle(LinkgateProperties properties, GatewayHome home, PartnerRegistry registry,
                               AgreementPolicy policy, Clock clock, AuditLog audit, Alerts alerts,
                               List<SftpAccessListener> watchers) {
        this.home = home;
        LinkgateProperties.Sftp sftp = properties.sftp();
        this.server = new EmbeddedSftpServer(new SftpServerSettings(sftp.bindHost(), sftp.port(),
                home.secretsDir().resolve(GatewaySecrets.SSH_HOST_KEY), sftp.maxSessionsPerUser(),
                sftp.maxOpenHandlesPerSession(), sftp.idleTimeout(), sftp.maxAuthAttempts(),
                sftp.maxUploadSize().toBytes(), sftp.accountQuota().toBytes()),
                new AgreementSftpAccounts(registry, policy, clock), new SftpMovementAudit(audit, alerts, watchers));
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
}
