package org.linkgate.intake;

/** Camel headers of the intake routes: who sets each and who reads it. */
public final class IntakeHeaders {

    /** GSS code of the council whose drop-zone the file came from. Set by the intake route template; read by {@link CouncilIntake}. */
    public static final String COUNCIL = "LinkgateCouncil";

    /** Absolute path of the picked-up file. Set by camel-file; read by {@link CouncilIntake}. */
    public static final String FILE_PATH = "CamelFileAbsolutePath";

    private IntakeHeaders() {
    }
}
