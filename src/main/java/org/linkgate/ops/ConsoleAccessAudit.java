package org.linkgate.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.event.InteractiveAuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingRequestWrapper;

/**
 * The operations console is monitored like the API (cl. 12.3, 12.5): every request to Hawtio
 * (its pages, not its static scripts and images) and to Jolokia, and every login form post, is
 * an audit event with the user, the method, the path and the status; for Jolokia also what was
 * asked — request type, MBean, attribute or operation names, never arguments or values. Every
 * successful form login (Hawtio in a browser) is an {@code HTTP_LOGIN} event; failed logins are
 * recorded by {@code api.ApiAccessAudit}. Passwords are never read or recorded.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class ConsoleAccessAudit extends OncePerRequestFilter {

    static final String HAWTIO = "/actuator/hawtio";
    static final String JOLOKIA = "/actuator/jolokia";
    private static final int MAX_JOLOKIA_BODY = 64 * 1024;
    private static final int MAX_DETAIL = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AuditLog audit;

    public ConsoleAccessAudit(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = path(request);
        if (path.equals("/login") || path.equals("/logout")) {
            return false;
        }
        // Jolokia (directly or through Hawtio's forward) is always audited, whatever the path ends in: a
        // request to .../jolokia/read/<mbean>/x.js is a Jolokia request, not a script.
        if (isUnder(path, JOLOKIA) || isUnder(path, HAWTIO + "/jolokia")) {
            return false;
        }
        // Hawtio's bundled scripts, styles and images are public code, not data: not audited.
        return !isUnder(path, HAWTIO) || path.startsWith(HAWTIO + "/static/") || path.startsWith(HAWTIO + "/img/")
                || path.matches(".*\\.(js|css|map|png|svg|ico|woff2?|ttf)$");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // Hawtio's scripts call Jolokia at <hawtio>/jolokia (forwarded to the agent).
        boolean jolokia = isUnder(path(request), JOLOKIA) || isUnder(path(request), HAWTIO + "/jolokia");
        HttpServletRequest seen = jolokia ? new ContentCachingRequestWrapper(request, MAX_JOLOKIA_BODY) : request;
        // This filter runs outside Spring Security's chain, which clears the security context before it
        // returns: the principal is taken while the response is being produced (see PrincipalWitness).
        String sessionUser = sessionUser(request);
        PrincipalWitness witness = new PrincipalWitness(response);
        try {
            chain.doFilter(seen, witness);
        } finally {
            witness.look();
            String detail = request.getMethod() + " " + request.getRequestURI() + " -> " + response.getStatus();
            if (jolokia && seen instanceof ContentCachingRequestWrapper cached) {
                String asked = jolokiaRequests(cached.getContentAsByteArray());
                if (!asked.isEmpty()) {
                    detail += " " + asked;
                }
            }
            String user = witness.user != null ? witness.user : sessionUser != null ? sessionUser : "anonymous";
            audit.record(AuditEventType.CONSOLE_ACCESS, null, null, user, truncate(detail));
        }
    }

    @EventListener
    public void loggedIn(InteractiveAuthenticationSuccessEvent event) {
        audit.record(AuditEventType.HTTP_LOGIN, null, null, "http:" + safe(event.getAuthentication().getName()), "form login");
    }

    /** Type, MBean and attribute/operation of each Jolokia request in a POST body; never arguments. */
    static String jolokiaRequests(byte[] body) {
        if (body.length == 0) {
            return "";
        }
        try {
            JsonNode root = JSON.readTree(body);
            List<String> asked = new ArrayList<>();
            for (JsonNode one : root.isArray() ? root : List.of(root)) {
                StringBuilder text = new StringBuilder(safeText(one.path("type").asText("?")));
                if (one.hasNonNull("mbean")) {
                    text.append(' ').append(safeText(one.get("mbean").asText()));
                }
                JsonNode attribute = one.path("attribute");
                if (attribute.isTextual()) {
                    text.append(' ').append(safeText(attribute.asText()));
                } else if (attribute.isArray()) {
                    List<String> names = new ArrayList<>();
                    attribute.forEach(a -> names.add(safeText(a.asText())));
                    text.append(' ').append(String.join(",", names));
                }
                if (one.hasNonNull("operation")) {
                    text.append(' ').append(safeText(one.get("operation").asText()));
                }
                asked.add(text.toString());
            }
            return "[" + String.join("; ", asked) + "]";
        } catch (IOException | RuntimeException e) {
            return "[unreadable request]";
        }
    }

    /**
     * The user a form login's session already holds (authenticated earlier), or null. A name in an
     * Authorization header is only a claim and is never taken from there.
     */
    static String sessionUser(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null
                && session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY) instanceof SecurityContext context) {
            return authenticated(context.getAuthentication());
        }
        return null;
    }

    /** "http:name" of an authenticated (not anonymous) principal, else null. */
    static String authenticated(Authentication authentication) {
        if (authentication == null || !authentication.isAuthenticated()
                || authentication instanceof AnonymousAuthenticationToken) {
            return null;
        }
        return "http:" + safe(authentication.getName());
    }

    /**
     * Looks at the security context whenever the response is being produced (status set, error or
     * redirect sent, body opened, buffer flushed): that happens inside Spring Security's chain, after it
     * authenticated (or failed to authenticate) the request. The first authenticated principal seen wins.
     */
    static final class PrincipalWitness extends HttpServletResponseWrapper {
        String user;

        PrincipalWitness(HttpServletResponse response) {
            super(response);
        }

        void look() {
            if (user == null) {
                user = authenticated(SecurityContextHolder.getContext().getAuthentication());
            }
        }

        @Override
        public void setStatus(int sc) {
            look();
            super.setStatus(sc);
        }

        @Override
        public void sendError(int sc) throws IOException {
            look();
            super.sendError(sc);
        }

        @Override
        public void sendError(int sc, String msg) throws IOException {
            look();
            super.sendError(sc, msg);
        }

        @Override
        public void sendRedirect(String location) throws IOException {
            look();
            super.sendRedirect(location);
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            look();
            return super.getOutputStream();
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            look();
            return super.getWriter();
        }

        @Override
        public void flushBuffer() throws IOException {
            look();
            super.flushBuffer();
        }
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    private static boolean isUnder(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    private static String safe(String name) {
        return String.valueOf(name).replaceAll("[^A-Za-z0-9_.@-]", "?");
    }

    private static String safeText(String text) {
        String printable = text.replaceAll("[^\\x20-\\x7E]", "?");
        return printable.length() > 200 ? printable.substring(0, 200) + "…" : printable;
    }

    private static String truncate(String detail) {
        return detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "…" : detail;
    }
}
