package org.linkgate.ops;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every access to the data is monitored and recorded (cl. 12.3, 12.5): each API, metrics or
 * status page request is an audit event with the user, the method, the path and the outcome, and every
 * failed HTTP login is one too (and counts towards {@link HttpLoginThrottle}). Refusals of requests
 * nobody authenticated are aggregated per address ({@link AnonymousRefusals}), so a flood cannot
 * swell the audit chain. Query strings are not recorded (they are filters, kept short).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ApiAccessAudit extends OncePerRequestFilter {

    private final AuditLog audit;
    private final AnonymousRefusals refusals;
    private final HttpLoginThrottle throttle;

    public ApiAccessAudit(AuditLog audit, AnonymousRefusals refusals, HttpLoginThrottle throttle) {
        this.audit = audit;
        this.refusals = refusals;
        this.throttle = throttle;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !(path.startsWith("/api/") || path.startsWith("/actuator/prometheus") || path.equals("/status"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // Runs before Spring Security, so refused requests (401, 403) are recorded too; the user is
        // the one the request claims, and the status says whether it was let in.
        ConsoleAccessAudit.PrincipalWitness witness = new ConsoleAccessAudit.PrincipalWitness(response);
        try {
            chain.doFilter(request, witness);
        } finally {
            witness.look();
            if (!refusals.countedInstead(witness.user != null, response.getStatus(), request.getRemoteAddr())) {
                audit.record(AuditEventType.API_ACCESS, null, null, claimedUser(request),
                        request.getMethod() + " " + request.getRequestURI() + " -> " + response.getStatus());
            }
        }
    }

    private static String claimedUser(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return "anonymous";
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return "http:" + (colon < 0 ? decoded : decoded.substring(0, colon)).replaceAll("[^A-Za-z0-9_.@-]", "?");
        } catch (IllegalArgumentException e) {
            return "http:?";
        }
    }

    @EventListener
    public void loginFailed(AbstractAuthenticationFailureEvent event) {
        String claimed = String.valueOf(event.getAuthentication().getName());
        String name = claimed.replaceAll("[^A-Za-z0-9_.@-]", "?");
        String address = address(event.getAuthentication());
        audit.record(AuditEventType.HTTP_LOGIN_FAILED, null, null, "http", "user " + name + ": "
                + event.getException().getClass().getSimpleName());
        throttle.failed(claimed, address);
    }

    @EventListener
    public void loggedIn(AuthenticationSuccessEvent event) {
        throttle.succeeded(event.getAuthentication().getName());
    }

    private static String address(Authentication authentication) {
        return authentication.getDetails() instanceof WebAuthenticationDetails details ? details.getRemoteAddress() : null;
    }
}
