package org.linkgate.disclosure;

import java.util.function.Supplier;
import org.linkgate.agreement.Agreement;
import org.linkgate.agreement.AgreementPolicy;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** The disclosure rules every output is held to, read from the agreement's {@code disclosure} section. */
@Component
public class DisclosureSettings {

    private final Supplier<DisclosureRules> rules;

    @Autowired
    public DisclosureSettings(AgreementPolicy policy) {
        this(() -> {
            Agreement.Disclosure disclosure = policy.agreement().disclosure();
            return new DisclosureRules(disclosure.threshold(), disclosure.zerosDisclosive());
        });
    }

    private DisclosureSettings(Supplier<DisclosureRules> rules) {
        this.rules = rules;
    }

    /** Fixed rules, for tools and tests that run without an agreement. */
    public static DisclosureSettings fixed(DisclosureRules rules) {
        return new DisclosureSettings(() -> rules);
    }

    public DisclosureRules rules() {
        return rules.get();
    }
}
