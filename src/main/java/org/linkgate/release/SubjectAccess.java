package org.linkgate.release;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.linkgate.crypto.AesGcm;
import org.linkgate.kernel.DataKeyStore;
import org.linkgate.linkage.ComparisonRecord;
import org.linkgate.linkage.MatchEncoder;
import org.linkgate.linkage.MatchKeys;
import org.linkgate.pseudonymisation.IdentityRecord;
import org.linkgate.pseudonymisation.PseudonymisationKey;
import org.linkgate.pseudonymisation.Pseudonymiser;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Subject access (cl. 9): what the gateway holds and did about one person, found by the keyed
 * hashes the intake computed — council + {@code person_ref} (its {@code person_ref_key}), or forename,
 * surname and date of birth (the linkage pseudo id) — so the details given are hashed at once and
 * never stored, logged or echoed. The answer comes from the ledgers: each batch the person was
 * received in (when, which research variables are held, whether identifying fields are sealed in
 * the vault), each extract that included them (department, date, fields sent), each accepted return
 * linked to them, each release that included them, and what has been destroyed. Data already
 * destroyed can no longer be searched; the answer says which certificates cover the council's
 * destroyed batches. The lookup is an audit event, with counts only.
 *
 * <p>Linkage gives one human more than one id: a later batch's rows take the id of the person they
 * linked to (so the name hash alone misses them; they are found by the normalised name and date of
 * birth tokens of {@code linkage_row}), and a person merged forward keeps its id pointing at the
 * survivor ({@code linkage_person.merged_into}). The ids found are expanded to the surviving person
 * and every id merged into it, and everything held under any of them is answered.
 */
@Component
public class SubjectAccess {

    private static final Pattern COUNCIL = Pattern.compile("[EWSN]\\d{8}");
    private static final int MAX_TEXT = 100;

    private final JdbcTemplate jdbc;
    private final PseudonymisationKey key;
    private final PartnerRegistry registry;
    private final AuditLog audit;
    private final DataKeyStore dataKeys;
    private final MatchKeys matchKeys;
    private final ObjectMapper json = new ObjectMapper();

    public SubjectAccess(JdbcTemplate jdbc, PseudonymisationKey key, PartnerRegistry registry, AuditLog audit,
                         DataKeyStore dataKeys, MatchKeys matchKeys) {
        this.jdbc = jdbc;
        this.matchKeys = matchKeys;
        this.key = key;
        this.registry = registry;
        this.audit = audit;
        this.dataKeys = dataKeys;
    }

    /** A lookup: council and person_ref, or forename, surname and date of birth (YYYY-MM-DD). */
    public record Lookup(String council, String personRef, String forename, String surname, String dateOfBirth) {
        @Override
        public String toString() {
            return "Lookup[redacted]";
        }
    }

