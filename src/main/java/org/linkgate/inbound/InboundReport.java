package org.linkgate.inbound;

/**
 * A report a partner receives on a file it sent (a council's {@code intake.IntakeReport}, a
 * department's {@code returns.ReturnReport}): serialised to JSON, sealed to the partner and
 * delivered by the lifecycle. Implementations hold rule names, counts and row numbers only, never a
 * value from the file.
 */
public interface InboundReport {
}
