package org.linkgate.demo;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.kernel.GatewayHome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * In a start without the demo ({@code linkgate.bootstrap-demo} off), says loudly which configured
 * partners are demo partners: keys the demo generated (user id "(demo)" at {@code .invalid}) or a
 * partner whose private keys sit in {@code <home>/demo/<CODE>/}. A demo partner's private keys are
 * in the gateway home, so anything "it" sends or receives proves nothing: remove it before real data.
 */
@Component
@ConditionalOnProperty(prefix = "linkgate", name = "bootstrap-demo", havingValue = "false", matchIfMissing = true)
public class DemoPartnerWarning {

    static final Logger LOG = LoggerFactory.getLogger(DemoPartnerWarning.class);

    public DemoPartnerWarning(PartnerRegistry registry, GatewayHome home) {
        List<String> found = demoPartners(registry, home);
        if (!found.isEmpty()) {
            LOG.warn("demo partners configured in a start without the demo: {} (their private keys are, or were, in {});"
                    + " remove them from {} before any real data flows", found, home.demoDir(), home.root().resolve("config"));
        }
    }

    /** Codes of the configured partners that are demo partners, sorted. */
    static List<String> demoPartners(PartnerRegistry registry, GatewayHome home) {
        TreeSet<String> codes = new TreeSet<>();
        registry.councils().forEach(c -> {
            if (isDemo(c.code(), c.pgpPublicKey(), home)) {
                codes.add(c.code());
            }
        });
        registry.departments().forEach(d -> {
            if (isDemo(d.code(), d.pgpPublicKey(), home)) {
                codes.add(d.code());
            }
        });
        return new ArrayList<>(codes);
    }

    private static boolean isDemo(String code, PGPPublicKeyRing key, GatewayHome home) {
        if (Files.exists(home.demoDir().resolve(code))) {
            return true;
        }
        for (Iterator<String> ids = key.getPublicKey().getUserIDs(); ids.hasNext(); ) {
            String id = ids.next();
            if (id.contains("(demo)") && id.contains(".invalid>")) {
                return true;
            }
        }
        return false;
    }
}
