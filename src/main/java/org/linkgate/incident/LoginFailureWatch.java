package org.linkgate.incident;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.kernel.MasterKey;
import org.linkgate.sftp.SftpAccessListener;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Turns repeated failed SFTP authentications into an incident: {@code sftp-auth-failures} failures
 * for the same partner account, or from the same remote address, within {@code sftp-auth-window}.
 * One incident per account or address while it stays open (recurrences are counted on it). Only
 * accounts that exist are tracked by name — a name an attacker typed is never recorded — and
 * memory is bounded (at most {@value #MAX_TRACKED} accounts/addresses, oldest dropped first; one
 * whose failures all left the window is dropped).
 *
 * <p>A remote address is personal data: it never goes into an incident (subject, summary, hence
 * e-mails and partner notices). It is named there by {@link #label}: {@code addr:} and the first 16
 * hex digits of its HMAC-SHA256 under a key derived from the gateway's master key — the same on every
 * replica, so one address is still one incident, and operators can check a suspected address by
 * computing its label, but the label cannot be turned back into the address without the key.
 */
@Component
public class LoginFailureWatch implements SftpAccessListener {

    static final int MAX_TRACKED = 10_000;
    /** Purpose name of the key derived from the master key for address labels. */
    static final String ADDRESS_KEY_PURPOSE = "sftp-address-label";
    private final Incidents incidents;
    private final Predicate<String> knownAccount;
    private final int threshold;
    private final java.time.Duration window;
    private final Clock clock;
    private final byte[] addressKey;
    private final Map<String, Deque<Instant>> failures = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
            return size() > MAX_TRACKED;
        }
    };

    @Autowired
    public LoginFailureWatch(Incidents incidents, PartnerRegistry registry, IncidentProperties properties,
                             MasterKey masterKey, Clock clock) {
        this(incidents, name -> registry.find(name).isPresent(), properties.sftpAuthFailures(),
                properties.sftpAuthWindow(), masterKey.derive(ADDRESS_KEY_PURPOSE), clock);
    }

    LoginFailureWatch(Incidents incidents, Predicate<String> knownAccount, int threshold, java.time.Duration window,
                      Clock clock) {
        this(incidents, knownAccount, threshold, window, new SecureRandom().generateSeed(32), clock);
    }

    LoginFailureWatch(Incidents incidents, Predicate<String> knownAccount, int threshold, java.time.Duration window,
                      byte[] addressKey, Clock clock) {
        this.incidents = incidents;
        this.knownAccount = knownAccount;
        this.threshold = threshold;
        this.window = window;
        this.addressKey = addressKey.clone();
        this.clock = clock;
    }

    /** Called by the embedded drop-zone for each connection that failed to authenticate. */
    @Override
    public void loginFailed(String username, SocketAddress remoteAddress, String reason) {
        failed(username, remoteAddress);
    }

    /** Records one failed authentication; returns the incident id when it makes (or continues) one. */
    public String failed(String username, SocketAddress remote) {
        Instant now = clock.instant();
        String account = username == null ? null : username.toLowerCase(Locale.ROOT);
        boolean known = account != null && account.matches("[a-z0-9_-]{1,32}") && knownAccount.test(account);
        String raw = address(remote);
        String address = raw == null ? null : label(raw);
        int forAccount = known ? count("account|" + account, now) : 0;
        int fromAddress = address == null ? 0 : count("address|" + address, now);
        if (forAccount >= threshold) {
            String partner = account.toUpperCase(Locale.ROOT);
            return incidents.openOnce("SFTP_AUTH_FAILURES|account|" + account, IncidentCategory.SFTP_AUTH_FAILURES,
                    partner, "sftp:" + account, forAccount + " failed SFTP authentications for account " + account
                            + " within " + window + " (last from " + (address == null ? "an unknown address" : address) + ")");
        }
        if (fromAddress >= threshold) {
            return incidents.openOnce("SFTP_AUTH_FAILURES|address|" + address, IncidentCategory.SFTP_AUTH_FAILURES,
                    null, address, fromAddress + " failed SFTP authentications from address " + address + " within "
                            + window);
        }
        return null;
    }

    /** How a remote address is named in incidents: {@code addr:} and 16 hex digits of its keyed hash. */
    String label(String address) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(addressKey, "HmacSHA256"));
            byte[] hash = mac.doFinal(address.getBytes(StandardCharsets.UTF_8));
            return "addr:" + HexFormat.of().formatHex(hash, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private synchronized int count(String key, Instant now) {
        Instant from = now.minus(window);
        dropExpired(from);
        Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        times.addLast(now);
        while (!times.isEmpty() && times.peekFirst().isBefore(from)) {
            times.removeFirst();
        }
        while (times.size() > threshold) {
            times.removeFirst();
        }
        return times.size();
    }

    /**
     * Drops keys whose failures have all left the window. The map is in access order and each access
     * adds a failure, so the least recently used keys come first: stop at the first one still in use.
     */
    private void dropExpired(Instant from) {
        Iterator<Map.Entry<String, Deque<Instant>>> eldestFirst = failures.entrySet().iterator();
        while (eldestFirst.hasNext()) {
            Deque<Instant> times = eldestFirst.next().getValue();
            while (!times.isEmpty() && times.peekFirst().isBefore(from)) {
                times.removeFirst();
            }
            if (!times.isEmpty()) {
                return;
            }
            eldestFirst.remove();
        }
    }

    /** Keys tracked now (tests: memory does not keep what left the window). */
    synchronized int tracked() {
        return failures.size();
    }

    static String address(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return null;
    }
}
