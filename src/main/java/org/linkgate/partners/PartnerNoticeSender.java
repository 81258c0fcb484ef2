package org.linkgate.partners;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.linkgate.agreement.Agreement;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.agreement.Council;
import org.linkgate.agreement.Department;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.linkgate.kernel.Alerts;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.SealedReports;
import org.linkgate.transfer.ExtractDelivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;

/**
 * Delivers the notices queued in {@link PartnerNotices}, called by route {@code partner-notices} (one leader in a
 * cluster: {@code master:}). The encrypted notice goes into the partner's outbound folder ({@code outbound/} of a
 * council, {@code upload/} of a department, on its own server if it has one) under its fixed name, so one already in
 * place after a crash is recognised and not sent twice. The e-mail goes to the partner's AUTHORISED_REPRESENTATIVE
 * contacts in the agreement, over SMTP when {@code spring.mail.host} is set; without mail, or without a contact, the
 * e-mail is marked NONE (not applicable) and the notice alone stands. An e-mail is marked sent once the SMTP server
 * took it: a crash between the two may send it a second time, never zero times. The notice and the e-mail are tried
 * independently, so one channel failing never holds back the other; failures are retried with doubling
 * back-off and alerted after {@code alert-after-attempts}. Each delivery is audited (NOTICE_SENT, NOTICE_EMAILED),
 * naming no address.
 */
@Component("partnerNoticeSender")
public class PartnerNoticeSender {

    private static final Logger LOG = LoggerFactory.getLogger(PartnerNoticeSender.class);
    private static final int BATCH = 50;
    private static final Duration RETRY_MAX = Duration.ofHours(1);

    private final JdbcTemplate jdbc;
    private final PartnerRegistry registry;
    private final AgreementPolicy agreement;
    private final GatewayHome home;
    private final SealedReports sealed;
    private final ExtractDelivery delivery;
    private final ObjectProvider<JavaMailSender> mail;
    private final AuditLog audit;
    private final Alerts alerts;
    private final PartnersProperties properties;
    private final Clock clock;

    public PartnerNoticeSender(JdbcTemplate jdbc, PartnerRegistry registry, AgreementPolicy agreement, GatewayHome home,
            SealedReports sealed, ExtractDelivery delivery, ObjectProvider<JavaMailSender> mail, AuditLog audit,
            Alerts alerts, PartnersProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.registry = registry;
        this.agreement = agreement;
        this.home = home;
        this.sealed = sealed;
        this.delivery = delivery;
        this.mail = mail;
        this.audit = audit;
        this.alerts = alerts;
        this.properties = properties;
        this.clock = clock;
    }

    private record Due(String id, String partner, String kind, String subject, String noticeName, String body,
                       String emailText, String noticeStatus, String emailStatus, int attempts) {
    }

