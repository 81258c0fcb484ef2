package org.linkgate.inbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.PgpLimits;
import org.linkgate.incident.Incidents;
import org.linkgate.kernel.Alerts;
import org.linkgate.kernel.GatewayMetrics;
import org.linkgate.kernel.LinkgateProperties;
import org.linkgate.kernel.ReceivedFileCustody;
import org.linkgate.kernel.SealedReports;
import org.linkgate.partners.PartnerNotices;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Makes the {@link InboundLifecycle} of a side: what every side's lifecycle shares (custody,
 * sealed reports, the gateway key, alerts, incidents, metrics, transactions, JSON, partner notices, the attempt and
 * size limits) is
 * held here once; each side's configuration asks for its lifecycle bean with {@link #forSide}.
 */
@Component
public class InboundLifecycles {

    /** The collaborators every side's lifecycle uses. */
    record Shared(ReceivedFileCustody custody, SealedReports sealed, GatewayPgpKey gatewayKey, Alerts alerts,
                  Incidents incidents, GatewayMetrics metrics, TransactionTemplate transactions, ObjectMapper json,
                  PartnerNotices notices, int maxAttempts, long maxPlaintextBytes, long maxCompressionRatio) {

        /** Bounds on the decrypted content of a file of this size: the same for every side. */
        PgpLimits limits(long ciphertextBytes) {
            return new PgpLimits(maxPlaintextBytes, maxCompressionRatio, ciphertextBytes);
        }

        String toJson(InboundReport report) {
            try {
                return json.writeValueAsString(report);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("report could not be serialised", e);
            }
        }
    }

    private final Shared shared;

    public InboundLifecycles(ReceivedFileCustody custody, SealedReports sealed, GatewayPgpKey gatewayKey,
                             Alerts alerts, Incidents incidents, GatewayMetrics metrics,
                             TransactionTemplate transactions, ObjectMapper json, PartnerNotices notices,
                             LinkgateProperties properties) {
        LinkgateProperties.Intake limits = properties.intake();
        this.shared = new Shared(custody, sealed, gatewayKey, alerts, incidents, metrics, transactions, json, notices,
                limits.maxAttempts(), limits.maxPlaintextSize().toBytes(), limits.maxCompressionRatio());
    }

    public InboundLifecycle forSide(InboundSide side) {
        return new InboundLifecycle(side, shared);
    }
}
