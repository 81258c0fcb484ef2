package org.linkgate.ops;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.SupervisingRouteController;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.ScheduledPollConsumer;
import org.linkgate.agreement.Department;
import org.linkgate.agreement.PartnerRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A department's own SFTP server being down is the department's outage, not the gateway's: the
 * gateway starts and stays healthy (the route controller retries a route that cannot start, the
 * poller retries the server), and operators are told. Checked by route
 * {@code ops-partner-endpoints} ({@code routes/ops/partner-endpoints.camel.yaml}): a department
 * returns route that has failed {@link #FAILED_POLLS} polls in a row, or is not running, raises
 * one {@code PARTNER_ENDPOINT_DOWN} alert per outage; recovery is logged.
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
    private final Map<String, Boolean> down = new ConcurrentHashMap<>();
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

    /** Called periodically by route {@code ops-partner-endpoints}. */
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
        long failedPolls = route.getConsumer() instanceof ScheduledPollConsumer poller ? poller.getErrorCounter() : 0;
        boolean notStarting = notStarting(route);
        boolean failing = failedPolls >= FAILED_POLLS || notStarting;
        if (failing && down.putIfAbsent(routeId, Boolean.TRUE) == null) {
            String problem = failedPolls >= FAILED_POLLS ? failedPolls + " polls of its server failed in a row"
                    : "the route could not start (" + status + "); it is retried with back-off";
            alerts.raise(ALERT, department.code(), routeId, "department " + department.code()
                    + " returns cannot be collected: " + problem);
        } else if (!failing && failedPolls == 0 && status == ServiceStatus.Started && down.remove(routeId) != null) {
            LOG.info("department {} server reachable again (route {})", department.code(), routeId);
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

    static String routeId(Department department) {
        return "returns-" + department.account();
    }
}
