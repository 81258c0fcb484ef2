package org.linkgate.transfer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.apache.camel.spi.SupervisingRouteController;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.linkgate.agreement.Department;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.kernel.Alerts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A department's own SFTP server being down is the department's outage, not the gateway's: the
 * gateway starts and stays healthy (the route controller retries a route that cannot start, the
 * poller retries the server), and operators are told with one {@code PARTNER_ENDPOINT_DOWN} alert
 * per outage; recovery is logged. Two ways to notice:
 *
 * <ul>
 *   <li>{@link #FAILED_POLLS} failed polls in a row: raised by the poll strategy itself
 *       ({@link #pollStrategy}), on the replica that polls — the one leading the collect route's
 *       {@code master:} namespace. The count lives in that replica's memory, so it must be judged
 *       there, not by a route led by another replica.</li>
 *   <li>the route controller could not start the route (and retries it): checked by route
 *       {@code ops-partner-endpoints} ({@code routes/ops/partner-endpoints.camel.yaml}), which runs
 *       on every replica, each looking at its own route controller.</li>
 * </ul>
 *
 * <p>These routes' consumer health checks are left out of the gateway's health (which
 * Kubernetes acts on), so one partner cannot get the gateway restarted.
 */
@Component("partnerEndpointWatch")
public class PartnerEndpointWatch implements CamelContextConfiguration {

    public static final String ALERT = "PARTNER_ENDPOINT_DOWN";
    static final int FAILED_POLLS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(PartnerEndpointWatch.class);

    private final PartnerRegistry registry;
    private final Alerts alerts;
    /** Routes this replica's route controller could not start, alerted once each. */
    private final Map<String, Boolean> notStarting = new ConcurrentHashMap<>();
    private final Map<String, FailedPolls> polls = new ConcurrentHashMap<>();
    private volatile CamelContext camel;

    public PartnerEndpointWatch(PartnerRegistry registry, Alerts alerts) {
        this.registry = registry;
        this.alerts = alerts;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        this.camel = camelContext;
        HealthCheckRegistry health = HealthCheckRegistry.get(camelContext);
        if (health == null) {
            return;
        }
        StringBuilder exclude = new StringBuilder(health.getExcludePattern() == null ? "" : health.getExcludePattern());
        for (Department department : registry.departments()) {
            if (department.endpoint() instanceof Department.RemoteEndpoint) {
                exclude.append(exclude.isEmpty() ? "" : ",").append("consumer:").append(routeId(department));
            }
        }
        if (!exclude.isEmpty()) {
            health.setExcludePattern(exclude.toString());
        }
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
    }

    /** Called periodically by route {@code ops-partner-endpoints} on every replica: routes that cannot start. */
    public void check() {
        if (camel == null) {
            return;
        }
        for (Department department : registry.departments()) {
            if (department.endpoint() instanceof Department.RemoteEndpoint) {
                check(department);
            }
        }
    }

    private void check(Department department) {
        String routeId = routeId(department);
        Route route = camel.getRoute(routeId);
        if (route == null) {
            return;
        }
        ServiceStatus status = camel.getRouteController().getRouteStatus(routeId);
        if (notStarting(route)) {
            if (notStarting.putIfAbsent(routeId, Boolean.TRUE) == null) {
                alerts.raise(ALERT, department.code(), routeId, "department " + department.code()
                        + " returns cannot be collected: the route could not start (" + status
                        + "); it is retried with back-off");
            }
        } else if (status == ServiceStatus.Started && notStarting.remove(routeId) != null) {
            LOG.info("department {} collect route {} started again", department.code(), routeId);
        }
    }

    /** A route the supervising route controller failed to start and is retrying (or gave up on). */
    private boolean notStarting(Route route) {
        if (!camel.getRouteController().isSupervising()) {
            return false;
        }
        SupervisingRouteController controller = camel.getRouteController().adapt(SupervisingRouteController.class);
        return controller.getRestartingRoutes().contains(route) || controller.getExhaustedRoutes().contains(route);
    }

    /**
     * The poll strategy of a remote department's returns consumer: counts failed polls in a row
     * (reset by a successful one) and raises the alert when the count reaches {@link #FAILED_POLLS},
     * once per outage; the first successful poll after it logs the recovery. Camel's default
     * behaviour otherwise: no immediate retry.
     */
    public PollingConsumerPollStrategy pollStrategy(Department department) {
        return polls.computeIfAbsent(department.account(), account -> new FailedPolls(department));
    }

    private final class FailedPolls implements PollingConsumerPollStrategy {
        final AtomicLong inARow = new AtomicLong();
        final AtomicBoolean down = new AtomicBoolean();
        private final Department department;

        FailedPolls(Department department) {
            this.department = department;
        }

        @Override
        public boolean begin(Consumer consumer, Endpoint endpoint) {
            return true;
        }

        @Override
        public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
            inARow.set(0);
            if (down.compareAndSet(true, false)) {
                LOG.info("department {} server reachable again (route {})", department.code(), routeId(department));
            }
        }

        @Override
        public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
            long failed = inARow.incrementAndGet();
            if (failed >= FAILED_POLLS && down.compareAndSet(false, true)) {
                try {
                    alerts.raise(ALERT, department.code(), routeId(department), "department " + department.code()
                            + " returns cannot be collected: " + failed + " polls of its server failed in a row");
                } catch (RuntimeException e) {
                    // Try again at the next failed poll rather than lose the alert.
                    down.set(false);
                    LOG.warn("could not raise the {} alert for department {}: {}", ALERT, department.code(), e.toString());
                }
            }
            return false;
        }
    }

    static String routeId(Department department) {
        return "collect-" + department.account();
    }
}
