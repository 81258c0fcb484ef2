package org.linkgate.partners;

import java.time.LocalDate;
import java.time.Period;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import org.linkgate.agreement.Council;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The expected-batch calendar of a council (cl. 6.2b: a batch every six months): due dates
 * {@code firstDue + k * expectedEvery} ({@code council.properties}). A batch accepted (ACCEPTED or PARTIAL) counts for
 * the due date nearest the day it arrived, early or late, so the next batch is due on the date after that one; before
 * any batch, the first due date is {@code firstDue}. Relative to today the next due date is OK, DUE_SOON (from
 * {@code remind-before} ahead until the day itself) or OVERDUE (after the day plus {@code overdue-after}). A pure
 * function of the council, its last accepted batch and the day; {@link BatchCalendarCheck} acts on it.
 */
@Component
public class BatchCalendar {

    /** Where a council stands against its calendar. */
    public enum State { OK, DUE_SOON, OVERDUE }

    /** The next due date and where the council stands; {@code null} dueDate: the council has no calendar. */
    public record Due(LocalDate dueDate, State state) {
    }

    private final Period remindBefore;
    private final Period overdueAfter;

    @Autowired
    public BatchCalendar(PartnersProperties properties) {
        this(properties.remindBefore(), properties.overdueAfter());
    }

    public BatchCalendar(Period remindBefore, Period overdueAfter) {
        this.remindBefore = Objects.requireNonNull(remindBefore, "remindBefore");
        this.overdueAfter = Objects.requireNonNull(overdueAfter, "overdueAfter");
    }

    /** The defaults: reminded 14 days before, overdue the day after. */
    public static BatchCalendar defaults() {
        return new BatchCalendar(Period.ofDays(14), Period.ZERO);
    }

    /** Whether the council has a calendar ({@code firstDue} configured). */
    public static boolean hasCalendar(Council council) {
        return council.firstDue() != null;
    }

    /** The council's next due date after its last accepted batch (null: none yet), and its state on {@code today}. */
    public Due due(Council council, LocalDate lastAccepted, LocalDate today) {
        if (!hasCalendar(council)) {
            return new Due(null, State.OK);
        }
        LocalDate next = nextDue(council.firstDue(), council.expectedEvery(), lastAccepted);
        State state;
        if (today.isAfter(next.plus(overdueAfter))) {
            state = State.OVERDUE;
        } else if (!today.isBefore(next.minus(remindBefore))) {
            state = State.DUE_SOON;
        } else {
            state = State.OK;
        }
        return new Due(next, state);
    }

    /**
     * The due date after the one nearest {@code lastAccepted}; {@code firstDue} when nothing was accepted yet, or only
     * more than one interval before it.
     */
    static LocalDate nextDue(LocalDate firstDue, Period every, LocalDate lastAccepted) {
        if (lastAccepted == null || lastAccepted.isBefore(firstDue.minus(every))) {
            return firstDue;
        }
        int k = 0;
        LocalDate current = firstDue;
        // Walk to the due date nearest the arrival (ties go to the later date: a batch on the midpoint is early).
        while (true) {
            LocalDate following = dueDate(firstDue, every, k + 1);
            if (Math.abs(ChronoUnit.DAYS.between(lastAccepted, following))
                    > Math.abs(ChronoUnit.DAYS.between(lastAccepted, current))) {
                break;
            }
            k++;
            current = following;
        }
        return dueDate(firstDue, every, k + 1);
    }

    /** The k-th due date, counted from firstDue each time (no drift at month ends: 31 Aug + 6 months = 28/29 Feb). */
    static LocalDate dueDate(LocalDate firstDue, Period every, int k) {
        return firstDue.plus(every.multipliedBy(k));
    }
}
