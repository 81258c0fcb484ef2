package org.linkgate.transfer;

import java.util.Optional;
import org.linkgate.kernel.Causes;

/** How a failed transfer is recorded in ledgers and the audit trail. */
public final class TransferFailure {

    private TransferFailure() {
    }

    /** The most telling cause, by type only (and for a rejected host key why): never a message that could echo data. */
    public static String describe(Throwable error) {
        Optional<HostKeyRejectedException> hostKey = Causes.find(error, HostKeyRejectedException.class);
        if (hostKey.isPresent()) {
            return "HostKeyRejectedException(" + hostKey.get().reason() + ")";
        }
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }
}
