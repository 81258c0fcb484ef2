package org.linkgate.disclosure;

import org.linkgate.agreement.Agreement;
import org.linkgate.agreement.AgreementPolicy;
import org.springframework.stereotype.Component;

/** The disclosure rules every output is held to, read from the agreement's {@code disclosure} section. */
@Component
public class DisclosureSettings {

    private final AgreementPolicy policy;

    public DisclosureSettings(AgreementPolicy policy) {
        this.policy = policy;
    }

    public DisclosureRules rules() {
        Agreement.Disclosure disclosure = policy.agreement().disclosure();
        return new DisclosureRules(disclosure.threshold(), disclosure.zerosDisclosive());
    }
}
