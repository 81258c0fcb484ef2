package org.linkgate.retention;

/** Another destruction run (here or on another replica) holds the lease; try again later. */
public class DestructionBusyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DestructionBusyException() {
        super("another destruction run is in progress");
    }
}
