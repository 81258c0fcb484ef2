package org.linkgate.incident;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mail.MailSendException;

/** The notifier's pure parts: back-off, failure descriptions without addresses, and the facts told. */
class IncidentNotifierTest {

    static IncidentProperties properties(Duration base, Duration max) {
        return new IncidentProperties(List.of(), "gw@localhost", Duration.ofSeconds(5), base, max, 3,
                Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofMinutes(1), 5, Duration.ofMinutes(10));
    }

    @Test
    void backOffDoublesUpToTheMaximum() {
        IncidentNotifier notifier = new IncidentNotifier(null, null, null, null, null, null,
                properties(Duration.ofSeconds(30), Duration.ofMinutes(5)), null);
        assertThat(notifier.backOff(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(notifier.backOff(2)).isEqualTo(Duration.ofSeconds(60));
        assertThat(notifier.backOff(4)).isEqualTo(Duration.ofSeconds(240));
        assertThat(notifier.backOff(5)).isEqualTo(Duration.ofMinutes(5));
        assertThat(notifier.backOff(60)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void failuresAreDescribedWithoutAddresses() {
        String described = IncidentNotifier.describe(new MailSendException("550 mailbox <dpo@council.example.invalid>"
                + " unavailable", new IllegalStateException("rejected dpo@council.example.invalid")));
        assertThat(described).startsWith("MailSendException (IllegalStateException): ").contains("<address>")
                .doesNotContain("@");
    }

    @Test
    void theFactsAreTheIncidentsMetadata() {
        Map<String, Object> row = new HashMap<>();
        row.put("id", "a-b-c");
        row.put("category", IncidentCategory.IDENTIFIERS_IN_RETURN);
        row.put("partner_code", "DFE");
        row.put("subject_id", "return-1");
        row.put("opened_at", Timestamp.from(Instant.parse("2026-11-02T09:00:00Z")));
        row.put("deadline_at", Timestamp.from(Instant.parse("2026-11-03T09:00:00Z")));
        row.put("summary", "a return from DFE carried direct identifiers");
        row.put("password", "never copied");
        Map<String, Object> facts = IncidentNotifier.facts(row);
        assertThat(facts).containsEntry("incidentId", "a-b-c").containsEntry("partner", "DFE")
                .containsEntry("detectedAt", "2026-11-02T09:00:00Z").containsEntry("reportBy", "2026-11-03T09:00:00Z")
                .containsEntry("gatewayAction", IncidentCategory.gatewayAction(IncidentCategory.IDENTIFIERS_IN_RETURN));
        assertThat(facts.values()).doesNotContain("never copied");
    }
}
