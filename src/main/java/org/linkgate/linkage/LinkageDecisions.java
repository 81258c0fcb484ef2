package org.linkgate.linkage;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.regex.Pattern;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An operator's decision on a grey-zone pair of {@code linkage_review}, once (undone only by
 * {@link DecisionUndo}): accept merges the later person forward into the earliest, as an automatic
 * link does ({@link PersonMerges});
 * reject records a non-link, so no later batch links or lists the two again. Both audited with the
 * decider and a reference. Fails with {@link NoSuchElementException} (no such pair),
 * {@link IllegalArgumentException} (bad reference) or {@link AlreadyDecidedException}.
 */
@Component
public class LinkageDecisions {

    /** A ticket reference or a few words: letters, digits and a little punctuation, never an identity. */
    static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 .,/:_()#-]{1,119}");
    public static final String ACCEPTED = "ACCEPTED";
    public static final String REJECTED = "REJECTED";
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final AuditLog audit;
    private final Clock clock;
    private final PersonMerges merges;

    public LinkageDecisions(JdbcTemplate jdbc, TransactionTemplate transactions, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.audit = audit;
        this.clock = clock;
        this.merges = new PersonMerges(jdbc, audit);
    }

    /** The pair was decided already, or deciding it would contradict a decision already taken. */
    public static class AlreadyDecidedException extends RuntimeException {
        AlreadyDecidedException(String message) {
            super(message);
        }
    }

    /** The two persons of review pair {@code id} are one: the later merges forward into the earliest. */
    public void accept(long id, String admin, String reference) {
        decide(id, admin, reference, ACCEPTED);
    }

    /** The two persons of review pair {@code id} are not one: never linked or listed again. */
    public void reject(long id, String admin, String reference) {
        decide(id, admin, reference, REJECTED);
    }

    /** A decision's or undo's reference, stripped; refused unless 2-120 of the allowed characters. */
    static String reference(String reference) {
        String ref = reference == null ? "" : reference.strip();
        if (!REFERENCE.matcher(ref).matches()) {
            throw new IllegalArgumentException("reference is required: 2-120 letters, digits, spaces or . , / : _ ( ) # -");
        }
        return ref;
    }

    private void decide(long id, String admin, String reference, String decision) {
        Objects.requireNonNull(admin, "admin");
        String ref = reference(reference);
        transactions.executeWithoutResult(tx -> {
            // After any batch being linked: its merges and listings are seen, and it sees this decision.
            merges.lockLinkage();
            Instant now = clock.instant();
            List<Map<String, Object>> found = jdbc.queryForList("select person_id, candidate_id, intake_id, decision"
                    + " from linkage_review where id = ? for update", id);
            if (found.isEmpty()) {
                throw new NoSuchElementException("no review pair " + id);
            }
            Map<String, Object> pair = found.get(0);
            if (pair.get("decision") != null) {
                throw new AlreadyDecidedException("review pair " + id + " was already " + pair.get("decision"));
            }
            String person = (String) pair.get("person_id");
            String candidate = (String) pair.get("candidate_id");
            PersonMerges.Survivor a = survivor(person);
            PersonMerges.Survivor b = survivor(candidate);
            // Merges are never undone and rejections never overridden: a contradiction is refused, not applied.
            if (ACCEPTED.equals(decision)) {
                if (merges.separated(a.canonical(), b.canonical())) {
                    throw new AlreadyDecidedException("review pair " + id + ": these persons were decided not to be one");
                }
            } else if (a.canonical().equals(b.canonical())) {
                throw new AlreadyDecidedException("review pair " + id + ": these persons are already one (merged)");
            }
            // Every undecided listing of the same two ids is settled by this one decision.
            int settled = jdbc.update("update linkage_review set decision = ?, decided_at = ?, decided_by = ?,"
                    + " decision_reference = ?, undoable = true where decision is null and (id = ? or (person_id = ? and candidate_id = ?)"
                    + " or (person_id = ? and candidate_id = ?))", decision, Timestamp.from(now), admin, ref, id,
                    person, candidate, candidate, person);
            String subject = "review-" + id;
            if (ACCEPTED.equals(decision)) {
                if (!a.canonical().equals(b.canonical())) {
                    PersonMerges.Survivor earliest = a.compareTo(b) <= 0 ? a : b;
                    PersonMerges.Survivor later = earliest == a ? b : a;
                    // Records what the merge moves, so an undo can restore exactly that.
                    merges.mergeForwardAccepted(id, later.canonical(), earliest.canonical(), now, admin,
                            "review pair " + id + " accepted");
                }
            } else {
                merges.recordNonLink(person, candidate, id, now);
            }
            audit.record(ACCEPTED.equals(decision) ? AuditEventType.LINKAGE_PAIR_ACCEPTED : AuditEventType.LINKAGE_PAIR_REJECTED,
                    null, subject, admin, "persons " + person + " and " + candidate + " of batch " + pair.get("intake_id")
                            + (ACCEPTED.equals(decision) ? " are one" : " are not one") + "; review entries settled="
                            + settled + "; ref=" + ref);
        });
    }

    /** The survivor of a person, its row locked so two decisions on overlapping persons serialise. */
    private PersonMerges.Survivor survivor(String personId) {
        PersonMerges.Survivor s = merges.survivor(personId)
                .orElseThrow(() -> new AlreadyDecidedException("a person of this pair is no longer held"));
        jdbc.queryForList("select person_id from linkage_person where person_id = ? for update", s.canonical());
        return merges.survivor(personId).orElseThrow();
    }
}
