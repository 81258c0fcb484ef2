package org.linkgate.inbound;

/**
 * Where a received file is in its life. Every file ends ACCEPTED, PARTIAL (councils only: good rows
 * kept, bad rows reported), REJECTED, DUPLICATE or QUARANTINED; RECEIVED is the only open state.
 */
public enum InboundStatus {
    RECEIVED, ACCEPTED, PARTIAL, REJECTED, DUPLICATE, QUARANTINED;

    /** The status the sender sees in its report (CONTRACT: ACCEPTED, PARTIAL, REJECTED). */
    public String reportStatus() {
        return switch (this) {
            case ACCEPTED -> "ACCEPTED";
            case PARTIAL -> "PARTIAL";
            default -> "REJECTED";
        };
    }

    /** True for the outcomes whose data takes effect (research records, return rows). */
    public boolean takesEffect() {
        return this == ACCEPTED || this == PARTIAL;
    }
}