    /**
     * Answers a lookup.
     *
     * @throws IllegalArgumentException when neither form is given in full or a value is malformed (the
     *                                  message never repeats what was given)
     */
    public Map<String, Object> lookup(Lookup lookup, String admin) {
        String lookupId = UUID.randomUUID().toString();
        String how;
        List<Map<String, Object>> records;
        String councilScope = null;
        Pseudonymiser hmac = new Pseudonymiser(key);
        if (present(lookup.council()) || present(lookup.personRef())) {
            if (present(lookup.forename()) || present(lookup.surname()) || present(lookup.dateOfBirth())) {
                throw new IllegalArgumentException("give council and personRef, or forename, surname and dateOfBirth, not both");
            }
            String council = lookup.council() == null ? "" : lookup.council().strip().toUpperCase(java.util.Locale.ROOT);
            if (!COUNCIL.matcher(council).matches()) {
                throw new IllegalArgumentException("council must be a GSS code");
            }
            requireText(lookup.personRef(), "personRef");
            how = "council+person_ref";
            councilScope = council;
            String refKey = hmac.personRefKey(council, lookup.personRef());
            Set<String> ids = expand(new LinkedHashSet<>(jdbc.queryForList("select distinct pseudo_id from research_record"
                    + " where person_ref_key = ? and council_code = ?", String.class, refKey, council)));
            records = records("((r.person_ref_key = ? and r.council_code = ?)" + inIds("r.pseudo_id", ids, " or ") + ")",
                    args(List.of(refKey, council), ids));
        } else {
            requireText(lookup.forename(), "forename");
            requireText(lookup.surname(), "surname");
            LocalDate dob;
            try {
                dob = LocalDate.parse(lookup.dateOfBirth() == null ? "" : lookup.dateOfBirth().strip());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("dateOfBirth must be YYYY-MM-DD");
            }
            how = "forename+surname+date_of_birth";
            Set<String> ids = new LinkedHashSet<>();
            ids.add(hmac.personId(lookup.forename(), lookup.surname(), dob));
            ids.addAll(linkedByName(lookup.forename(), lookup.surname(), dob));
            ids = expand(ids);
            records = records("(1 = 0" + inIds("r.pseudo_id", ids, " or ") + ")", args(List.of(), ids));
        }
        Set<String> pseudoIds = new LinkedHashSet<>();
        List<Map<String, Object>> received = new ArrayList<>();
        for (Map<String, Object> record : records) {
            pseudoIds.add((String) record.remove("pseudo_id"));
            received.add(record);
        }
        // Releases and returns are recorded under the surviving id; extracts under the id of the time.
        pseudoIds = expand(pseudoIds);
        List<Map<String, Object>> extracts = new ArrayList<>();
        List<Map<String, Object>> returns = new ArrayList<>();
        List<Map<String, Object>> releases = new ArrayList<>();
        for (String pseudoId : pseudoIds) {
            extracts.addAll(extracts(pseudoId));
            returns.addAll(jdbc.queryForList("select rf.department_code as department, rf.dataset, rf.file_name as \"file\","
                    + " rf.received_at as \"receivedAt\", rf.destroyed_at as \"destroyedAt\", count(*) as \"rows\""
                    + " from return_record rr join return_file rf on rf.id = rr.return_id and rf.status = 'ACCEPTED'"
                    + " where rr.pseudo_id = ? group by rf.department_code, rf.dataset, rf.file_name, rf.received_at,"
                    + " rf.destroyed_at order by rf.received_at", pseudoId));
            releases.addAll(jdbc.queryForList("select d.id as \"release\", d.recipient_code as recipient, d.status,"
                    + " d.file_name as \"file\", d.sent_at as \"sentAt\", d.destruction_notice_at as \"destructionNoticeAt\""
                    + " from release_member m join data_release d on d.id = m.release_id where m.pseudo_id = ?"
                    + " order by d.requested_at", pseudoId));
        }
        Map<String, Object> destroyed = new LinkedHashMap<>();
        destroyed.put("ofTheseBatches", received.stream().filter(r -> r.get("councilDataDestroyedAt") != null
                || r.get("linkedDataDestroyedAt") != null).map(r -> r.get("batch")).toList());
        String scope = councilScope;
        destroyed.put("note", "data already destroyed can no longer be searched: the certificates below cover the"
                + (scope == null ? "" : " council's") + " batches destroyed so far, which may have included this person");
        destroyed.put("certificates", certificates(scope));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("lookup", lookupId);
        answer.put("foundBy", how);
        answer.put("found", !pseudoIds.isEmpty());
        answer.put("received", received);
        answer.put("extracts", extracts);
        answer.put("returns", isoTimes(returns));
        answer.put("releases", isoTimes(releases));
        answer.put("destroyed", destroyed);
        audit.record(AuditEventType.SUBJECT_ACCESS, scope, lookupId, admin, "by=" + how + " batches=" + received.size()
                + " extracts=" + extracts.size() + " returns=" + returns.size() + " releases=" + releases.size());
        return answer;
    }

    /**
     * The people linkage linked rows of this name and date of birth to: rows whose research pseudo id was rewritten
     * to an earlier person's, found by the normalised forename, surname and date of birth tokens linkage stored.
     */
    private Set<String> linkedByName(String forename, String surname, LocalDate dob) {
        ComparisonRecord tokens = matchKeys.encoder().comparison(MatchEncoder.parts(new IdentityRecord(forename, null,
                surname, dob.toString(), null, null, null, null, null, null, null, null)));
        if (tokens.forename() == null || tokens.surname() == null || tokens.dateOfBirth() == null) {
            return Set.of();
        }
        return new LinkedHashSet<>(jdbc.queryForList("select distinct person_id from linkage_row where fn = ? and sn = ?"
                + " and dob = ? and person_id is not null", String.class, tokens.forename(), tokens.surname(),
                tokens.dateOfBirth()));
    }

