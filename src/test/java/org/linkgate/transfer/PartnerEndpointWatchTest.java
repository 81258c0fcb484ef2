package org.linkgate.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.junit.jupiter.api.Test;
import org.linkgate.agreement.Department;
import org.linkgate.kernel.Alerts;
import org.linkgate.store.TestDatabases;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Failed polls of a department's server are alerted by the poll strategy itself, on the replica that
 * polls (no check led by another replica involved): once when {@link PartnerEndpointWatch#FAILED_POLLS}
 * fail in a row, not again during the same outage, again for the next outage after a successful poll.
 */
class PartnerEndpointWatchTest {

    @Test
    void thePollerAlertsOncePerOutage() throws Exception {
        jdbc = new JdbcTemplate(TestDatabases.h2());
        PartnerEndpointWatch watch = new PartnerEndpointWatch(null, new Alerts(jdbc, Clock.systemUTC()));
        Department department = new Department("XDOWN", "test", null, null, List.of(), null, Duration.ofDays(30),
                new Department.EmbeddedEndpoint(List.of()), List.of());
        PollingConsumerPollStrategy polls = watch.pollStrategy(department);
        RuntimeException refused = new RuntimeException("connection refused (test)");

        for (int i = 1; i < PartnerEndpointWatch.FAILED_POLLS; i++) {
            polls.rollback(null, null, 0, refused);
        }
        assertThat(alerts()).isZero();
        polls.rollback(null, null, 0, refused);
        assertThat(alerts()).isEqualTo(1);
        assertThat(jdbc.queryForObject("select partner_code || ' ' || subject_id || ' ' || message from alert",
                String.class)).startsWith("XDOWN collect-xdown ").contains(PartnerEndpointWatch.FAILED_POLLS + " polls");
        for (int i = 0; i < 5; i++) {
            polls.rollback(null, null, 0, refused);
        }
        assertThat(alerts()).as("one alert per outage").isEqualTo(1);
        // Without a Camel context (or a route) the periodic check has nothing to add.
        watch.check();
        assertThat(alerts()).isEqualTo(1);

        // Back (a successful poll), then down again: a new outage, a new alert.
        polls.commit(null, null, 0);
        polls.rollback(null, null, 0, refused);
        polls.rollback(null, null, 0, refused);
        assertThat(alerts()).isEqualTo(1);
        polls.rollback(null, null, 0, refused);
        assertThat(alerts()).isEqualTo(2);
        assertThat(watch.pollStrategy(department)).isSameAs(polls);
    }

    private JdbcTemplate jdbc;

    long alerts() {
        Long n = jdbc.queryForObject("select count(*) from alert where category = ?", Long.class,
                PartnerEndpointWatch.ALERT);
        return n == null ? 0 : n;
    }
}
