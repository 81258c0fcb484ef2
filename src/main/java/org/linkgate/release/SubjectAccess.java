package org.linkgate.release;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
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
import org.linkgate.fanout.Extracts;
import org.linkgate.intake.IntakeFiles;
import org.linkgate.kernel.BatchDestructionCertificates;
import org.linkgate.kernel.DataKeyStore;
import org.linkgate.linkage.LinkagePersons;
import org.linkgate.pseudonymisation.IdentityRecord;
import org.linkgate.pseudonymisation.PseudonymisationKey;
import org.linkgate.pseudonymisation.Pseudonymiser;
import org.linkgate.returns.ReturnFiles;
import org.linkgate.store.ResearchStore;
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
 * destroyed batches. The lookup is an audit event, with counts only. Each ledger is asked through its
 * owner's repository ({@code store.ResearchStore}, {@code intake.IntakeFiles}, {@code linkage.LinkagePersons},
 * {@code fanout.Extracts}, {@code returns.ReturnFiles}, retention's {@code kernel.BatchDestructionCertificates});
 * only release's own tables are read here.
 *
 * <p>Linkage gives one human more than one id: a later batch's rows take the id of the person they
 * linked to (so the name hash alone misses them; they are found by the normalised name and date of
 * birth tokens linkage keeps), and a person merged forward keeps its id pointing at the survivor. The ids found are expanded to the surviving person
 * and every id merged into it, and everything held under any of them is answered.
 */
@Component
public class SubjectAccess {

    private static final Pattern COUNCIL = Pattern.compile("[EWSN]\\d{8}");
    private static final int MAX_TEXT = 100;
    private static final String OWN_TOKEN = "pseudo_id (the department's own token)";

    private final JdbcTemplate jdbc;
    private final PseudonymisationKey key;
    private final PartnerRegistry registry;
    private final AuditLog audit;
    private final DataKeyStore dataKeys;
    private final ResearchStore store;
    private final IntakeFiles batches;
    private final LinkagePersons persons;
    private final Extracts extracts;
    private final ReturnFiles returns;
    private final BatchDestructionCertificates certificates;
    private final ObjectMapper json = new ObjectMapper();

    /** {@code jdbc} reads release's own ledger; every other ledger is read through its owner's repository. */
    public SubjectAccess(JdbcTemplate jdbc, PseudonymisationKey key, PartnerRegistry registry, AuditLog audit,
                         DataKeyStore dataKeys, ResearchStore store, IntakeFiles batches, LinkagePersons persons,
                         Extracts extracts, ReturnFiles returns, BatchDestructionCertificates certificates) {
        this.jdbc = jdbc;
        this.key = key;
        this.registry = registry;
        this.audit = audit;
        this.dataKeys = dataKeys;
        this.store = store;
        this.batches = batches;
        this.persons = persons;
        this.extracts = extracts;
        this.returns = returns;
        this.certificates = certificates;
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
            Set<String> ids = persons.withMerged(store.personIdsOfRef(council, refKey));
            records = records(store.heldAbout(council, refKey, ids));
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
            ids.addAll(persons.linkedByName(lookup.forename(), lookup.surname(), dob));
            records = records(store.heldAbout(null, null, persons.withMerged(ids)));
        }
        Set<String> pseudoIds = new LinkedHashSet<>();
        List<Map<String, Object>> received = new ArrayList<>();
        for (Map<String, Object> record : records) {
            pseudoIds.add((String) record.remove("pseudo_id"));
            received.add(record);
        }
        // Releases and returns are recorded under the surviving id; extracts under the id of the time.
        pseudoIds = persons.withMerged(pseudoIds);
        List<Map<String, Object>> sent = new ArrayList<>();
        List<Map<String, Object>> returned = new ArrayList<>();
        List<Map<String, Object>> releases = new ArrayList<>();
        for (String pseudoId : pseudoIds) {
            extracts.carrying(pseudoId).forEach(e -> sent.add(extract(e)));
            returns.acceptedLinkedTo(pseudoId).forEach(r -> returned.add(returned(r)));
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
        destroyed.put("certificates", certificates.coveringCouncilBatches(scope).stream().map(c -> {
            Map<String, Object> certificate = new LinkedHashMap<>();
            certificate.put("certificate", c.id());
            certificate.put("issuedAt", iso(c.issuedAt()));
            return certificate;
        }).toList());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("lookup", lookupId);
        answer.put("foundBy", how);
        answer.put("found", !pseudoIds.isEmpty());
        answer.put("received", received);
        answer.put("extracts", sent);
        answer.put("returns", returned);
        answer.put("releases", isoTimes(releases));
        answer.put("destroyed", destroyed);
        audit.record(AuditEventType.SUBJECT_ACCESS, scope, lookupId, admin, "by=" + how + " batches=" + received.size()
                + " extracts=" + sent.size() + " returns=" + returned.size() + " releases=" + releases.size());
        return answer;
    }

