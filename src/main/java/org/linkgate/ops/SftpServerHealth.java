package org.linkgate.ops;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.linkgate.kernel.LinkgateProperties;
import org.linkgate.transfer.SftpServerLifecycle;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health {@code sftpServer}: the embedded SFTP drop-zone is running and accepts TCP connections
 * on its port (a connection to the loopback address, or to its bind address). Part of readiness:
 * a replica whose drop-zone is not listening should not be sent partners.
 */
@Component("sftpServer")
public class SftpServerHealth implements HealthIndicator {

    private static final int CONNECT_TIMEOUT_MILLIS = 1000;
    private final ObjectProvider<SftpServerLifecycle> server;
    private final LinkgateProperties.Sftp settings;

    public SftpServerHealth(ObjectProvider<SftpServerLifecycle> server, LinkgateProperties properties) {
        this.server = server;
        this.settings = properties.sftp();
    }

    @Override
    public Health health() {
        SftpServerLifecycle lifecycle = server.getIfAvailable();
        if (lifecycle == null || !settings.enabled()) {
            return Health.up().withDetail("embedded", "disabled").build();
        }
        if (!lifecycle.isRunning()) {
            return Health.down().withDetail("problem", "not running").build();
        }
        String host = "0.0.0.0".equals(settings.bindHost()) || "::".equals(settings.bindHost())
                ? "127.0.0.1" : settings.bindHost();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, lifecycle.port()), CONNECT_TIMEOUT_MILLIS);
            return Health.up().withDetail("port", lifecycle.port()).build();
        } catch (IOException e) {
            return Health.down().withDetail("port", lifecycle.port())
                    .withDetail("problem", "not accepting connections (" + e.getClass().getSimpleName() + ")").build();
        }
    }
}
