package org.linkgate.inbound;

import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.incident.Incidents;
import org.linkgate.kernel.Alerts;
import org.linkgate.kernel.GatewayMetrics;
import org.linkgate.kernel.LinkgateProperties;
import org.linkgate.kernel.ReceivedFileCustody;
import org.linkgate.kernel.SealedReports;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Makes the {@link InboundLifecycle} of a side: what every side's lifecycle shares (custody,
 * sealed reports, the gateway key, alerts, incidents, metrics, transactions, the attempt limit) is
 * held here once; each side's configuration asks for its lifecycle bean with {@link #forSide}.
 */
@Component
public class InboundLifecycles {

    /** The collaborators every side's lifecycle uses. */
    record Shared(ReceivedFileCustody custody, SealedReports sealed, GatewayPgpKey gatewayKey, Alerts alerts,
                  Incidents incidents, GatewayMetrics metrics, TransactionTemplate transactions, int maxAttempts) {
    }

    private final Shared shared;

    public InboundLifecycles(ReceivedFileCustody custody, SealedReports sealed, GatewayPgpKey gatewayKey,
                             Alerts alerts, Incidents incidents, GatewayMetrics metrics,
                             TransactionTemplate transactions, LinkgateProperties properties) {
        this.shared = new Shared(custody, sealed, gatewayKey, alerts, incidents, metrics, transactions,
                properties.intake().maxAttempts());
    }

    public InboundLifecycle forSide(InboundSide side) {
        return new InboundLifecycle(side, shared);
    }
}
