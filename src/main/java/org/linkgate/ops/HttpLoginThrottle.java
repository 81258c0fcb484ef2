package org.linkgate.ops;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.linkgate.kernel.Alerts;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Lazy;
import org.springframework.security.provisioning.UserDetailsManager;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Failed-login throttling for HTTP, as the SFTP drop-zone watches its logins: after
 * {@code linkgate.http.login-failures} failures for one account, or from one address, within
 * {@code linkgate.http.login-window}, further logins of that account or from that address are
 * refused (429, with Retry-After) without the password being checked, until the oldest failure
 * leaves the window; so a password cannot be guessed faster than that. A lockout is audited once
 * (an account's is alerted too, when the account exists). Memory is bounded: at most {@value #MAX_TRACKED} accounts and addresses, least
 * recently failing dropped first. A name that is not a user is never written to the audit or an alert.
 */
@Component
public class HttpLoginThrottle {

    static final int MAX_TRACKED = 10_000;
    private final int threshold;
    private final Duration window;
    private final Clock clock;
    private final AuditLog audit;
    private final Alerts alerts;
    private final Predicate<String> knownUser;
    private final Map<String, Deque<Instant>> failures = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
            return size() > MAX_TRACKED;
        }
    };

    @Autowired
    public HttpLoginThrottle(HttpSecurityProperties settings, Clock clock, AuditLog audit, Alerts alerts,
                             @Lazy UserDetailsManager users) {
        this(settings.loginFailures(), settings.loginWindow(), clock, audit, alerts, users::userExists);
    }

    HttpLoginThrottle(int threshold, Duration window, Clock clock, AuditLog audit, Alerts alerts, Predicate<String> knownUser) {
        this.threshold = threshold;
        this.window = window;
        this.clock = clock;
        this.audit = audit;
        this.alerts = alerts;
        this.knownUser = knownUser;
    }

    /** How long logins of this account or from this address are still refused; null if they are not. */
    public synchronized Duration refusedFor(String username, String address) {
        Instant now = clock.instant();
        Duration longest = null;
        for (String key : keys(username, address)) {
            Deque<Instant> times = key == null ? null : current(key, now);
            if (times != null && times.size() >= threshold) {
                Duration left = Duration.between(now, times.peekFirst().plus(window));
                longest = longest == null || left.compareTo(longest) > 0 ? left : longest;
            }
        }
        return longest;
    }

    /** Records a failed login; audits and alerts once when the account or the address becomes locked out. */
    public void failed(String username, String address) {
        boolean accountLocked;
        boolean addressLocked;
        Instant now = clock.instant();
        String[] keys = keys(username, address);
        synchronized (this) {
            accountLocked = keys[0] != null && add(keys[0], now) == threshold;
            addressLocked = keys[1] != null && add(keys[1], now) == threshold;
        }
        // A guessed name that is no user is throttled all the same, but never written down (nor alerted:
        // an attacker could mint names to flood the alerts); the address's lockout records the attack.
        if (accountLocked && knownUser.test(username)) {
            lockedOut("account " + safe(username) + " (last failure from " + safe(address) + ")", true);
        }
        if (addressLocked) {
            lockedOut("address " + safe(address), false);
        }
    }

    /** A successful login clears its account's failures (its address's stay: other accounts may be guessed from it). */
    public synchronized void succeeded(String username) {
        if (username != null) {
            failures.remove("account|" + username);
        }
    }

    private void lockedOut(String who, boolean alert) {
        String message = threshold + " failed HTTP logins " + (who.startsWith("account") ? "of " : "from ") + who
                + " within " + window + ": further logins refused until the oldest leaves that window";
        audit.record(AuditEventType.HTTP_LOGIN_THROTTLED, null, null, "http", message);
        if (alert) {
            // Someone is guessing a real user's password: operators act (the user's own logins wait too).
            alerts.raise("HTTP_LOGIN_THROTTLED", null, null, message);
        }
    }

    private int add(String key, Instant now) {
        Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        prune(times, now);
        times.addLast(now);
        while (times.size() > threshold) {
            times.removeFirst();
        }
        dropEmpty(now);
        return times.size();
    }

    private Deque<Instant> current(String key, Instant now) {
        Deque<Instant> times = failures.get(key);
        if (times != null) {
            prune(times, now);
        }
        return times;
    }

    private void prune(Deque<Instant> times, Instant now) {
        Instant from = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(from)) {
            times.removeFirst();
        }
    }

    /** Drops keys whose failures all left the window, least recently failing first (access order). */
    private void dropEmpty(Instant now) {
        Iterator<Map.Entry<String, Deque<Instant>>> eldest = failures.entrySet().iterator();
        while (eldest.hasNext()) {
            Deque<Instant> times = eldest.next().getValue();
            prune(times, now);
            if (!times.isEmpty()) {
                return;
            }
            eldest.remove();
        }
    }

    synchronized int tracked() {
        return failures.size();
    }

    private static String[] keys(String username, String address) {
        return new String[] {username == null || username.isEmpty() ? null : "account|" + username,
                address == null ? null : "address|" + address};
    }

    private static String safe(String text) {
        return String.valueOf(text).replaceAll("[^A-Za-z0-9_.@:-]", "?");
    }

    /** Refuses a login attempt (Basic credentials or the login form) while its account or address is throttled. */
    OncePerRequestFilter filter() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                String username = attemptedUser(request);
                if (username != null) {
                    Duration refused = refusedFor(username, request.getRemoteAddr());
                    if (refused != null) {
                        response.setStatus(429);
                        response.setHeader("Retry-After", String.valueOf(Math.max(1, refused.toSeconds() + 1)));
                        response.setContentType("text/plain;charset=UTF-8");
                        response.getWriter().write("too many failed logins: try again later\n");
                        return;
                    }
                }
                chain.doFilter(request, response);
            }
        };
    }

    /** The user a request tries to log in as: its Basic credentials, or the login form's user name. */
    static String attemptedUser(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? decoded : decoded.substring(0, colon);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if ("POST".equals(request.getMethod()) && "/login".equals(path)) {
            return request.getParameter("username");
        }
        return null;
    }
}
