package org.linkgate.ops;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What operators are shown ({@code linkgate.ops.*}): when a key starts to warn, how often and how
 * patiently departments' own SFTP servers are probed, and how far back the status page lists failures.
 */
@Validated
@ConfigurationProperties("linkgate.ops")
public record OpsProperties(
        /** A key expiring within this is reported WARN (health and status page); expired is DOWN. */
        @DefaultValue("30d") Duration keyExpiryWarning,
        /** How old a probe of a remote SFTP endpoint may be before the next one is started (in the background). */
        @DefaultValue("30s") Duration endpointProbeInterval,
        /** TCP connect timeout of one probe. */
        @DefaultValue("2s") Duration endpointProbeTimeout,
        /** The status page lists failures of this recent past. */
        @DefaultValue("7d") Duration recentFailures) {
}
