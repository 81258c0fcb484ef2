package org.linkgate.kernel;

import java.util.Optional;

/** Finds a failure of a given kind in an exception's cause chain (libraries wrap ours, e.g. a refusal from a stream read). */
public final class Causes {

    private Causes() {
    }

    public static <T extends Throwable> Optional<T> find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }
}
