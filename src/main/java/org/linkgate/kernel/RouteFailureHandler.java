package org.linkgate.kernel;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Route-level error handling for every gateway route (wired by
 * {@code routes/shared/error-handling.camel.yaml}). An unexpected failure leaves the file where
 * it was, so nothing is lost; the ledgers count attempts and quarantine a file with an alert
 * once they run out. Here the failure is logged (ids only, never content) and counted.
 */
@Component("routeFailureHandler")
public class RouteFailureHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFailureHandler.class);
    private final MeterRegistry meters;
    private final RecentRouteFailures recent;
    private final java.time.Clock clock;

    public RouteFailureHandler(MeterRegistry meters, RecentRouteFailures recent, java.time.Clock clock) {
        this.meters = meters;
        this.recent = recent;
        this.clock = clock;
    }

    public void onFailure(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String partner = exchange.getIn().getHeader(PartnerHeaders.COUNCIL, String.class);
        if (partner == null) {
            partner = exchange.getIn().getHeader(PartnerHeaders.DEPARTMENT, String.class);
        }
        String route = exchange.getFromRouteId();
        meters.counter("linkgate.route.failures", "route", String.valueOf(route)).increment();
        recent.add(new RecentRouteFailures.Failure(clock.instant(), String.valueOf(route), partner,
                RecentRouteFailures.errorType(error)));
        LOG.error("route {} failed for partner {}; the file stays where it was and will be retried: {}",
                route, partner, error == null ? "unknown error" : error.toString(), error);
    }
}
