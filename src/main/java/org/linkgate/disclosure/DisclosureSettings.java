package org.linkgate.disclosure;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.linkgate.agreement.Agreement;
import org.linkgate.agreement.AgreementPolicy;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The disclosure rules every output is held to, read from the agreement's {@code disclosure} section, and the
 * purposes an output may be asked for (the agreement's {@code purposes}, cl. 6.1).
 */
@Component
public class DisclosureSettings {

    /** The one purpose {@link #fixed(DisclosureRules)} settings allow. */
    public static final String FIXED_PURPOSE = "research and statistics";

    private final Supplier<DisclosureRules> rules;
    private final Supplier<List<String>> purposes;

    @Autowired
    public DisclosureSettings(AgreementPolicy policy) {
        this(() -> {
            Agreement.Disclosure disclosure = policy.agreement().disclosure();
            return new DisclosureRules(disclosure.threshold(), disclosure.zerosDisclosive());
        }, () -> policy.agreement().purposes());
    }

    private DisclosureSettings(Supplier<DisclosureRules> rules, Supplier<List<String>> purposes) {
        this.rules = rules;
        this.purposes = purposes;
    }

    /** Fixed rules and the one purpose {@value #FIXED_PURPOSE}, for tools and tests that run without an agreement. */
    public static DisclosureSettings fixed(DisclosureRules rules) {
        return fixed(rules, List.of(FIXED_PURPOSE));
    }

    /** Fixed rules and purposes, for tests. */
    public static DisclosureSettings fixed(DisclosureRules rules, List<String> purposes) {
        List<String> copy = List.copyOf(purposes);
        return new DisclosureSettings(() -> rules, () -> copy);
    }

    /** The agreement's purposes, as written there. */
    public List<String> purposes() {
        return purposes.get();
    }

    /** The agreed purpose {@code named} names (case and surrounding spaces aside); empty when none. */
    public Optional<String> purpose(String named) {
        if (named == null || named.isBlank()) {
            return Optional.empty();
        }
        String wanted = named.strip();
        return purposes.get().stream().filter(p -> p.equalsIgnoreCase(wanted)).findFirst();
    }

    public DisclosureRules rules() {
        return rules.get();
    }
}