    /** Sends what is due; returns how many notices were completed. */
    public int sendDue() {
        List<Due> due = jdbc.query("select id, partner_code, kind, subject_id, notice_name, body_json, email_text,"
                        + " notice_status, email_status, attempts from partner_notice where (notice_status = 'PENDING'"
                        + " or email_status = 'PENDING') and next_attempt_at <= ? order by created_at limit " + BATCH,
                (rs, n) -> new Due(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getInt(10)),
                Timestamp.from(clock.instant()));
        int done = 0;
        for (Due notice : due) {
            // The two channels are tried independently: a partner's server down must not hold back the e-mail to
            // its contact, nor a failing SMTP server the encrypted notice. A failure of either is retried alone.
            RuntimeException failure = null;
            if ("PENDING".equals(notice.noticeStatus())) {
                try {
                    placeNotice(notice);
                    jdbc.update("update partner_notice set notice_status = 'SENT', notice_sent_at = ? where id = ?",
                            Timestamp.from(clock.instant()), notice.id());
                    audit.record(AuditEventType.NOTICE_SENT, notice.partner(), notice.subject(), "gateway",
                            notice.kind() + " " + outboundFolder(notice.partner()) + notice.noticeName());
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            if ("PENDING".equals(notice.emailStatus())) {
                try {
                    email(notice);
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure == null) {
                done++;
            } else {
                failed(notice, failure);
            }
        }
        return done;
    }

    private void placeNotice(Due notice) {
        String name = notice.noticeName();
        String literal = name.substring(0, name.length() - ".pgp".length());
        Optional<Council> council = registry.council(notice.partner());
        if (council.isPresent()) {
            Path outbound = GatewayHome.ensureDirectory(home.outbound(council.get().code()));
            if (Files.exists(outbound.resolve(name))) {
                return;
            }
            Path staged = sealed.stage(notice.body(), council.get().pgpPublicKey(), literal);
            try {
                Files.move(staged, outbound.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot place a notice for " + council.get().code(), e);
            } finally {
                SealedReports.discard(staged);
            }
            return;
        }
        Department department = registry.department(notice.partner()).orElseThrow(() ->
                new IllegalStateException("partner " + notice.partner() + " is not configured"));
        if (delivery.alreadyDelivered(department, name)) {
            return;
        }
        Path staged = sealed.stage(notice.body(), department.pgpPublicKey(), literal);
        try {
            delivery.deliver(department, staged, name);
        } finally {
            SealedReports.discard(staged);
        }
    }

    private void email(Due notice) {
        JavaMailSender sender = mail.getIfAvailable();
        List<String> to = agreement.agreement().contactsOf(notice.partner()).stream()
                .filter(c -> c.role() == Agreement.ContactRole.AUTHORISED_REPRESENTATIVE)
                .map(c -> c.email().strip()).filter(e -> !e.isEmpty()).distinct().toList();
        if (sender == null || to.isEmpty()) {
            String why = sender == null ? "no mail configured (spring.mail.host)" : "no AUTHORISED_REPRESENTATIVE contact";
            jdbc.update("update partner_notice set email_status = 'NONE', last_error = ? where id = ?", why, notice.id());
            LOG.info("notice {} to {}: not e-mailed, {}", notice.kind(), notice.partner(), why);
            return;
        }
        SimpleMailMessage message = new SimpleMailMessage();
        message.setFrom(properties.mailFrom());
        message.setTo(to.toArray(String[]::new));
        message.setSubject("[Linkgate] " + subject(notice.kind()) + " - " + notice.partner());
        message.setText(notice.emailText());
        sender.send(message);
        jdbc.update("update partner_notice set email_status = 'SENT', email_sent_at = ?, email_count = ? where id = ?",
                Timestamp.from(clock.instant()), to.size(), notice.id());
        audit.record(AuditEventType.NOTICE_EMAILED, notice.partner(), notice.subject(), "gateway",
                notice.kind() + " e-mailed to " + to.size() + " contact(s) of " + notice.partner());
    }

    static String subject(String kind) {
        return switch (kind) {
            case PartnerNotices.FILE_QUARANTINED -> "a file you sent could not be processed";
            case PartnerNotices.FILE_REJECTED -> "a file you sent was rejected";
            case PartnerNotices.BATCH_DUE -> "your next batch is due";
            case PartnerNotices.BATCH_OVERDUE -> "your batch is overdue";
            case PartnerNotices.TERMINATION -> "the data sharing agreement is terminated";
            default -> kind.toLowerCase(Locale.ROOT).replace('_', ' ');
        };
    }

    private String outboundFolder(String partner) {
        return registry.council(partner).isPresent() ? "outbound/" : "upload/";
    }

    private void failed(Due notice, RuntimeException e) {
        int attempts = notice.attempts() + 1;
        Duration delay = properties.retryBase();
        for (int i = 1; i < attempts && delay.compareTo(RETRY_MAX) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        delay = delay.compareTo(RETRY_MAX) > 0 ? RETRY_MAX : delay;
        String error = describe(e);
        Instant now = clock.instant();
        LOG.warn("notice {} to {} failed (attempt {}), next in {}: {}", notice.kind(), notice.partner(), attempts, delay,
                error);
        jdbc.update("update partner_notice set attempts = ?, next_attempt_at = ?, last_error = ? where id = ?", attempts,
                Timestamp.from(now.plus(delay)), error, notice.id());
        if (attempts >= properties.alertAfterAttempts() && jdbc.update("update partner_notice set alerted_at = ?"
                + " where id = ? and alerted_at is null", Timestamp.from(now), notice.id()) == 1) {
            alerts.raise("PARTNER_NOTICE_FAILING", notice.partner(), notice.subject(), notice.kind() + " notice to "
                    + notice.partner() + " failed " + attempts + " times (" + error + "); still retrying");
        }
    }

    /** The failure with any e-mail address masked: SMTP replies may echo recipients. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getClass().getSimpleName() + ": "
                + String.valueOf(root.getMessage()).replaceAll("[^\\s<>\"'@]+@[^\\s<>\"']+", "<address>");
        return message.length() > 500 ? message.substring(0, 500) : message;
    }
}
