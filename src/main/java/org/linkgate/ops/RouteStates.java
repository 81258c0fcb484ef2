package org.linkgate.ops;

import java.util.Comparator;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/** The routes of this instance that are not running now (stopped, suspended, ...), for the status page. */
@Component
public class RouteStates {

    private final CamelContext camel;

    public RouteStates(@Lazy CamelContext camel) {
        this.camel = camel;
    }

    /** Every route whose status is not Started, by route id. */
    public List<StatusReport.RouteState> notRunning() {
        return camel.getRoutes().stream()
                .map(Route::getRouteId)
                .sorted(Comparator.naturalOrder())
                .map(id -> new StatusReport.RouteState(id, camel.getRouteController().getRouteStatus(id)))
                .filter(state -> state.status() != null && !"Started".equals(state.status()))
                .toList();
    }
}
