package org.linkgate.ops;

import org.linkgate.audit.AuditTrail;
import org.linkgate.fanout.Extracts;
import org.linkgate.incident.Incidents;
import org.linkgate.intake.IntakeFiles;
import org.linkgate.kernel.Alerts;
import org.springframework.stereotype.Component;

/** The features' ledgers the console reads, each through the repository of the feature that owns the table. */
@Component
public record Ledgers(IntakeFiles intakeFiles, Extracts extracts, Incidents incidents, AuditTrail audit, Alerts alerts) {
}
