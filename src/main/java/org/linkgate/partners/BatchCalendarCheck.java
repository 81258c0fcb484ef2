package org.linkgate.partners;

import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.agreement.Council;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.kernel.AcceptedBatchTimes;
import org.linkgate.kernel.Alerts;
import org.springframework.stereotype.Component;

/**
 * Route {@code batch-calendar}: for every council with a calendar whose intake the agreement allows today, a reminder
 * to the council and an alert to operators when its next batch falls due (DUE_SOON), and again once it is overdue
 * (OVERDUE). Each is queued once per council and due date ({@link PartnerNotices}: the encrypted notice
 * {@code batch-due-<date>.notice.json.pgp} or {@code batch-overdue-<date>.notice.json.pgp} in its {@code outbound/},
 * and an e-mail to its contact), so running the check every hour, or on two replicas in turn, tells it once.
 */
@Component("batchCalendarCheck")
public class BatchCalendarCheck {

    private final AcceptedBatchTimes batches;
    private final PartnerRegistry registry;
    private final AgreementPolicy agreement;
    private final BatchCalendar calendar;
    private final PartnerNotices notices;
    private final Alerts alerts;
    private final Clock clock;

    public BatchCalendarCheck(AcceptedBatchTimes batches, PartnerRegistry registry, AgreementPolicy agreement,
            BatchCalendar calendar, PartnerNotices notices, Alerts alerts, Clock clock) {
        this.batches = batches;
        this.registry = registry;
        this.agreement = agreement;
        this.calendar = calendar;
        this.notices = notices;
        this.alerts = alerts;
        this.clock = clock;
    }

    /** Checks every council's calendar; returns how many reminders were queued. */
    public int check() {
        LocalDate today = AgreementPolicy.today(clock);
        int queued = 0;
        for (Council council : registry.councils()) {
            if (!BatchCalendar.hasCalendar(council) || !agreement.intake(council.code(), today).allowed()) {
                continue;
            }
            BatchCalendar.Due due = calendar.due(council, batches.lastAccepted(council.code())
                    .map(at -> at.atZone(AgreementPolicy.AGREEMENT_ZONE).toLocalDate()).orElse(null), today);
            if (due.state() == BatchCalendar.State.OK) {
                continue;
            }
            boolean overdue = due.state() == BatchCalendar.State.OVERDUE;
            String kind = overdue ? PartnerNotices.BATCH_OVERDUE : PartnerNotices.BATCH_DUE;
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("dueDate", due.dueDate().toString());
            body.put("expectedEvery", council.expectedEvery().toString());
            body.put("status", due.state().name());
            body.put("agreementClause", "6.2b: a batch every " + council.expectedEvery() + " from " + council.firstDue());
            String email = (overdue
                    ? "The Linkgate gateway has not received the batch from " + council.code() + " that was due on "
                    : "This is a reminder that the next batch from " + council.code() + " is due on ")
                    + due.dueDate() + " (data sharing agreement, clause 6.2b: a batch every " + council.expectedEvery()
                    + "). This message holds no personal data.\n\nSend it, encrypted and signed, to your inbound/"
                    + " folder on the gateway's SFTP drop-zone. If you have sent it already, please check its report"
                    + " in outbound/.\n";
            String name = (overdue ? "batch-overdue-" : "batch-due-") + due.dueDate() + PartnerNotices.NOTICE_SUFFIX;
            if (notices.queue(council.code(), kind, council.code() + "|" + due.dueDate(), name, body, email)) {
                queued++;
                alerts.raise(overdue ? "BATCH_OVERDUE" : "BATCH_DUE_SOON", council.code(), null, overdue
                        ? "no batch from council " + council.code() + " since it was due on " + due.dueDate()
                        + "; the council has been reminded"
                        : "the next batch from council " + council.code() + " is due on " + due.dueDate()
                        + "; the council has been reminded");
            }
        }
        return queued;
    }
}
