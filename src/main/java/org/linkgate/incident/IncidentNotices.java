package org.linkgate.incident;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import org.linkgate.agreement.Council;
import org.linkgate.agreement.Department;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.SealedReports;
import org.linkgate.transfer.ExtractDelivery;
import org.springframework.stereotype.Component;

/**
 * The incident notice a partner receives: the incident's facts as JSON, encrypted to the partner and
 * signed by the gateway, published once in a council's {@code outbound/} folder or delivered to a
 * department's server. Publishing again is a no-op when the partner already has it.
 */
@Component
public class IncidentNotices {

    private final PartnerRegistry registry;
    private final GatewayHome home;
    private final SealedReports sealed;
    private final ExtractDelivery delivery;
    private final ObjectMapper json;

    public IncidentNotices(PartnerRegistry registry, GatewayHome home, SealedReports sealed, ExtractDelivery delivery,
                           ObjectMapper json) {
        this.registry = registry;
        this.home = home;
        this.sealed = sealed;
        this.delivery = delivery;
        this.json = json;
    }

    /** Publishes one incident's facts to one partner, unless that partner already has the notice. */
    void publish(String recipient, String incidentId, Map<String, Object> facts) {
        String name = "incident-" + incidentId + IncidentNotifier.NOTICE_SUFFIX;
        String body;
        try {
            body = json.writeValueAsString(facts);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Optional<Council> council = registry.council(recipient);
        if (council.isPresent()) {
            Path outbound = GatewayHome.ensureDirectory(home.outbound(council.get().code()));
            if (Files.exists(outbound.resolve(name))) {
                return;
            }
            Path staged = sealed.stage(body, council.get().pgpPublicKey(), name.substring(0, name.length() - 4));
            try {
                Files.move(staged, outbound.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot publish an incident notice for " + council.get().code(), e);
            } finally {
                SealedReports.discard(staged);
            }
            return;
        }
        Department department = registry.department(recipient).orElseThrow(() ->
                new IllegalStateException("partner " + recipient + " is no longer configured"));
        if (delivery.alreadyDelivered(department, name)) {
            return;
        }
        Path staged = sealed.stage(body, department.pgpPublicKey(), name.substring(0, name.length() - 4));
        try {
            delivery.deliver(department, staged, name);
        } finally {
            SealedReports.discard(staged);
        }
    }
}
