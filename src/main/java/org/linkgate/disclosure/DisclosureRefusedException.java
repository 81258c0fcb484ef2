package org.linkgate.disclosure;

/** A table or statistic may not be released under clause 11; the message says why (never a value). */
public class DisclosureRefusedException extends RuntimeException {

    public DisclosureRefusedException(String message) {
        super(message);
    }
}
