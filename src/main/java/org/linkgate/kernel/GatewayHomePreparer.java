package org.linkgate.kernel;

/**
 * Prepares a gateway home before anything reads it (keys, configuration). The gateway itself
 * prepares nothing: a home is made by operators; the demo contributes one of these (only when
 * {@code linkgate.bootstrap-demo} is on) that fills an empty home with generated demo material.
 */
@FunctionalInterface
public interface GatewayHomePreparer {

    /** Called once at start-up, before any other bean reads the home. Must be idempotent. */
    void prepare(GatewayHome home);
}
