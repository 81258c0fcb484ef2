package org.linkgate.ops;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.linkgate.kernel.Alerts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Every change of a route's state while the gateway runs — stopped, suspended, started again or
 * resumed, by anyone: an operator in the console, an API call, Camel itself — is an audit event
 * ({@code ROUTE_STOPPED}, ...) and an alert ({@code ROUTE_STATE_CHANGED}), so a control that stops
 * running (the audit chain check, the incident deadlines, retention) cannot go unnoticed. A route
 * policy on every route (Camel has no suspend or resume event to listen to). The
 * actor is the authenticated HTTP user when the change happens within a request (a Jolokia exec
 * runs on the request's thread), otherwise {@code camel}. Not recorded: the gateway's own start
 * (each route's first start, even a delayed one by the supervising route controller) and shutdown,
 * nor a stop of a route that never started (a partner's server still down).
 */
@Component
public class RouteStateAudit implements RoutePolicyFactory {

    static final String ALERT_CATEGORY = "ROUTE_STATE_CHANGED";
    private static final Logger LOG = LoggerFactory.getLogger(RouteStateAudit.class);
    private final AuditLog audit;
    private final Alerts alerts;
    private final Set<String> startedOnce = ConcurrentHashMap.newKeySet();

    public RouteStateAudit(AuditLog audit, Alerts alerts) {
        this.audit = audit;
        this.alerts = alerts;
    }

    /** One watcher per route; Camel calls it on every start, stop, suspend and resume of that route. */
    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        return new RoutePolicySupport() {
            @Override
            public void onStart(Route started) {
                if (startedOnce.add(started.getRouteId())) {
                    return; // its first start: part of the gateway starting
                }
                changed(started, AuditEventType.ROUTE_STARTED, "started");
            }

            @Override
            public void onStop(Route stopped) {
                if (startedOnce.contains(stopped.getRouteId()) && !shuttingDown(stopped.getCamelContext())) {
                    changed(stopped, AuditEventType.ROUTE_STOPPED, "stopped");
                }
            }

            @Override
            public void onSuspend(Route suspended) {
                if (!shuttingDown(suspended.getCamelContext())) {
                    changed(suspended, AuditEventType.ROUTE_SUSPENDED, "suspended");
                }
            }

            @Override
            public void onResume(Route resumed) {
                changed(resumed, AuditEventType.ROUTE_RESUMED, "resumed");
            }
        };
    }

    private void changed(Route route, AuditEventType type, String change) {
        String id = route.getRouteId();
        String actor = actor();
        String partner = partnerOf(id);
        String message = "route " + id + " " + change + " by " + actor;
        try {
            audit.record(type, partner, id, actor, message);
            alerts.raise(ALERT_CATEGORY, partner, id, message);
        } catch (RuntimeException e) {
            // The change itself has happened; losing its record must at least be loud.
            LOG.error("cannot record that {}: {}", message, e.toString());
        }
    }

    private static boolean shuttingDown(CamelContext camel) {
        ServiceStatus status = camel.getStatus();
        return status.isStopping() || status.isStopped() || status == ServiceStatus.Suspending;
    }

    /** The authenticated user of the current request, or {@code camel}. */
    static String actor() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated() || authentication instanceof AnonymousAuthenticationToken) {
            return "camel";
        }
        return "http:" + String.valueOf(authentication.getName()).replaceAll("[^A-Za-z0-9_.@-]", "?");
    }

    /** The partner code of a partner route ({@code fanout-dfe}: {@code DFE}), else null. */
    static String partnerOf(String route) {
        if (!ConsoleRouteControl.PARTNER_ROUTE.matcher(route).matches()) {
            return null;
        }
        return route.substring(route.indexOf('-') + 1).toUpperCase(Locale.ROOT);
    }
}
