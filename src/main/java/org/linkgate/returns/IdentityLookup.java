package org.linkgate.returns;

import java.util.Optional;
import org.linkgate.pseudonymisation.IdentityRecord;

/**
 * The identity the gateway sent a department for one of its tokens, so a return can be checked
 * for the person's own identifiers. Empty when the token is unknown or the identity is no longer
 * held (its data key shredded).
 */
@FunctionalInterface
public interface IdentityLookup {

    /** A lookup that knows nobody: only the shape checks of the guard apply. */
    IdentityLookup NONE = token -> Optional.empty();

    Optional<IdentityRecord> identityOf(String departmentToken);
}
