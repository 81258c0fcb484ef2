package org.linkgate.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.linkgate.agreement.Council;
import org.linkgate.agreement.Department;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.PgpKeyExpiry;
import org.linkgate.crypto.PgpKeys;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * Health {@code keyExpiry}: one component per OpenPGP key the gateway relies on — its own
 * ({@code gateway}) and each council's and department's (by code). UP while valid, {@link #WARN}
 * within {@code linkgate.ops.key-expiry-warning} of expiry, DOWN once expired. Details: the
 * fingerprint, the expiry and days left; nothing else.
 */
@Component("keyExpiry")
public class KeyExpiryHealth implements CompositeHealthContributor {

    /** A key (or other resource) that still works but needs attention soon. Mapped to HTTP 200. */
    public static final Status WARN = new Status("WARN", "expires soon");
    public static final String GATEWAY = "gateway";

    private final GatewayPgpKey gatewayKey;
    private final PartnerRegistry registry;
    private final Duration warning;
    private final Clock clock;

    public KeyExpiryHealth(GatewayPgpKey gatewayKey, PartnerRegistry registry, OpsProperties properties, Clock clock) {
        this.gatewayKey = gatewayKey;
        this.registry = registry;
        this.warning = properties.keyExpiryWarning();
        this.clock = clock;
    }

    /** The key's health at {@code now}, for a key warned about {@code warning} ahead. */
    public static Health check(PGPPublicKeyRing ring, Instant now, Duration warning) {
        Optional<Instant> expiry = PgpKeyExpiry.of(ring);
        Health.Builder health = Health.up().withDetail("fingerprint", PgpKeys.fingerprint(ring.getPublicKey()));
        if (expiry.isEmpty()) {
            return health.withDetail("expires", "never").build();
        }
        Instant expires = expiry.get();
        health.withDetail("expires", expires.toString())
                .withDetail("daysLeft", Math.max(0, Duration.between(now, expires).toDays()));
        if (!now.isBefore(expires)) {
            return health.status(Status.DOWN).withDetail("problem", "expired").build();
        }
        if (!now.plus(warning).isBefore(expires)) {
            return health.status(WARN).withDetail("problem", "expires within " + warning.toDays() + " days").build();
        }
        return health.build();
    }

    private Map<String, PGPPublicKeyRing> keys() {
        Map<String, PGPPublicKeyRing> keys = new LinkedHashMap<>();
        keys.put(GATEWAY, gatewayKey.publicRing());
        for (Council council : registry.councils()) {
            keys.put(council.code(), council.pgpPublicKey());
        }
        for (Department department : registry.departments()) {
            keys.put(department.code(), department.pgpPublicKey());
        }
        for (org.linkgate.agreement.Recipient recipient : registry.recipients()) {
            keys.put(recipient.code(), recipient.pgpPublicKey());
        }
        return keys;
    }

    private HealthIndicator indicator(PGPPublicKeyRing ring) {
        return () -> check(ring, clock.instant(), warning);
    }

    @Override
    public HealthContributor getContributor(String name) {
        PGPPublicKeyRing ring = keys().get(name);
        return ring == null ? null : indicator(ring);
    }

    @Override
    public Iterator<NamedContributor<HealthContributor>> iterator() {
        List<NamedContributor<HealthContributor>> contributors = new ArrayList<>();
        keys().forEach((name, ring) -> contributors.add(NamedContributor.of(name, indicator(ring))));
        return contributors.iterator();
    }
}
