package org.linkgate.kernel;

/**
 * The Camel headers of the gateway's partner routes, in one place: who sets each and who reads
 * it. Values are partner codes, ids and paths only, never anything a partner wrote.
 */
public final class PartnerHeaders {

    /**
     * GSS code of the council whose drop-zone the file came from. Set first thing by the intake
     * route template; read by the council intake and, for the MDC, by {@link PartnerLogContext}.
     */
    public static final String COUNCIL = "LinkgateCouncil";

    /**
     * Code of the department a route serves. Set first thing by the fan-out and returns route
     * templates; read by their beans and by {@link PartnerLogContext}.
     */
    public static final String DEPARTMENT = "LinkgateDepartment";

    /**
     * Id of the file in hand (intake, return or extract id). Set by the inbound lifecycle once a
     * file is claimed; read by {@link PartnerLogContext} for the MDC.
     */
    public static final String FILE_ID = "LinkgateFileId";

    /**
     * What is left to do for an inbound file: {@code PROCESS}, {@code REPORT} or {@code END}. Set by
     * each lifecycle step; read by the route templates' filters.
     */
    public static final String INBOUND_NEXT = "LinkgateInboundNext";

    /** Absolute path of a picked-up file. Set by camel-file; read by the inbound lifecycle. */
    public static final String FILE_PATH = "CamelFileAbsolutePath";

    private PartnerHeaders() {
    }
}