    /**
     * The ids and, for each, its surviving person (merges are kept flat: one hop) and every id merged into that
     * survivor. An id linkage never saw stands for itself.
     */
    private Set<String> expand(Set<String> ids) {
        if (ids.isEmpty()) {
            return ids;
        }
        Set<String> survivors = new LinkedHashSet<>(ids);
        survivors.addAll(jdbc.queryForList("select coalesce(merged_into, person_id) from linkage_person where 1 = 0"
                + inIds("person_id", ids, " or "), String.class, ids.toArray()));
        Set<String> all = new LinkedHashSet<>(survivors);
        all.addAll(jdbc.queryForList("select person_id from linkage_person where 1 = 0" + inIds("merged_into", survivors,
                " or "), String.class, survivors.toArray()));
        return all;
    }

    private static String inIds(String column, Set<String> ids, String joiner) {
        return ids.isEmpty() ? "" : joiner + column + " in (" + String.join(", ", java.util.Collections.nCopies(ids.size(),
                "?")) + ")";
    }

    private static Object[] args(List<Object> first, Set<String> ids) {
        List<Object> all = new ArrayList<>(first);
        all.addAll(ids);
        return all.toArray();
    }

    private List<Map<String, Object>> records(String where, Object... args) {
        // research_record, not the research_person view: a batch later rejected still tells what was received.
        return jdbc.query("select r.pseudo_id, r.intake_id, r.row_number, r.council_code, r.period, r.cohort, r.sex,"
                        + " r.age_band, r.identified_month, r.problem_count, r.crime_asb, r.education, r.children_in_need,"
                        + " r.worklessness, r.domestic_abuse, r.health, i.file_name, i.received_at, i.status,"
                        + " i.council_data_destroyed_at, i.linked_data_destroyed_at, i.data_key_id, v.sealed"
                        + " from research_record r join intake_file i on i.id = r.intake_id"
                        + " left join identity_vault v on v.intake_id = r.intake_id and v.row_number = r.row_number where " + where
                        + " order by i.received_at, r.intake_id, r.row_number",
                (rs, n) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("pseudo_id", rs.getString("pseudo_id"));
                    row.put("batch", rs.getString("intake_id"));
                    row.put("file", rs.getString("file_name"));
                    row.put("council", rs.getString("council_code"));
                    row.put("period", rs.getString("period"));
                    row.put("receivedAt", instant(rs.getTimestamp("received_at")));
                    row.put("status", rs.getString("status"));
                    row.put("row", rs.getLong("row_number"));
                    Map<String, Object> held = new LinkedHashMap<>();
                    for (String column : List.of("cohort", "sex", "age_band", "identified_month", "problem_count", "crime_asb",
                            "education", "children_in_need", "worklessness", "domestic_abuse", "health")) {
                        held.put(column, rs.getString(column));
                    }
                    row.put("researchVariablesHeld", held);
                    byte[] sealed = rs.getBytes("sealed");
                    row.put("identifyingFieldsSealedInVault", sealed != null);
                    row.put("identifyingFieldsReceived", sealed == null ? List.of()
                            : fieldsReceived(rs.getString("intake_id"), rs.getLong("row_number"), rs.getString("data_key_id"),
                                    sealed));
                    row.put("councilDataDestroyedAt", instant(rs.getTimestamp("council_data_destroyed_at")));
                    row.put("linkedDataDestroyedAt", instant(rs.getTimestamp("linked_data_destroyed_at")));
                    return row;
                }, args);
    }

    /**
     * The names of the identifying fields the council sent for the row, read by opening its sealed identity
     * (as {@code intake.CouncilBatchStages} sealed it): names only, never the values, which the council
     * that sent them holds. A data key that is gone (destroyed) leaves the answer "unavailable".
     */
    private Object fieldsReceived(String intakeId, long rowNumber, String dataKeyId, byte[] sealed) {
        if (dataKeyId == null) {
            return "unavailable: the batch's data key is destroyed";
        }
        DataKeyStore.DataKey dataKey;
        try {
            dataKey = dataKeys.get(dataKeyId);
        } catch (IllegalStateException e) {
            return "unavailable: the batch's data key is destroyed";
        }
        byte[] plain = AesGcm.open(dataKey.key(), sealed, (intakeId + "|" + rowNumber).getBytes(StandardCharsets.UTF_8));
        try {
            IdentityRecord identity = json.readValue(plain, IdentityRecord.class);
            List<String> fields = new ArrayList<>();
            addIf(fields, "forename", identity.forename());
            addIf(fields, "middle_names", identity.middleNames());
            addIf(fields, "surname", identity.surname());
            addIf(fields, "date_of_birth", identity.dateOfBirth());
            addIf(fields, "sex", identity.sex());
            addIf(fields, "address_line_1", identity.addressLine1());
            addIf(fields, "address_line_2", identity.addressLine2());
            addIf(fields, "town", identity.town());
            addIf(fields, "postcode", identity.postcode());
            addIf(fields, "nino", identity.nino());
            addIf(fields, "nhs_number", identity.nhsNumber());
            addIf(fields, "upn", identity.upn());
            return fields;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("sealed identity of batch " + intakeId + " row " + rowNumber
                    + " is not an identity record");
        } finally {
            java.util.Arrays.fill(plain, (byte) 0);
        }
    }

    private static void addIf(List<String> fields, String name, String value) {
        if (value != null && !value.isBlank()) {
            fields.add(name);
        }
    }

    private List<Map<String, Object>> extracts(String pseudoId) {
        List<Map<String, Object>> extracts = new ArrayList<>();
        jdbc.query("select e.id, e.department_code, e.file_name, e.status, e.sent_at, e.intake_id from extract_member m"
                + " join extract e on e.id = m.extract_id where m.pseudo_id = ? order by e.created_at", rs -> {
                    Map<String, Object> extract = new LinkedHashMap<>();
                    String department = rs.getString("department_code");
                    extract.put("extract", rs.getString("id"));
                    extract.put("department", department);
                    extract.put("file", rs.getString("file_name"));
                    extract.put("status", rs.getString("status"));
                    extract.put("sentAt", instant(rs.getTimestamp("sent_at")));
                    extract.put("batch", rs.getString("intake_id"));
                    // As configured now: an extract carries the department's matchFields of the time it was written.
                    extract.put("fieldsSent", registry.department(department).map(d -> {
                        List<String> fields = new ArrayList<>(List.of("pseudo_id (the department's own token)"));
                        fields.addAll(d.matchFields());
                        return fields;
                    }).orElse(List.of("pseudo_id (the department's own token)")));
                    extracts.add(extract);
                }, pseudoId);
        return extracts;
    }

    private List<Map<String, Object>> certificates(String council) {
        String sql = "select distinct c.id, c.issued_at from destruction_certificate c join destruction_item di"
                + " on di.destruction_id = c.destruction_id where di.unit_type in ('COUNCIL_DATA', 'LINKED_DATA')"
                + (council == null ? "" : " and di.partner_code = ?") + " order by c.issued_at, c.id";
        return jdbc.query(sql, (rs, n) -> {
            Map<String, Object> certificate = new LinkedHashMap<>();
            certificate.put("certificate", rs.getString(1));
            certificate.put("issuedAt", instant(rs.getTimestamp(2)));
            return certificate;
        }, council == null ? new Object[0] : new Object[] {council});
    }

    /** Timestamps as ISO-8601 instants, the same on every database. */
    private static List<Map<String, Object>> isoTimes(List<Map<String, Object>> rows) {
        for (Map<String, Object> row : rows) {
            row.replaceAll((k, v) -> v instanceof Timestamp t ? t.toInstant().toString()
                    : v instanceof java.time.OffsetDateTime o ? o.toInstant().toString() : v);
        }
        return rows;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    private static void requireText(String value, String name) {
        if (!present(value) || value.length() > MAX_TEXT) {
            throw new IllegalArgumentException(name + " is required (at most " + MAX_TEXT + " characters)");
        }
    }

    private static String instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant().toString();
    }
}
