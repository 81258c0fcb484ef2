package org.linkgate.incident;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.linkgate.agreement.Agreement;
import org.linkgate.audit.AuditLog;
import org.linkgate.kernel.Alerts;
import org.linkgate.store.TestDatabases;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The e-mail outbox against real SMTP: nothing configured (e-mails wait, one alert), a server that
 * refuses connections (back-off, masked error, one alert after the configured attempts), and a
 * real server (GreenMail): each e-mail sent once, marked, audited, the incident reported.
 */
class IncidentOutboxTest {

    JdbcTemplate jdbc;
    IncidentsContract.MutableClock clock;
    Incidents incidents;
    AuditLog audit;
    Alerts alerts;
    GreenMail smtp;

    @BeforeEach
    void setUp() {
        DataSource ds = TestDatabases.h2();
        jdbc = new JdbcTemplate(ds);
        clock = new IncidentsContract.MutableClock(IncidentsContract.START);
        Agreement agreement = new Agreement("DSA-TEST", "test", List.of(), new Agreement.Term(LocalDate.of(2015, 1, 1),
                LocalDate.of(2030, 1, 1)), List.of(), List.of(), new Agreement.Retention(LocalDate.of(2030, 1, 1),
                LocalDate.of(2030, 1, 1), LocalDate.of(2030, 1, 1)), new Agreement.Disclosure(5, false), List.of(
                new Agreement.Contact("DCLG", Agreement.ContactRole.INCIDENT, "placeholder", "incidents@dclg.example.invalid")));
        audit = new AuditLog(jdbc, clock);
        alerts = new Alerts(jdbc, clock);
        incidents = new Incidents(jdbc, audit, alerts, new IncidentRecipients(() -> agreement, Set.<String>of()::contains,
                List.of("ops@gateway.example.invalid")), clock);
    }

    @AfterEach
    void stop() {
        if (smtp != null) {
            smtp.stop();
        }
    }

