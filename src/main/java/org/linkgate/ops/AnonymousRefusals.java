package org.linkgate.ops;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Keeps an anonymous flood from swelling the audit chain: requests refused before anyone was
 * authenticated (401, 403, 429) are audited in full only for the first refusal of each address in
 * a window ({@code linkgate.http.refusal-window}), for at most {@value #MAX_ADDRESSES} addresses a
 * window; the rest are counted and written as one {@code HTTP_REFUSALS} event per address (and one
 * for all other addresses) when the window ends. IPv6 addresses count by their /64, which one
 * client holds whole. Memory is bounded by the same limit. Authenticated requests are not touched.
 */
@Component
public class AnonymousRefusals implements DisposableBean {

    static final int MAX_ADDRESSES = 100;
    private static final Logger LOG = LoggerFactory.getLogger(AnonymousRefusals.class);

    private final AuditLog audit;
    private final Duration window;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private Instant windowStart;
    private final Map<String, long[]> counted = new LinkedHashMap<>();
    private long others;

    @Autowired
    public AnonymousRefusals(AuditLog audit, HttpSecurityProperties settings, Clock clock) {
        this(audit, settings.refusalWindow(), clock, true);
    }

    AnonymousRefusals(AuditLog audit, Duration window, Clock clock, boolean timed) {
        this.audit = audit;
        this.window = window;
        this.clock = clock;
        this.windowStart = clock.instant();
        if (timed) {
            // Ends windows even when the flood stops, so its count is written soon after.
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "linkgate-refusal-window");
                thread.setDaemon(true);
                return thread;
            });
            long millis = Math.max(1000, window.toMillis());
            timer.scheduleAtFixedRate(this::endWindowIfDue, millis, millis, TimeUnit.MILLISECONDS);
        } else {
            timer = null;
        }
    }

    /**
     * Whether this request's audit event is counted into an aggregate instead of written now: true
     * only for a refusal of an unauthenticated request that is not the first from its address in
     * this window (or whose address is beyond the window's limit).
     */
    public boolean countedInstead(boolean authenticated, int status, String remoteAddress) {
        if (authenticated || !(status == 401 || status == 403 || status == 429)) {
            return false;
        }
        String key = key(remoteAddress);
        List<String> ended;
        boolean first;
        synchronized (this) {
            ended = rollIfDue(clock.instant());
            long[] count = counted.get(key);
            if (count != null) {
                count[0]++;
                first = false;
            } else if (counted.size() < MAX_ADDRESSES) {
                counted.put(key, new long[] {0});
                first = true;
            } else {
                others++;
                first = false;
            }
        }
        write(ended);
        return !first;
    }

    /** Ends the current window if it is over (timer, tests). */
    public void endWindowIfDue() {
        List<String> ended;
        synchronized (this) {
            ended = rollIfDue(clock.instant());
        }
        write(ended);
    }

    private List<String> rollIfDue(Instant now) {
        if (now.isBefore(windowStart.plus(window))) {
            return List.of();
        }
        List<String> summaries = summaries(now);
        counted.clear();
        others = 0;
        windowStart = now;
        return summaries;
    }

    private List<String> summaries(Instant now) {
        List<String> summaries = new ArrayList<>();
        String span = " between " + windowStart + " and " + now;
        counted.forEach((address, count) -> {
            if (count[0] > 0) {
                summaries.add(count[0] + " more refused anonymous requests from " + address + span);
            }
        });
        if (others > 0) {
            summaries.add(others + " refused anonymous requests from addresses beyond the first " + MAX_ADDRESSES + span);
        }
        return summaries;
    }

    private void write(List<String> summaries) {
        for (String summary : summaries) {
            try {
                audit.record(AuditEventType.HTTP_REFUSALS, null, null, "http", summary);
            } catch (RuntimeException e) {
                LOG.error("cannot audit refused anonymous requests ({}): {}", summary, e.toString());
            }
        }
    }

    /** IPv4 as is; IPv6 by its /64 prefix. */
    static String key(String address) {
        if (address == null || address.isBlank()) {
            return "unknown";
        }
        try {
            // Only literals reach here (the container's remote address): no name is looked up.
            if (address.indexOf(':') >= 0) {
                InetAddress inet = InetAddress.getByName(address);
                if (inet instanceof Inet6Address) {
                    byte[] bytes = inet.getAddress();
                    StringBuilder prefix = new StringBuilder();
                    for (int i = 0; i < 8; i += 2) {
                        prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
                    }
                    return prefix + ":/64";
                }
            }
        } catch (UnknownHostException e) {
            return "unknown";
        }
        return address.replaceAll("[^0-9A-Fa-f.:]", "?");
    }

    @Override
    public void destroy() {
        if (timer != null) {
            timer.shutdownNow();
        }
        List<String> last;
        synchronized (this) {
            last = summaries(clock.instant());
            counted.clear();
            others = 0;
        }
        write(last);
    }
}
