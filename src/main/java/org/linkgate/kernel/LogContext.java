package org.linkgate.kernel;

import org.slf4j.MDC;

/**
 * The gateway's own MDC keys, next to Camel's {@code camel.routeId}: the partner a route works
 * for and the id of the file in hand (intake, return or extract id). Ids and codes only, never
 * a value from a file. Shown by {@code logging.pattern.level} and carried across threads by
 * {@code camel.main.mdc-logging-keys-pattern}.
 */
public final class LogContext {

    public static final String PARTNER = "partner";
    public static final String FILE_ID = "fileId";

    private LogContext() {
    }

    /** Sets the file id for the current thread until the returned handle is closed. */
    public static Scope fileId(String id) {
        return new Scope(FILE_ID, id);
    }

    /** Restores the key's previous value on close. */
    public static final class Scope implements AutoCloseable {
        private final String key;
        private final String previous;

        Scope(String key, String value) {
            this.key = key;
            this.previous = MDC.get(key);
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        }

        @Override
        public void close() {
            if (previous == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, previous);
            }
        }
    }
}