    IncidentNotifier notifier(JavaMailSender sender) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        if (sender != null) {
            beans.addBean("mail", sender);
        }
        ObjectProvider<JavaMailSender> provider = beans.getBeanProvider(JavaMailSender.class);
        return new IncidentNotifier(jdbc, new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource())),
                audit, alerts, null, provider, IncidentNotifierTest.properties(Duration.ofSeconds(1),
                Duration.ofSeconds(8)), clock);
    }

    static JavaMailSender sender(int port) {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost("127.0.0.1");
        sender.setPort(port);
        sender.getJavaMailProperties().put("mail.smtp.connectiontimeout", "2000");
        sender.getJavaMailProperties().put("mail.smtp.timeout", "2000");
        return sender;
    }

    @Test
    void withoutSmtpTheEmailsWaitAndOneAlertSaysSo() {
        incidents.open(IncidentCategory.AUDIT_CHAIN_BREAK, null, "audit-seq-1", "broken");
        IncidentNotifier notifier = notifier(null);
        assertThat(notifier.sendDue()).isZero();
        assertThat(notifier.sendDue()).isZero();
        assertThat(count("select count(*) from incident_notification where status = 'PENDING' and attempts = 0")).isEqualTo(2);
        assertThat(count("select count(*) from alert where category = 'INCIDENT_MAIL_NOT_CONFIGURED'")).isEqualTo(1);
    }

    @Test
    void aRefusingServerIsRetriedWithBackOffAndAlertedOnce() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        incidents.open(IncidentCategory.AUDIT_CHAIN_BREAK, null, "audit-seq-1", "broken");
        IncidentNotifier notifier = notifier(sender(closedPort));

        assertThat(notifier.sendDue()).isZero();
        assertThat(jdbc.queryForList("select attempts from incident_notification", Integer.class)).containsOnly(1);
        assertThat(notifier.sendDue()).as("not due again before the back-off").isZero();
        assertThat(jdbc.queryForList("select attempts from incident_notification", Integer.class)).containsOnly(1);
        assertThat(jdbc.queryForList("select last_error from incident_notification", String.class))
                .allSatisfy(error -> assertThat(error).isNotBlank().doesNotContain("@"));
        for (int attempt = 2; attempt <= 4; attempt++) {
            clock.advance(Duration.ofSeconds(10));
            notifier.sendDue();
        }
        assertThat(jdbc.queryForList("select attempts from incident_notification", Integer.class)).containsOnly(4);
        assertThat(count("select count(*) from alert where category = 'INCIDENT_NOTIFICATION_FAILING'"))
                .as("one alert per notification, after 3 attempts").isEqualTo(2);
        assertThat(count("select count(*) from incident_notification where status = 'PENDING'")).isEqualTo(2);
    }

    @Test
    void eachEmailIsSentOnceMarkedAndAudited() throws Exception {
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        String id = incidents.open(IncidentCategory.AUDIT_CHAIN_BREAK, null, "audit-seq-1", "broken");
        IncidentNotifier notifier = notifier(sender(smtp.getSmtp().getPort()));

        assertThat(notifier.sendDue()).isEqualTo(2);
        assertThat(notifier.sendDue()).isZero();
        assertThat(smtp.getReceivedMessages()).hasSize(2);
        assertThat(count("select count(*) from incident_notification where status = 'SENT'")).isEqualTo(2);
        assertThat(jdbc.queryForList("select detail from audit_event where event_type = 'INCIDENT_NOTIFIED'"
                + " and subject_id = ?", String.class, id)).containsExactlyInAnyOrder(
                "e-mail to DCLG INCIDENT", "e-mail to configured address 1");
        assertThat(count("select count(*) from incident where reported_at is not null")).isEqualTo(1);
    }

    @Test
    void aNotificationClaimedByAnotherNotifierIsNotSentAgainUntilTheClaimIsStale() throws Exception {
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        String id = incidents.open(IncidentCategory.AUDIT_CHAIN_BREAK, null, "audit-seq-1", "broken");
        // A stalled leader's notifier claimed one e-mail and is (still) sending it.
        jdbc.update("update incident_notification set status = 'SENDING', claimed_at = ?, claimed_by = 'stalled-leader'"
                + " where recipient_label = 'e-mail to DCLG INCIDENT'", java.sql.Timestamp.from(clock.instant()));
        IncidentNotifier notifier = notifier(sender(smtp.getSmtp().getPort()));

        assertThat(notifier.sendDue()).isEqualTo(1);
        assertThat(smtp.getReceivedMessages()).hasSize(1);
        assertThat(count("select count(*) from incident_notification where status = 'SENDING'")).isEqualTo(1);
        assertThat(count("select count(*) from incident where reported_at is not null")).isZero();
        clock.advance(IncidentNotifier.CLAIM_TIMEOUT.minusSeconds(1));
        assertThat(notifier.sendDue()).isZero();

        // The claimant died mid-send: after the claim timeout the e-mail is claimed again and sent.
        clock.advance(Duration.ofSeconds(2));
        assertThat(notifier.sendDue()).isEqualTo(1);
        assertThat(smtp.getReceivedMessages()).hasSize(2);
        assertThat(count("select count(*) from incident_notification where status = 'SENT'")).isEqualTo(2);
        assertThat(count("select count(*) from audit_event where event_type = 'INCIDENT_NOTIFIED' and subject_id = ?", id))
                .isEqualTo(2);
        assertThat(count("select count(*) from incident where reported_at is not null")).isEqualTo(1);
    }

    @Test
    void twoNotifiersAtOnceSendEachEmailOnce() throws Exception {
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        for (int i = 0; i < 10; i++) {
            incidents.open(IncidentCategory.AUDIT_CHAIN_BREAK, null, "audit-seq-" + i, "broken");
        }
        IncidentNotifier a = notifier(sender(smtp.getSmtp().getPort()));
        IncidentNotifier b = notifier(sender(smtp.getSmtp().getPort()));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.Future<Integer> fa = pool.submit(() -> {
                go.await();
                return a.sendDue();
            });
            java.util.concurrent.Future<Integer> fb = pool.submit(() -> {
                go.await();
                return b.sendDue();
            });
            go.countDown();
            assertThat(fa.get() + fb.get()).isEqualTo(20);
        } finally {
            pool.shutdownNow();
        }
        assertThat(smtp.getReceivedMessages()).hasSize(20);
        assertThat(count("select count(*) from incident_notification where status = 'SENT'")).isEqualTo(20);
        assertThat(count("select count(*) from audit_event where event_type = 'INCIDENT_NOTIFIED'")).isEqualTo(20);
    }

    long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }
}
