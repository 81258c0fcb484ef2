package org.linkgate.kernel;

import java.time.Instant;
import java.util.Optional;

/**
 * When a council's last batch was accepted (whole or in part): the one fact of intake's batch ledger
 * that features below intake need (the partners' batch calendar). Intake uses linkage and the
 * inbound lifecycle uses partners, so they cannot call intake; they call this, which intake's ledger
 * repository ({@code intake.IntakeFiles}) implements.
 */
public interface AcceptedBatchTimes {

    /** When the council's last accepted batch was received, if it has one. */
    Optional<Instant> lastAccepted(String councilCode);
}
