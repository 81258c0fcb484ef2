package org.linkgate.ops;

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

/**
 * The operations console is monitored like the API (cl. 12.3, 12.5): every request to Hawtio
 * (its pages, not its static scripts and images) and to Jolokia, and every login form post, is
 * an audit event with the user, the method, the path and the status; for Jolokia also what was
 * asked — request type, MBean, attribute or operation names, never arguments or values. Nothing
 * of what was asked is ever cut: each state-changing entry of a bulk request (exec, write) is an
 * event of its own, the rest are listed in full over as many events as they need, and a body too
 * large to audit whole is refused, not trimmed ({@link JolokiaRequestGuard}). Every successful form
 * login (Hawtio in a browser) is an {@code HTTP_LOGIN} event; failed logins are recorded by
 * {@code ApiAccessAudit}. Refusals of anonymous requests are aggregated per address
 * ({@link AnonymousRefusals}). Passwords are never read or recorded.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class ConsoleAccessAudit extends OncePerRequestFilter {

    static final String HAWTIO = "/actuator/hawtio";
    static final String JOLOKIA = "/actuator/jolokia";
    /** Room for the request line and status within one event's detail (audit_event.detail holds 2000). */
    static final int MAX_DETAIL = 1900;
    private final AuditLog audit;
    private final HttpSecurityProperties settings;
    private final AnonymousRefusals refusals;

    public ConsoleAccessAudit(AuditLog audit, HttpSecurityProperties settings, AnonymousRefusals refusals) {
        this.audit = audit;
        this.settings = settings;
        this.refusals = refusals;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = path(request);
        if (path.equals("/login") || path.equals("/logout")) {
            return false;
        }
        // Jolokia (directly or through Hawtio's forward) is always audited, whatever the path ends in: a
        // request to .../jolokia/read/<mbean>/x.js is a Jolokia request, not a script.
        if (isJolokia(request)) {
            return false;
        }
        // Hawtio's bundled scripts, styles and images are public code, not data: not audited.
        return !isUnder(path, HAWTIO) || path.startsWith(HAWTIO + "/static/") || path.startsWith(HAWTIO + "/img/")
                || path.matches(".*\\.(js|css|map|png|svg|ico|woff2?|ttf)$");
    }

    /** Jolokia directly, or through Hawtio's scripts, which call it at {@code <hawtio>/jolokia} (forwarded). */
    static boolean isJolokia(HttpServletRequest request) {
        String path = path(request);
        return isUnder(path, JOLOKIA) || isUnder(path, HAWTIO + "/jolokia");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean jolokia = isJolokia(request);
        HttpServletRequest seen = request;
        JolokiaBody body = null;
        if (jolokia && "POST".equals(request.getMethod())) {
            // Read whole (bounded) before anything runs, so what is audited is what Jolokia executes.
            body = JolokiaBody.read(request.getInputStream(), settings.maxJolokiaBody(), settings.maxJolokiaBulk());
            seen = body.replay(request);
            seen.setAttribute(JolokiaBody.ATTRIBUTE, body);
        }
        // This filter runs outside Spring Security's chain, which clears the security context before it
        // returns: the principal is taken while the response is being produced (see PrincipalWitness).
        String sessionUser = sessionUser(request);
        PrincipalWitness witness = new PrincipalWitness(response);
        try {
            chain.doFilter(seen, witness);
        } finally {
            witness.look();
            String line = request.getMethod() + " " + request.getRequestURI() + " -> " + response.getStatus();
            String user = witness.user != null ? witness.user : sessionUser != null ? sessionUser : "anonymous";
            if (!refusals.countedInstead(!"anonymous".equals(user), response.getStatus(), request.getRemoteAddr())) {
                for (String detail : details(line, body)) {
                    audit.record(AuditEventType.CONSOLE_ACCESS, null, null, user, detail);
                }
            }
        }
    }

    /**
     * The audit details of one console request: the request line alone, or with every Jolokia entry —
     * each that changes state (exec, write) in an event of its own, the others listed together in as
     * many events as they need, identical neighbours as one "Nx entry" (arguments are never recorded,
     * so nothing tells them apart); an entry too long for one event continues in the next. Nothing is
     * left out.
     */
    static List<String> details(String line, JolokiaBody body) {
        if (body == null) {
            return List.of(line);
        }
        if (body.problem() != JolokiaBody.Problem.NONE) {
            return List.of(line + " [" + body.problem().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    + " request]");
        }
        List<JolokiaOperation> operations = body.operations();
        int total = operations.size();
        int room = MAX_DETAIL - line.length() - 40;
        List<String> details = new ArrayList<>();
        Group group = new Group();
        for (int i = 0; i < total; i++) {
            JolokiaOperation operation = operations.get(i);
            String text = operation.describe();
            if (operation.changesState()) {
                group.flush(details, line, total);
                addPieces(details, line, text, i, total, room);
                continue;
            }
            if (group.extends_(text)) {
                group.repeat(i);
                continue;
            }
            if (group.length + text.length() + 8 > room) {
                group.flush(details, line, total);
            }
            if (text.length() > room) {
                addPieces(details, line, text, i, total, room);
                continue;
            }
            group.add(text, i);
        }
        group.flush(details, line, total);
        return details;
    }

    /** Consecutive look-only entries written in one event; a repeat of the last one is counted on it. */
    private static final class Group {
        final List<String> texts = new ArrayList<>();
        final List<Integer> counts = new ArrayList<>();
        int from = -1;
        int to = -1;
        int length;

        boolean extends_(String text) {
            return !texts.isEmpty() && texts.get(texts.size() - 1).equals(text);
        }

        void repeat(int index) {
            counts.set(counts.size() - 1, counts.get(counts.size() - 1) + 1);
            to = index;
        }

        void add(String text, int index) {
            if (texts.isEmpty()) {
                from = index;
            }
            texts.add(text);
            counts.add(1);
            to = index;
            length += text.length() + 8;
        }

        void flush(List<String> details, String line, int total) {
            if (texts.isEmpty()) {
                return;
            }
            List<String> shown = new ArrayList<>();
            for (int k = 0; k < texts.size(); k++) {
                shown.add(counts.get(k) == 1 ? texts.get(k) : counts.get(k) + "x " + texts.get(k));
            }
            details.add(line + " [" + String.join("; ", shown) + "]" + position(from, to, total));
            texts.clear();
            counts.clear();
            length = 0;
        }
    }

    /** One entry as one event, or as several consecutive pieces when it is longer than an event holds. */
    private static void addPieces(List<String> details, String line, String text, int index, int total, int room) {
        if (text.length() <= room) {
            details.add(line + " [" + text + "]" + position(index, index, total));
            return;
        }
        int pieces = (text.length() + room - 1) / room;
        for (int piece = 0; piece < pieces; piece++) {
            String part = text.substring(piece * room, Math.min(text.length(), (piece + 1) * room));
            details.add(line + " [" + part + "]" + position(index, index, total) + " part " + (piece + 1) + "/" + pieces);
        }
    }

    private static String position(int from, int to, int total) {
        if (total == 1) {
            return "";
        }
        return from == to ? " (entry " + (from + 1) + " of " + total + ")"
                : " (entries " + (from + 1) + "-" + (to + 1) + " of " + total + ")";
    }

    @EventListener
    public void loggedIn(InteractiveAuthenticationSuccessEvent event) {
        audit.record(AuditEventType.HTTP_LOGIN, null, null, "http:" + safe(event.getAuthentication().getName()), "form login");
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

    static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    private static boolean isUnder(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    private static String safe(String name) {
        return String.valueOf(name).replaceAll("[^A-Za-z0-9_.@-]", "?");
    }
}
