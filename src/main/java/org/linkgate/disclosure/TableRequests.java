package org.linkgate.disclosure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Ad-hoc tables under the two-person rule, in the release ledger. A request is built and
 * protected at once on the release model ({@link ReleaseProtection}) with every earlier released
 * table over any of the same people known (earlier analysts' tables and packs, whatever their
 * filters: every one is modelled over the common person-level groups) and kept
 * with its check result as {@code PENDING_APPROVAL} (or {@code REFUSED} when no suppression
 * pattern passes the audit); a second person — a checker (HTTP role ADMIN, enforced in
 * {@code HttpSecurityConfiguration}), never the requester — sees the figures, then approves
 * ({@code RELEASED}) or rejects it. A released table's figures are shown only to its requester,
 * its approver and checkers (see {@link Stored#viewFor}); what is shown is exactly what was
 * checked (its SHA-256 is kept), and its rows go to the release ledger ({@link AnalystLedger}) so
 * a later table cannot be differenced against it. Approval refuses a table checked before another
 * table over the same people was released. Every step is an audit event.
 */
@Component
public class TableRequests {

    public static final String PENDING = "PENDING_APPROVAL";
    public static final String REFUSED = "REFUSED";
    public static final String RELEASED = "RELEASED";
    public static final String REJECTED = "REJECTED";
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Most person-level groups one analyst's table is modelled over (per measure). The groups are
     * the non-empty combinations of council, period, cohort and every attribute the table and
     * the earlier tables over its people break down or filter by, so at most the number of people;
     * beyond this the model is not solved and the table is refused with the reason.
     */
    public static final int MAX_GROUPS = 3000;

    private final JdbcTemplate jdbc;
    private final TableBuilder builder;
    private final DisclosureSettings settings;
    private final AuditLog audit;
    private final Clock clock;
    private final AnalystLedger ledger;

    public TableRequests(JdbcTemplate jdbc, TableBuilder builder, DisclosureSettings settings, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.builder = builder;
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
        this.ledger = new AnalystLedger(jdbc);
    }

    /**
     * Builds, checks and stores a request made for {@code purpose}, which must be one of the agreement's purposes
     * (cl. 6.1); returns its id.
     *
     * @throws PurposeRefusedException if the purpose is missing or not the agreement's (audited as FLOW_REFUSED;
     *                                 nothing is built)
     */
    public String request(TableSpec spec, String purpose, String user) {
        String agreed = settings.purpose(purpose).orElse(null);
        if (agreed == null) {
            String why = purpose == null || purpose.isBlank()
                    ? "a table request must name its purpose, one of the agreement's purposes (cl. 6.1)"
                    : "the purpose named is not one of the agreement's purposes (cl. 6.1)";
            audit.record(AuditEventType.FLOW_REFUSED, spec.scope().council(), null, actor(user),
                    "table request refused: " + why);
            throw new PurposeRefusedException(why + "; the agreement's purposes are: "
                    + String.join("; ", settings.purposes()));
        }
        String id = UUID.randomUUID().toString();
        Map<String, Object> specMap = specJson(spec);
        specMap.put("purpose", agreed);
        String specJson = json(specMap);
        audit.record(AuditEventType.TABLE_REQUESTED, spec.scope().council(), id, actor(user), specJson);
        AnalystLedger.Earlier earlier = ledger.earlierOver(spec);
        OutcomeTable table = protect(builder, spec, settings.rules(), earlier);
        Map<String, Object> check = table.checkSummary();
        check.put("earlierReleasesKnown", earlier.releaseIds().size());
        String checkJson = json(check);
        String tableJson = table.refused() ? null : json(table.toJson());
        jdbc.update("insert into disclosure_request (id, requested_by, requested_at, measure, council_code, period, spec_json,"
                        + " status, check_json, table_json, table_sha256, purpose, known_releases)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id, user, Timestamp.from(clock.instant()), spec.measure().key(), spec.scope().council(), spec.scope().period(),
                specJson, table.refused() ? REFUSED : PENDING, checkJson, tableJson, tableJson == null ? null : sha256(tableJson), agreed,
                earlier.releaseList());
        audit.record(AuditEventType.TABLE_CHECKED, spec.scope().council(), id, "gateway", checkJson);
        return id;
    }

    /**
     * Approves a pending request as {@code user} and releases it to its requester.
     *
     * @throws TwoPersonRuleException if {@code user} asked for the table
     * @throws NotPendingException    if it is not pending
     */
    /**
     * Protects one analyst's table on the release model, the earlier releases over its people
     * known, its small persons cells then protected against the analyst ({@link PersonsProtection}):
     * refused with the reason when its sensitive cells alone are almost all of it, or when
     * the people and earlier tables make more than {@link #MAX_GROUPS} groups to model.
     */
    static OutcomeTable protect(TableBuilder builder, TableSpec spec, DisclosureRules rules, AnalystLedger.Earlier earlier) {
        TableBuilder.ReleaseData data = builder.release(List.of(spec), earlier.universe(), earlier.attributes());
        String mostly = OutcomeTable.mostlySensitive(spec, data.counts().get(spec), rules);
        if (mostly != null) {
            return OutcomeTable.withheld(spec, mostly);
        }
        int groups = data.groups().values().stream().mapToInt(List::size).max().orElse(0);
        if (groups > MAX_GROUPS) {
            return OutcomeTable.withheld(spec, "the table and the " + earlier.releaseIds().size() + " earlier releases over"
                    + " the same people make " + groups + " groups of people to check together (at most " + MAX_GROUPS
                    + "); ask for fewer breakdowns or a narrower scope");
        }
        OutcomeTable table = new ReleaseProtection(rules).protect(data, List.of(spec), earlier.known()).tables().get(0);
        return PersonsProtection.protect(data, spec, table, rules, earlier.persons(), earlier.known());
    }

    @Transactional
    public void approve(String id, String user) {
        Stored pending = find(id).orElseThrow(() -> new IllegalArgumentException("no such table request"));
        TableSpec spec = spec(pending.spec());
        if (PENDING.equals(pending.status()) && !pending.requestedBy().equals(user)) {
            // approvals one at a time, so none passes this check while another is recording
            jdbc.queryForList("select id from release_ledger_lock where id = 1 for update");
            String checkedAgainst = jdbc.queryForObject("select known_releases from disclosure_request where id = ?",
                    String.class, id);
            if (!ledger.earlierOver(spec).releaseList().equals(checkedAgainst == null ? "" : checkedAgainst)) {
                throw new StaleCheckException("a table over the same people was released after this one was checked;"
                        + " reject it and ask for it again");
            }
        }
        decide(id, user, RELEASED, null);
        Stored stored = find(id).orElseThrow();
        ledger.record(id, spec, rows(stored.tableJson(), spec));
        audit.record(AuditEventType.TABLE_APPROVED, stored.council(), id, actor(user), "approved for release");
        audit.record(AuditEventType.TABLE_RELEASED, stored.council(), id, actor(user),
                "released to " + stored.requestedBy() + ": " + stored.measure() + " sha256=" + stored.tableSha256()
                        + " " + stored.check());
    }

    @Transactional
    public void reject(String id, String user, String note) {
        decide(id, user, REJECTED, note);
        Stored stored = find(id).orElseThrow();
        audit.record(AuditEventType.TABLE_REJECTED, stored.council(), id, actor(user), "rejected");
    }

    private void decide(String id, String user, String status, String note) {
        Stored stored = find(id).orElseThrow(() -> new IllegalArgumentException("no such table request"));
        if (stored.requestedBy().equals(user)) {
            throw new TwoPersonRuleException("a table must be approved or rejected by someone other than its requester");
        }
        int changed = jdbc.update("update disclosure_request set status = ?, decided_by = ?, decided_at = ?, decision_note = ?"
                        + " where id = ? and status = ? and requested_by <> ?", status, user, Timestamp.from(clock.instant()),
                note == null ? null : note.substring(0, Math.min(500, note.length())), id, PENDING, user);
        if (changed != 1) {
            throw new NotPendingException("the request is " + stored.status() + ", not " + PENDING);
        }
    }

    public Optional<Stored> find(String id) {
        return jdbc.query("select id, requested_by, requested_at, measure, spec_json, status, check_json, table_json,"
                + " table_sha256, decided_by, decided_at, council_code from disclosure_request where id = ?", rs -> rs.next()
                ? Optional.of(new Stored(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant().toString(),
                        rs.getString(4), parse(rs.getString(5)), rs.getString(6), parse(rs.getString(7)),
                        rs.getString(8), rs.getString(9), rs.getString(10),
                        rs.getTimestamp(11) == null ? null : rs.getTimestamp(11).toInstant().toString(), rs.getString(12)))
                : Optional.empty(), id);
    }

    /** Requests, newest first, without any table figures (for reviewers to find pending ones). */
    public List<Map<String, Object>> list(String status) {
        String select = "select id, requested_by, requested_at, measure, council_code, period, purpose, status, decided_by"
                + " from disclosure_request";
        return status == null ? jdbc.queryForList(select + " order by requested_at desc limit 200")
                : jdbc.queryForList(select + " where status = ? order by requested_at desc limit 200", status);
    }

    /** A stored request. {@code tableJson} is the table as it will be (or was) released. */
    public record Stored(String id, String requestedBy, String requestedAt, String measure, Map<String, Object> spec,
                         String status, Map<String, Object> check, String tableJson, String tableSha256,
                         String decidedBy, String decidedAt, String council) {

        /**
         * The view of this request for {@code user}. Figures are shown only to the people the
         * two-person rule needs: while pending, to a checker ({@code checker} is true for the
         * designated checker role, ADMIN) who is not the requester; once released, to the
         * requester, the approver and checkers. Everyone else sees the request and its check
         * result without figures.
         */
        public Map<String, Object> viewFor(String user, boolean checker) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("id", id);
            view.put("status", status);
            view.put("requestedBy", requestedBy);
            view.put("requestedAt", requestedAt);
            view.put("request", spec);
            view.put("check", check);
            view.put("decidedBy", decidedBy);
            view.put("decidedAt", decidedAt);
            boolean reviewer = PENDING.equals(status) && checker && !requestedBy.equals(user);
            boolean recipient = RELEASED.equals(status)
                    && (requestedBy.equals(user) || user.equals(decidedBy) || checker);
            if (tableJson != null && (recipient || reviewer)) {
                view.put(RELEASED.equals(status) ? "table" : "tableForReview", parse(tableJson));
                view.put("tableSha256", tableSha256);
            }
            return view;
        }
    }

    /** A stored request's table spec (the request as checked). */
    @SuppressWarnings("unchecked")
    static TableSpec spec(Map<String, Object> json) {
        Map<Breakdown, String> filter = new LinkedHashMap<>();
        ((Map<String, String>) json.getOrDefault("filter", Map.of())).forEach((k, v) ->
                filter.put(Breakdown.byKey(k).orElseThrow(), v));
        List<Breakdown> breakdowns = ((List<String>) json.getOrDefault("breakdowns", List.of())).stream()
                .map(k -> Breakdown.byKey(k).orElseThrow()).toList();
        return new TableSpec(new TableSpec.Scope((String) json.get("council"), (String) json.get("period"), filter),
                Measure.byKey((String) json.get("measure")).orElseThrow(), breakdowns);
    }

    /** The rows of a stored table as released (the figures the checker saw). */
    @SuppressWarnings("unchecked")
    static List<OutcomeTable.Row> rows(String tableJson, TableSpec spec) {
        List<OutcomeTable.Row> rows = new java.util.ArrayList<>();
        for (Map<String, Object> r : (List<Map<String, Object>>) parse(tableJson).get("rows")) {
            rows.add(new OutcomeTable.Row((String) r.get("cohort"),
                    spec.breakdowns().isEmpty() ? null : (String) r.get(spec.breakdownName()),
                    (String) r.get("persons"), (String) r.get("withOutcome"), (String) r.get("percentWithOutcome"),
                    java.util.OptionalDouble.empty()));
        }
        return rows;
    }

    /** Approval of a table checked before another table over the same people was released. */
    public static final class StaleCheckException extends RuntimeException {
        public StaleCheckException(String message) {
            super(message);
        }
    }

    /** A decision on a request already decided (or refused by the check). */
    public static final class NotPendingException extends RuntimeException {
        public NotPendingException(String message) {
            super(message);
        }
    }

    /** A table request named no purpose, or one that is not the agreement's (cl. 6.1). */
    public static final class PurposeRefusedException extends RuntimeException {
        public PurposeRefusedException(String message) {
            super(message);
        }
    }

    /** The two-person rule was broken: the requester tried to decide on their own table. */
    public static final class TwoPersonRuleException extends RuntimeException {
        public TwoPersonRuleException(String message) {
            super(message);
        }
    }

    static Map<String, Object> specJson(TableSpec spec) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("measure", spec.measure().key());
        json.put("breakdowns", spec.breakdowns().stream().map(Breakdown::key).toList());
        json.put("filter", spec.scope().filterByKey());
        json.put("council", spec.scope().council());
        json.put("period", spec.scope().period());
        return json;
    }

    private static String actor(String user) {
        return "http:" + user;
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static Map<String, Object> parse(String json) {
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
