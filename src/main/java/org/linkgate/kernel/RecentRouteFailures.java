package org.linkgate.kernel;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The last unexpected route failures of this instance, for the status page: when, which route,
 * which partner and the type of the error — never its message, which could echo data.
 * Bounded; lost on restart (the logs and {@code linkgate_route_failures_total} keep the record).
 */
@Component
public class RecentRouteFailures {

    public static final int KEPT = 50;

    /** One failure: codes and a type name only. */
    public record Failure(Instant at, String route, String partner, String errorType) {
    }

    private final Deque<Failure> failures = new ArrayDeque<>();

    public synchronized void add(Failure failure) {
        failures.addFirst(failure);
        while (failures.size() > KEPT) {
            failures.removeLast();
        }
    }

    /** Newest first. */
    public synchronized List<Failure> newestFirst() {
        return new ArrayList<>(failures);
    }

    /** The type of the innermost cause, the part of an error that is safe to show. */
    public static String errorType(Throwable error) {
        if (error == null) {
            return "unknown";
        }
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }
}
