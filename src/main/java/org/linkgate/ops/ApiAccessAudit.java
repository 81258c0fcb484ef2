package org.linkgate.ops;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every access to the data is monitored and recorded (cl. 12.3, 12.5): each API, metrics or
 * status page request is an audit event with the user, the method, the path and the outcome, and every
 * failed HTTP login is one too. Query strings are not recorded (they are filters, kept short).
 */
@Component
@org.springframework.core.annotation.Order(org.springframework.core.Ordered.HIGHEST_PRECEDENCE)
public class ApiAccessAudit extends OncePerRequestFilter {

    private final AuditLog audit;

    public ApiAccessAudit(AuditLog audit) {
        this.audit = audit;
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
        try {
            chain.doFilter(request, response);
        } finally {
            audit.record(AuditEventType.API_ACCESS, null, null, claimedUser(request),
                    request.getMethod() + " " + request.getRequestURI() + " -> " + response.getStatus());
        }
    }

    private static String claimedUser(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return "anonymous";
        }
        try {
            String decoded = new String(java.util.Base64.getDecoder().decode(header.substring(6).strip()),
                    java.nio.charset.StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return "http:" + (colon < 0 ? decoded : decoded.substring(0, colon)).replaceAll("[^A-Za-z0-9_.@-]", "?");
        } catch (IllegalArgumentException e) {
            return "http:?";
        }
    }

    @EventListener
    public void loginFailed(AbstractAuthenticationFailureEvent event) {
        String name = String.valueOf(event.getAuthentication().getName()).replaceAll("[^A-Za-z0-9_.@-]", "?");
        audit.record(AuditEventType.HTTP_LOGIN_FAILED, null, null, "http", "user " + name + ": "
                + event.getException().getClass().getSimpleName());
    }
}
