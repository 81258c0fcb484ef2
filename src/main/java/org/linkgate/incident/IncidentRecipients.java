package org.linkgate.incident;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.linkgate.agreement.Agreement;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.agreement.PartnerRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Who is told of an incident (cl. 13.1, "report to all parties"): an encrypted notice to the
 * affected partner when it is a council or department the gateway exchanges files with, and an
 * e-mail to every party's incident, data protection and authorised-representative contacts in the
 * agreement plus the addresses in {@code linkgate.incidents.notify}. Each address once.
 */
@Component
public class IncidentRecipients {

    static final Set<Agreement.ContactRole> TOLD = EnumSet.of(Agreement.ContactRole.INCIDENT,
            Agreement.ContactRole.DATA_PROTECTION_OFFICER, Agreement.ContactRole.AUTHORISED_REPRESENTATIVE);

    private final Supplier<Agreement> agreement;
    private final Predicate<String> filePartner;
    private final List<String> configured;

    @Autowired
    public IncidentRecipients(AgreementPolicy policy, PartnerRegistry registry, IncidentProperties properties) {
        this(policy::agreement, code -> registry.council(code).isPresent() || registry.department(code).isPresent(),
                properties.notifyAddresses());
    }

    IncidentRecipients(Supplier<Agreement> agreement, Predicate<String> filePartner, List<String> configured) {
        this.agreement = agreement;
        this.filePartner = filePartner;
        this.configured = List.copyOf(configured);
    }

    /** One recipient: channel NOTICE (address = partner code) or EMAIL; label names it without the address. */
    public record Recipient(String channel, String address, String label) {
        @Override
        public String toString() {
            return channel + " " + label;
        }
    }

    /**
     * How the ICO is told of a personal-data breach (cl. 13.1): an e-mail to the agreement's {@code ico} contact, or
     * nothing under the agreement's explicit {@code icoWaiver} (then {@link #icoWaiver()} says why).
     */
    public Optional<Recipient> ico() {
        Agreement.Ico ico = agreement.get().ico();
        if (ico == null || ico.email().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new Recipient("EMAIL", ico.email().strip(), "e-mail to the ICO"));
    }

    /** The agreement's reason for not notifying the ICO, when it waives it. */
    public Optional<String> icoWaiver() {
        return Optional.ofNullable(agreement.get().icoWaiver());
    }

    public List<Recipient> of(String partnerCode) {
        List<Recipient> all = new ArrayList<>();
        if (partnerCode != null && filePartner.test(partnerCode)) {
            String code = partnerCode.toUpperCase(Locale.ROOT);
            all.add(new Recipient("NOTICE", code, "notice to " + code));
        }
        Map<String, Recipient> emails = new LinkedHashMap<>();
        for (Agreement.Contact contact : agreement.get().contacts()) {
            if (TOLD.contains(contact.role()) && !contact.email().isBlank()) {
                emails.putIfAbsent(contact.email().strip().toLowerCase(Locale.ROOT), new Recipient("EMAIL",
                        contact.email().strip(), "e-mail to " + contact.party() + " " + contact.role()));
            }
        }
        int n = 0;
        for (String address : configured) {
            n++;
            if (address != null && !address.isBlank()) {
                emails.putIfAbsent(address.strip().toLowerCase(Locale.ROOT),
                        new Recipient("EMAIL", address.strip(), "e-mail to configured address " + n));
            }
        }
        all.addAll(emails.values());
        return all;
    }
}
