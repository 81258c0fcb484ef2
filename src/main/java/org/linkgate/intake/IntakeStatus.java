package org.linkgate.intake;

/** Where a received file is in its life; every file ends ACCEPTED, PARTIAL, REJECTED, DUPLICATE or QUARANTINED. */
public enum IntakeStatus {
    RECEIVED, ACCEPTED, PARTIAL, REJECTED, DUPLICATE, QUARANTINED;

    /** The status the council sees in its report (CONTRACT: ACCEPTED, PARTIAL, REJECTED). */
    public String reportStatus() {
        return switch (this) {
            case ACCEPTED -> "ACCEPTED";
            case PARTIAL -> "PARTIAL";
            default -> "REJECTED";
        };
    }
}
