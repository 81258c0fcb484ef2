package org.linkgate.partners;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.time.Period;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Notices to partners and the expected-batch calendar ({@code linkgate.partners.*}). SMTP itself is Spring Boot's
 * {@code spring.mail.*}: without {@code spring.mail.host} no partner e-mail is sent, only encrypted notices.
 */
@Validated
@ConfigurationProperties("linkgate.partners")
public record PartnersProperties(
        /** Sender of partner e-mails. */
        @NotNull @DefaultValue("linkgate-notices@localhost") String mailFrom,
        /** How often pending notices are sent (route partner-notices). */
        @NotNull @DefaultValue("5s") Duration noticeInterval,
        /** First retry delay after a failed notice; doubles up to one hour. */
        @NotNull @DefaultValue("30s") Duration retryBase,
        /** Failed attempts of one notice before operators are alerted. */
        @Min(1) @DefaultValue("3") int alertAfterAttempts,
        /** How long before a batch is due the council is reminded and operators alerted (cl. 6.2b). */
        @NotNull @DefaultValue("P14D") Period remindBefore,
        /** Grace after the due date before a missing batch is overdue (reminder and alert again); 0: the next day. */
        @NotNull @DefaultValue("P0D") Period overdueAfter,
        /** How often the calendar is checked (route batch-calendar). */
        @NotNull @DefaultValue("1h") Duration calendarCheckInterval) {
}
