package org.linkgate.disclosure;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.linkgate.agreement.Agreement;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.kernel.MasterKey;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The disclosure rules every output is held to, read from the agreement's {@code disclosure} section, and the
 * purposes an output may be asked for (the agreement's {@code purposes}, cl. 6.1), and the method packs are
 * shown with ({@code disclosure.method}: suppression, or the cell key method under a key derived from the master
 * key).
 */
@Component
public class DisclosureSettings {

    /** The one purpose {@link #fixed(DisclosureRules)} settings allow. */
    public static final String FIXED_PURPOSE = "research and statistics";

    private final Supplier<DisclosureRules> rules;
    private final Supplier<List<String>> purposes;
    private final Supplier<Agreement.DisclosureMethod> method;
    /** The record-key key ({@link CellKeyPerturbation#KEY_PURPOSE}), derived when first needed; null without a master key. */
    private final Supplier<byte[]> recordKeyKey;

    @Autowired
    public DisclosureSettings(AgreementPolicy policy, ObjectProvider<MasterKey> masterKey) {
        this(() -> {
            Agreement.Disclosure disclosure = policy.agreement().disclosure();
            return new DisclosureRules(disclosure.threshold(), disclosure.zerosDisclosive());
        }, () -> policy.agreement().purposes(), () -> policy.agreement().disclosure().method(), () -> {
            MasterKey key = masterKey.getIfAvailable();
            return key == null ? null : key.derive(CellKeyPerturbation.KEY_PURPOSE);
        });
    }

    private DisclosureSettings(Supplier<DisclosureRules> rules, Supplier<List<String>> purposes,
                               Supplier<Agreement.DisclosureMethod> method, Supplier<byte[]> recordKeyKey) {
        this.rules = rules;
        this.purposes = purposes;
        this.method = method;
        this.recordKeyKey = recordKeyKey;
    }

    /** Fixed rules and the one purpose {@value #FIXED_PURPOSE}, for tools and tests that run without an agreement. */
    public static DisclosureSettings fixed(DisclosureRules rules) {
        return fixed(rules, List.of(FIXED_PURPOSE));
    }

    /** Fixed rules and purposes, suppression, for tests. */
    public static DisclosureSettings fixed(DisclosureRules rules, List<String> purposes) {
        List<String> copy = List.copyOf(purposes);
        return new DisclosureSettings(() -> rules, () -> copy, () -> Agreement.DisclosureMethod.SUPPRESSION, () -> null);
    }

    /** Fixed rules and the cell key method under {@code masterKey}, for tests. */
    public static DisclosureSettings cellKey(DisclosureRules rules, MasterKey masterKey) {
        byte[] derived = masterKey.derive(CellKeyPerturbation.KEY_PURPOSE);
        return new DisclosureSettings(() -> rules, () -> List.of(FIXED_PURPOSE), () -> Agreement.DisclosureMethod.CELL_KEY,
                () -> derived);
    }

    /** The agreement's method for packs. */
    public Agreement.DisclosureMethod method() {
        return method.get();
    }

    /**
     * The cell key method under the gateway's key when the agreement chooses it, else null
     * (suppression). Fails closed: cell-key chosen without a master key is refused, not
     * silently shown exact.
     */
    public CellKeyPerturbation perturbation() {
        if (method.get() != Agreement.DisclosureMethod.CELL_KEY) {
            return null;
        }
        byte[] key = recordKeyKey.get();
        if (key == null) {
            throw new IllegalStateException("disclosure.method cell-key needs the master key, which is not available");
        }
        return new CellKeyPerturbation(key);
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
