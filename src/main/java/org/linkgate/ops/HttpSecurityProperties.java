package org.linkgate.ops;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the HTTP surface ({@code linkgate.http.*}): failed-login throttling, how anonymous
 * refusals are aggregated in the audit trail, the console's origin and the size of a Jolokia request.
 */
@Validated
@ConfigurationProperties("linkgate.http")
public record HttpSecurityProperties(
        /** Failed logins of one account, or from one address, within {@code loginWindow} before it is refused (429). */
        @Min(1) @DefaultValue("5") int loginFailures,
        @NotNull @DefaultValue("15m") Duration loginWindow,
        /** Refusals of anonymous requests from one address are one audit event per window, with a count. */
        @NotNull @DefaultValue("1m") Duration refusalWindow,
        /**
         * Origins the console (Hawtio, Jolokia) may be used from, e.g. {@code https://linkgate.example.org}.
         * Empty: only the origin the request itself was sent to (scheme, host and port as the gateway sees them).
         */
        @NotNull @DefaultValue List<String> consoleOrigins,
        /**
         * Largest Jolokia request body; a larger one is refused whole (413), never cut. Hawtio's permission
         * check asks about every MBean in one bulk request (about 250 entries, over 64 KiB, for the demo).
         */
        @Min(1024) @Max(16 * 1024 * 1024) @DefaultValue("1048576") int maxJolokiaBody,
        /** Most entries in one Jolokia bulk request; more are refused whole (400). */
        @Min(1) @Max(100_000) @DefaultValue("2000") int maxJolokiaBulk) {
}
