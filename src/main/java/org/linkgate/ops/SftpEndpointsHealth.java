package org.linkgate.ops;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.linkgate.agreement.Department;
import org.linkgate.agreement.PartnerRegistry;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Health {@code sftpEndpoints}: for each department with its own SFTP server, a detail saying
 * whether a TCP connection to it opens within {@code linkgate.ops.endpoint-probe-timeout}
 * ({@code UP}, {@code DOWN} with the problem, or {@code UNKNOWN} before the first probe). Probes
 * run in the background and their results are cached for {@code endpoint-probe-interval}, so a
 * dead or slow partner never holds up a health request. Only reachability is probed: logging in
 * would need the key exchange the routes already do.
 *
 * <p>The indicator itself stays UP: a department's server being down is the department's outage,
 * not the gateway's (it is alerted as {@code PARTNER_ENDPOINT_DOWN} by {@link PartnerEndpointWatch}),
 * so it must neither mark the gateway DOWN nor get replicas restarted or taken out of service.
 */
@Component("sftpEndpoints")
public class SftpEndpointsHealth implements HealthIndicator, AutoCloseable {

    /** One probe's result. */
    record Probe(Status status, Instant at, String problem) {
    }

    private final PartnerRegistry registry;
    private final Duration interval;
    private final Duration timeout;
    private final Clock clock;
    private final Map<String, Probe> results = new ConcurrentHashMap<>();
    private final Map<String, Boolean> inFlight = new ConcurrentHashMap<>();
    private final ExecutorService probes;

    public SftpEndpointsHealth(PartnerRegistry registry, OpsProperties properties, Clock clock) {
        this.registry = registry;
        this.interval = properties.endpointProbeInterval();
        this.timeout = properties.endpointProbeTimeout();
        this.clock = clock;
        AtomicInteger threads = new AtomicInteger();
        this.probes = Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "sftp-endpoint-probe-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Probes every endpoint once the gateway is up, so the first health request already has answers. */
    @EventListener(ApplicationReadyEvent.class)
    public void probeAll() {
        remoteEndpoints().forEach(this::refresh);
    }

    private Map<String, Department.RemoteEndpoint> remoteEndpoints() {
        Map<String, Department.RemoteEndpoint> endpoints = new LinkedHashMap<>();
        for (Department department : registry.departments()) {
            if (department.endpoint() instanceof Department.RemoteEndpoint remote) {
                endpoints.put(department.code(), remote);
            }
        }
        return endpoints;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up();
        List<String> down = new ArrayList<>();
        remoteEndpoints().forEach((code, endpoint) -> {
            Map<String, Object> detail = endpoint(code, endpoint);
            if (Status.DOWN.getCode().equals(detail.get("status"))) {
                down.add(code);
            }
            health.withDetail(code, detail);
        });
        return health.withDetail("down", down).build();
    }

    private Map<String, Object> endpoint(String code, Department.RemoteEndpoint endpoint) {
        Probe probe = results.get(code);
        if (probe == null || probe.at().plus(interval).isBefore(clock.instant())) {
            refresh(code, endpoint);
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("status", (probe == null ? Status.UNKNOWN : probe.status()).getCode());
        detail.put("host", endpoint.host());
        detail.put("port", endpoint.port());
        if (probe == null) {
            detail.put("problem", "not probed yet");
            return detail;
        }
        detail.put("checkedAt", probe.at().toString());
        if (probe.problem() != null) {
            detail.put("problem", probe.problem());
        }
        return detail;
    }

    private void refresh(String code, Department.RemoteEndpoint endpoint) {
        if (inFlight.putIfAbsent(code, Boolean.TRUE) != null) {
            return;
        }
        try {
            probes.execute(() -> {
                try {
                    results.put(code, probe(endpoint.host(), endpoint.port(), timeout, clock));
                } finally {
                    inFlight.remove(code);
                }
            });
        } catch (RejectedExecutionException e) {
            inFlight.remove(code);
        }
    }

    /** Opens and closes one TCP connection; the problem names the failure's type only. */
    static Probe probe(String host, int port, Duration timeout, Clock clock) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            return new Probe(Status.UP, clock.instant(), null);
        } catch (IOException | RuntimeException e) {
            return new Probe(Status.DOWN, clock.instant(), "cannot connect (" + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public void close() {
        probes.shutdownNow();
    }
}
