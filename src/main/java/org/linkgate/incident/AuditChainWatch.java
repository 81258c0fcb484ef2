package org.linkgate.incident;

import org.linkgate.audit.AuditChainVerifier;
import org.linkgate.audit.ChainVerification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Verifies the whole audit chain periodically (route {@code audit-chain-check}) and opens one
 * incident per distinct break (kind and position): a chain that stays broken is not reported
 * again at every check, a new break is.
 */
@Component("auditChainWatch")
public class AuditChainWatch {

    private static final Logger LOG = LoggerFactory.getLogger(AuditChainWatch.class);
    private final AuditChainVerifier verifier;
    private final Incidents incidents;

    public AuditChainWatch(AuditChainVerifier verifier, Incidents incidents) {
        this.verifier = verifier;
        this.incidents = incidents;
    }

    /** Returns the incident id when the chain is broken, null when intact. */
    public String check() {
        ChainVerification result = verifier.verify();
        if (result.intact()) {
            LOG.debug("audit chain intact: {} events, head {}", result.eventsChecked(), result.headSeq());
            return null;
        }
        String at = result.brokenSeq() == null ? "no-seq" : "seq-" + result.brokenSeq();
        return incidents.openOnce("AUDIT_CHAIN_BREAK|" + result.kind() + "|" + at, IncidentCategory.AUDIT_CHAIN_BREAK,
                null, "audit-" + at, "the audit chain is broken (" + result.kind() + " at " + at + "): " + result.reason());
    }
}
