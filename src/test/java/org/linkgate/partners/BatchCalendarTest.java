package org.linkgate.partners;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.agreement.Council;
import org.linkgate.intake.GatewayTestHome;
import org.linkgate.intake.IntakeFiles;
import org.linkgate.store.TestDatabases;
import org.linkgate.support.InboundHarness;

/**
 * The expected-batch calendar (cl. 6.2b): due dates six-monthly from the configured first date, which due date a
 * batch meets, the states before and after a due date; then the check as the council and the operators meet it:
 * one reminder notice in {@code outbound/} and one alert before the date, again once overdue, nothing twice.
 */
class BatchCalendarTest {

    private static Council council(LocalDate firstDue) {
        return new Council("E10000012", "test", null, "fp", List.of(), Period.ofMonths(6), firstDue);
    }

    @Nested
    class DueDates {

        @ParameterizedTest(name = "first due {0}, last accepted {1}: next due {2}")
        @CsvSource({
                "2015-09-30, , 2015-09-30",            // nothing yet: the first due date
                "2015-09-30, 2015-09-20, 2016-03-30",  // early for the first date: it counts for it
                "2015-09-30, 2015-10-20, 2016-03-30",  // late for the first date: still that one
                "2015-09-30, 2016-04-10, 2016-09-30",  // late for the second
                "2015-09-30, 2016-07-15, 2017-03-30",  // nearer the third than the second: the second is missed
                "2015-08-31, 2015-08-31, 2016-02-29",  // month ends: 31 Aug + 6 months is 29 Feb in a leap year
                "2015-08-31, 2016-02-29, 2016-08-31",  // and the next is 31 Aug again, no drift
                "2015-09-30, 2014-01-01, 2015-09-30"}) // long before the calendar: does not count
        void aBatchCountsForTheNearestDueDate(LocalDate firstDue, LocalDate lastAccepted, LocalDate next) {
            assertThat(BatchCalendar.nextDue(firstDue, Period.ofMonths(6), lastAccepted)).isEqualTo(next);
        }

        @Test
        void statesAroundTheDueDate() {
            BatchCalendar calendar = BatchCalendar.defaults();
            Council c = council(LocalDate.of(2015, 9, 30));
            assertThat(calendar.due(c, null, LocalDate.of(2015, 9, 15)).state()).isEqualTo(BatchCalendar.State.OK);
            assertThat(calendar.due(c, null, LocalDate.of(2015, 9, 16)).state()).isEqualTo(BatchCalendar.State.DUE_SOON);
            assertThat(calendar.due(c, null, LocalDate.of(2015, 9, 30)).state()).isEqualTo(BatchCalendar.State.DUE_SOON);
            assertThat(calendar.due(c, null, LocalDate.of(2015, 10, 1)).state()).isEqualTo(BatchCalendar.State.OVERDUE);
            assertThat(new BatchCalendar(Period.ofDays(14), Period.ofDays(7)).due(c, null, LocalDate.of(2015, 10, 7))
                    .state()).as("within the grace").isEqualTo(BatchCalendar.State.DUE_SOON);
            assertThat(calendar.due(council(null), null, LocalDate.of(2015, 10, 1)))
                    .as("no calendar configured").isEqualTo(new BatchCalendar.Due(null, BatchCalendar.State.OK));
        }
    }

    /** A clock tests move by hand. */
    static final class MovableClock extends Clock {
        volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void theCouncilIsRemindedAndOperatorsAlertedOnceBeforeAndOnceAfterTheDueDate() throws Exception {
        Path root = GatewayTestHome.create();
        LocalDate today = LocalDate.now(AgreementPolicy.AGREEMENT_ZONE);
        LocalDate due = today.plusDays(10);
        Files.writeString(root.resolve("config/councils/E10000012/council.properties"),
                "name=Test council\nexpectedEvery=P6M\nfirstDue=" + due + "\n");
        MovableClock clock = new MovableClock(today.atTime(12, 0).atZone(AgreementPolicy.AGREEMENT_ZONE).toInstant());
        InboundHarness gateway = new InboundHarness(TestDatabases.h2(), clock, root);
        assertThat(gateway.registry.council("E10000012").orElseThrow().firstDue()).isEqualTo(due);
        PartnerNotices notices = new PartnerNotices(gateway.jdbc, new com.fasterxml.jackson.databind.ObjectMapper(), clock);
        BatchCalendarCheck check = new BatchCalendarCheck(new IntakeFiles(gateway.jdbc), gateway.registry, gateway.agreement,
                BatchCalendar.defaults(), notices, gateway.alerts, clock);

        assertThat(check.check()).as("ten days before: due soon").isEqualTo(1);
        assertThat(check.check()).as("told once").isZero();
        assertThat(alerts(gateway, "BATCH_DUE_SOON")).isEqualTo(1);
        assertThat(gateway.jdbc.queryForObject("select notice_name from partner_notice where kind = 'BATCH_DUE'",
                String.class)).isEqualTo("batch-due-" + due + ".notice.json.pgp");

        clock.now = due.plusDays(1).atTime(9, 0).atZone(AgreementPolicy.AGREEMENT_ZONE).toInstant();
        assertThat(check.check()).as("the day after: overdue").isEqualTo(1);
        assertThat(check.check()).isZero();
        assertThat(alerts(gateway, "BATCH_OVERDUE")).isEqualTo(1);
        assertThat(gateway.jdbc.queryForObject("select body_json from partner_notice where kind = 'BATCH_OVERDUE'",
                String.class)).contains("\"dueDate\":\"" + due + "\"").contains("\"status\":\"OVERDUE\"");
    }


    private static long alerts(InboundHarness gateway, String category) {
        return gateway.jdbc.queryForObject("select count(*) from alert where category = ? and partner_code = 'E10000012'",
                Long.class, category);
    }
}
