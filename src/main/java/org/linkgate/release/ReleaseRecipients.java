package org.linkgate.release;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.linkgate.agreement.Agreement;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.agreement.Recipient;
import org.springframework.stereotype.Component;

/**
 * The configured recipients of releases with their checked specifications, built at start-up: a
 * recipient that is not the agreement's SPONSOR party, or whose specification names an unknown
 * variable or dataset, stops start-up with the file and key path ({@link ReleaseSpec#parse}).
 */
@Component
public class ReleaseRecipients {

    /** A recipient and what its releases hold. */
    public record Configured(Recipient recipient, ReleaseSpec spec) {
        public String code() {
            return recipient.code();
        }
    }

    private final Map<String, Configured> recipients;

    public ReleaseRecipients(PartnerRegistry registry, AgreementPolicy agreement) {
        Map<String, Configured> loaded = new TreeMap<>();
        for (Recipient recipient : registry.recipients()) {
            boolean sponsor = agreement.agreement().party(recipient.code())
                    .map(p -> p.kind() == Agreement.Kind.SPONSOR).orElse(false);
            if (!sponsor) {
                throw new ReleaseSpec.InvalidReleaseSpecException(recipient.configFile(), "(folder)",
                        recipient.code() + " is not a SPONSOR party of agreement " + agreement.agreement().reference()
                                + " (cl. 2.1: linked data is released to the sponsor only)");
            }
            ReleaseSpec spec = ReleaseSpec.parse(recipient.releaseSpec(), recipient.configFile(),
                    code -> registry.department(code).orElse(null));
            loaded.put(recipient.code(), new Configured(recipient, spec));
        }
        this.recipients = Map.copyOf(loaded);
    }

    public Collection<Configured> all() {
        return recipients.values();
    }

    public Optional<Configured> find(String code) {
        return code == null ? Optional.empty() : Optional.ofNullable(recipients.get(code.toUpperCase(java.util.Locale.ROOT)));
    }
}
