package org.linkgate.incident;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.validation.annotation.Validated;

/**
 * Incident handling ({@code linkgate.incidents.*}): who is told besides the agreement's contacts,
 * how notifications are retried, how often deadlines, the audit chain and the drop-zones are
 * checked, and when repeated SFTP authentication failures become an incident. SMTP itself is
 * Spring Boot's {@code spring.mail.*}.
 */
@Validated
@ConfigurationProperties("linkgate.incidents")
public record IncidentProperties(
        /** Addresses told of every incident, besides the agreement's contacts (e.g. the operators' list). */
        @Name("notify") @NotNull @DefaultValue List<String> notifyAddresses,
        /** Sender of incident e-mails. */
        @NotNull @DefaultValue("linkgate-incidents@localhost") String mailFrom,
        /** How often pending notifications are sent. */
        @NotNull @DefaultValue("5s") Duration notifyInterval,
        /** First retry delay after a failed notification; doubles up to retryMax. */
        @NotNull @DefaultValue("30s") Duration retryBase,
        @NotNull @DefaultValue("1h") Duration retryMax,
        /** Failed attempts of one notification before operators are alerted. */
        @Min(1) @DefaultValue("3") int alertAfterAttempts,
        /** How often open incidents are checked against their deadline. */
        @NotNull @DefaultValue("1m") Duration deadlineCheckInterval,
        /** How often the whole audit chain is verified. */
        @NotNull @DefaultValue("10m") Duration auditChainCheckInterval,
        /** How often the SFTP homes are swept for entries the drop-zone layout never allows. */
        @NotNull @DefaultValue("1m") Duration dropZoneCheckInterval,
        /** Failed SFTP authentications, for one account or from one address, that open an incident. */
        @Min(2) @DefaultValue("5") int sftpAuthFailures,
        /** ... within this window. */
        @NotNull @DefaultValue("10m") Duration sftpAuthWindow) {
}
