package org.linkgate.fanout;

/** Camel headers of the department routes: who sets each and who reads it. */
public final class FanoutHeaders {

    /** Code of the department a route serves. Set by the fan-out and returns route templates; read by their beans. */
    public static final String DEPARTMENT = "LinkgateDepartment";

    private FanoutHeaders() {
    }
}