    /**
     * The research records held as the answer tells them, each with its batch (a record whose batch the ledger
     * does not hold is left out), in the order the batches were received, then by batch and row.
     */
    private List<Map<String, Object>> records(List<ResearchStore.HeldRow> held) {
        Map<String, IntakeFiles.ReceivedBatch> of = batches.received(held.stream().map(ResearchStore.HeldRow::intakeId)
                .collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new)));
        List<ResearchStore.HeldRow> rows = new ArrayList<>(held.stream().filter(r -> of.containsKey(r.intakeId())).toList());
        // The store gives them by batch and row; a stable sort by receipt keeps that order within a time.
        rows.sort(Comparator.comparing((ResearchStore.HeldRow r) -> of.get(r.intakeId()).receivedAt(),
                Comparator.nullsLast(Comparator.naturalOrder())));
        List<Map<String, Object>> records = new ArrayList<>();
        for (ResearchStore.HeldRow r : rows) {
            IntakeFiles.ReceivedBatch batch = of.get(r.intakeId());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("pseudo_id", r.pseudoId());
            row.put("batch", r.intakeId());
            row.put("file", batch.fileName());
            row.put("council", r.councilCode());
            row.put("period", r.period());
            row.put("receivedAt", iso(batch.receivedAt()));
            row.put("status", batch.status());
            row.put("row", r.rowNumber());
            row.put("researchVariablesHeld", new LinkedHashMap<>(r.researchVariables()));
            row.put("identifyingFieldsSealedInVault", r.sealed() != null);
            row.put("identifyingFieldsReceived", r.sealed() == null ? List.of()
                    : fieldsReceived(r.intakeId(), r.rowNumber(), batch.dataKeyId(), r.sealed()));
            row.put("councilDataDestroyedAt", iso(batch.councilDataDestroyedAt()));
            row.put("linkedDataDestroyedAt", iso(batch.linkedDataDestroyedAt()));
            records.add(row);
        }
        return records;
    }

    private Map<String, Object> extract(Extracts.Carried e) {
        Map<String, Object> extract = new LinkedHashMap<>();
        extract.put("extract", e.id());
        extract.put("department", e.departmentCode());
        extract.put("file", e.fileName());
        extract.put("status", e.status());
        extract.put("sentAt", iso(e.sentAt()));
        extract.put("batch", e.intakeId());
        // As configured now: an extract carries the department's matchFields of the time it was written.
        extract.put("fieldsSent", registry.department(e.departmentCode()).map(d -> {
            List<String> fields = new ArrayList<>(List.of(OWN_TOKEN));
            fields.addAll(d.matchFields());
            return fields;
        }).orElse(List.of(OWN_TOKEN)));
        return extract;
    }

    private static Map<String, Object> returned(ReturnFiles.LinkedReturn r) {
        Map<String, Object> returned = new LinkedHashMap<>();
        returned.put("department", r.departmentCode());
        returned.put("dataset", r.dataset());
        returned.put("file", r.fileName());
        returned.put("receivedAt", iso(r.receivedAt()));
        returned.put("destroyedAt", iso(r.destroyedAt()));
        returned.put("rows", r.rows());
        return returned;
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

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
