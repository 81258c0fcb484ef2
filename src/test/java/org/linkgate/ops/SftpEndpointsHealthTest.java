package org.linkgate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Status;

/** Reachability probes against real sockets on the loopback address. */
class SftpEndpointsHealthTest {

    final Clock clock = Clock.systemUTC();

    @Test
    void aListeningServerIsUp() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            SftpEndpointsHealth.Probe probe = SftpEndpointsHealth.probe("127.0.0.1", server.getLocalPort(),
                    Duration.ofSeconds(2), clock);
            assertThat(probe.status()).isEqualTo(Status.UP);
            assertThat(probe.problem()).isNull();
        }
    }

    @Test
    void aClosedPortIsDownAtOnceAndSaysWhyWithoutDetail() throws Exception {
        int port;
        try (ServerSocket server = new ServerSocket(0)) {
            port = server.getLocalPort();
        }
        Instant before = Instant.now();
        SftpEndpointsHealth.Probe probe = SftpEndpointsHealth.probe("127.0.0.1", port, Duration.ofSeconds(2), clock);
        assertThat(probe.status()).isEqualTo(Status.DOWN);
        assertThat(probe.problem()).isEqualTo("cannot connect (ConnectException)");
        assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void anUnknownHostIsDown() {
        SftpEndpointsHealth.Probe probe = SftpEndpointsHealth.probe("no-such-host.invalid", 22, Duration.ofMillis(500), clock);
        assertThat(probe.status()).isEqualTo(Status.DOWN);
        assertThat(probe.problem()).startsWith("cannot connect (");
    }
}
