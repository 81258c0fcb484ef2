package org.linkgate.retention;

/**
 * The destruction lease expired and another run (here or on another replica) took it over mid-run. Not a
 * failure of any item: the run stays RUNNING and the new holder resumes and certifies it, so this run stops
 * at once, without opening incidents and without certifying.
 */
public class LeaseLostException extends DestructionBusyException {

    private static final long serialVersionUID = 1L;
}
