package org.linkgate.incident;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.linkgate.agreement.PartnerRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Turns repeated failed SFTP authentications into an incident: {@code sftp-auth-failures} failures
 * for the same partner account, or from the same remote address, within {@code sftp-auth-window}.
 * One incident per account or address while it stays open (recurrences are counted on it). Only
 * accounts that exist are tracked by name — a name an attacker typed is never recorded — and
 * memory is bounded (at most {@value #MAX_TRACKED} accounts/addresses, oldest dropped first).
 */
@Component
public class LoginFailureWatch {

    static final int MAX_TRACKED = 10_000;
    private final Incidents incidents;
    private final Predicate<String> knownAccount;
    private final int threshold;
    private final java.time.Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
            return size() > MAX_TRACKED;
        }
    };

    @Autowired
    public LoginFailureWatch(Incidents incidents, PartnerRegistry registry, IncidentProperties properties, Clock clock) {
        this(incidents, name -> registry.find(name).isPresent(), properties.sftpAuthFailures(),
                properties.sftpAuthWindow(), clock);
    }

    LoginFailureWatch(Incidents incidents, Predicate<String> knownAccount, int threshold, java.time.Duration window,
                      Clock clock) {
        this.incidents = incidents;
        this.knownAccount = knownAccount;
        this.threshold = threshold;
        this.window = window;
        this.clock = clock;
    }

    /** Records one failed authentication; returns the incident id when it makes (or continues) one. */
    public String failed(String username, SocketAddress remote) {
        Instant now = clock.instant();
        String account = username == null ? null : username.toLowerCase(Locale.ROOT);
        boolean known = account != null && account.matches("[a-z0-9_-]{1,32}") && knownAccount.test(account);
        String address = address(remote);
        int forAccount = known ? count("account|" + account, now) : 0;
        int fromAddress = address == null ? 0 : count("address|" + address, now);
        if (forAccount >= threshold) {
            String partner = account.toUpperCase(Locale.ROOT);
            return incidents.openOnce("SFTP_AUTH_FAILURES|account|" + account, IncidentCategory.SFTP_AUTH_FAILURES,
                    partner, "sftp:" + account, forAccount + " failed SFTP authentications for account " + account
                            + " within " + window + " (last from " + address + ")");
        }
        if (fromAddress >= threshold) {
            return incidents.openOnce("SFTP_AUTH_FAILURES|address|" + address, IncidentCategory.SFTP_AUTH_FAILURES,
                    null, address, fromAddress + " failed SFTP authentications from address " + address + " within "
                            + window);
        }
        return null;
    }

    private synchronized int count(String key, Instant now) {
        Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        times.addLast(now);
        Instant from = now.minus(window);
        while (!times.isEmpty() && times.peekFirst().isBefore(from)) {
            times.removeFirst();
        }
        while (times.size() > threshold) {
            times.removeFirst();
        }
        return times.size();
    }

    static String address(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return null;
    }
}
