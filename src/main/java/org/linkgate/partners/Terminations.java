package org.linkgate.partners;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.linkgate.agreement.Agreement;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Termination while the gateway runs (cl. 13.2): an ADMIN ends the agreement for one party, or as a whole, with a
 * reason. It takes effect at once — the termination is put into the agreement in force ({@link AgreementPolicy}), so
 * from the next decision on intake and returns of the party are refused unopened with a report and fan-out to or from
 * it stops, exactly as for a termination written in {@code agreement.yaml} — and it is recorded
 * ({@code agreement_termination}), audited (AGREEMENT_TERMINATED) and notified to every party (encrypted notice to
 * councils and departments, e-mail to every party's contact), all in one transaction. Recorded terminations are put on
 * top of {@code agreement.yaml} at start, on every reload and, through route {@code agreement-terminations}, on every
 * replica within seconds; of a party's terminations the earliest in effect wins, so a later-dated one in
 * {@code agreement.yaml} never postpones a recorded one. A termination is not undone here: that is a new agreement.
 */
@Component("terminations")
public class Terminations {

    private static final Logger LOG = LoggerFactory.getLogger(Terminations.class);
    public static final int MAX_REASON = 500;

    private final JdbcTemplate jdbc;
    private final AgreementPolicy policy;
    private final PartnerRegistry registry;
    private final PartnerNotices notices;
    private final AuditLog audit;
    private final Clock clock;
    private final TransactionTemplate transactions;

    public Terminations(JdbcTemplate jdbc, AgreementPolicy policy, PartnerRegistry registry, PartnerNotices notices,
            AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.policy = policy;
        this.registry = registry;
        this.notices = notices;
        this.audit = audit;
        this.clock = clock;
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(
                Objects.requireNonNull(jdbc.getDataSource(), "jdbc has no DataSource")));
        refresh();
    }

    /** One recorded termination. {@code party} null: the whole agreement. */
    public record Recorded(String id, String party, LocalDate effectiveDate, String reason, String terminatedBy,
                           String terminatedAt) {
    }

    /** Every termination recorded while the gateway ran, oldest first. */
    public List<Recorded> list() {
        return jdbc.query("select id, party_code, effective_date, reason, terminated_by, terminated_at"
                        + " from agreement_termination order by terminated_at, id",
                (rs, n) -> new Recorded(rs.getString(1), rs.getString(2), rs.getDate(3).toLocalDate(), rs.getString(4),
                        rs.getString(5), rs.getTimestamp(6).toInstant().toString()));
    }

    /**
     * {@code agreement} with every recorded termination that takes effect earlier than any of the same scope it
     * holds: a recorded termination always takes effect, even when {@code agreement.yaml} names a later date.
     */
    public Agreement withRecorded(Agreement agreement) {
        Agreement result = agreement;
        for (Recorded t : list()) {
            result = result.withTerminationUnlessEarlier(
                    new Agreement.Termination(t.party(), t.effectiveDate(), t.reason()));
        }
        return result;
    }

    /** Puts recorded terminations not yet in force into the agreement in force (start, and every replica's timer). */
    public void refresh() {
        Agreement current = policy.agreement();
        Agreement updated = withRecorded(current);
        if (updated != current) {
            policy.replace(updated);
            LOG.warn("agreement {}: {} termination(s) recorded while the gateway ran are in force",
                    updated.reference(), updated.terminations().size() - current.terminations().size());
        }
    }

    /** What an ADMIN's request did. */
    public enum Outcome { TERMINATED, ALREADY_TERMINATED }

    /**
     * Terminates the agreement for {@code party} (null or blank: as a whole) from today, at once.
     *
     * @throws IllegalArgumentException naming what is wrong: not a party, reason missing, too long or with control
     *                                  characters
     */
    public Outcome terminate(String party, String reason, String admin) {
        Objects.requireNonNull(admin, "admin");
        String code = party == null || party.isBlank() ? null : party.strip().toUpperCase(Locale.ROOT);
        Agreement agreement = policy.agreement();
        if (code != null && agreement.party(code).isEmpty()) {
            throw new IllegalArgumentException("party is not a party to the agreement");
        }
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty() || why.length() > MAX_REASON || why.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("reason is required: one line, at most " + MAX_REASON + " characters");
        }
        LocalDate today = AgreementPolicy.today(clock);
        boolean already = agreement.agreementTermination().filter(t -> t.effectiveOn(today)).isPresent()
                || (code != null && agreement.terminationOf(code).filter(t -> t.effectiveOn(today)).isPresent());
        if (already) {
            return Outcome.ALREADY_TERMINATED;
        }
        String id = UUID.randomUUID().toString();
        String what = code == null ? "the whole agreement" : "the agreement for " + code;
        transactions.executeWithoutResult(tx -> {
            jdbc.update("insert into agreement_termination (id, party_code, effective_date, reason, terminated_by,"
                    + " terminated_at) values (?, ?, ?, ?, ?, ?)", id, code, Date.valueOf(today), why, admin,
                    Timestamp.from(clock.instant()));
            audit.record(AuditEventType.AGREEMENT_TERMINATED, code, id, "http:" + admin,
                    what + " terminated with effect from " + today + " (cl. 13.2): " + why);
            for (Agreement.Party told : agreement.parties()) {
                notify(agreement, told.code(), code, id, today, why);
            }
        });
        // In force once recorded: a rolled-back termination never takes effect.
        Agreement current = policy.agreement();
        Agreement updated = current.withTerminationUnlessEarlier(new Agreement.Termination(code, today, why));
        if (updated != current) {
            policy.replace(updated);
        }
        LOG.warn("{} terminated by {} with effect from {} (cl. 13.2)", what, admin, today);
        return Outcome.TERMINATED;
    }

    private void notify(Agreement agreement, String party, String terminated, String id, LocalDate today, String why) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("agreement", agreement.reference());
        body.put("terminatedParty", terminated);
        body.put("wholeAgreement", terminated == null);
        body.put("effectiveFrom", today.toString());
        body.put("reason", why);
        body.put("agreementClause", "13.2: termination; from this day no data of the terminated party flows");
        boolean filePartner = registry.council(party).isPresent() || registry.department(party).isPresent();
        String email = "The data sharing agreement " + agreement.reference() + " is terminated "
                + (terminated == null ? "as a whole" : "for " + terminated) + " with effect from " + today
                + " (clause 13.2). This message holds no personal data.\n\nreason: " + why + "\n\nFrom today the gateway"
                + " refuses, unopened, every file " + (terminated == null ? "" : "from or for " + terminated + " ")
                + "and sends no data " + (terminated == null ? "to any party" : "to or from " + terminated)
                + ". Data held is destroyed as the agreement says (clause 12.9).\n";
        notices.queue(party, PartnerNotices.TERMINATION, id, filePartner ? "termination-" + id + PartnerNotices.NOTICE_SUFFIX
                : null, body, email);
    }
}
