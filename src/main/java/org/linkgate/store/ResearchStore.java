package org.linkgate.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.linkgate.audit.PersonSubjects;
import org.linkgate.kernel.FileRows;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The research store's tables ({@code research_record}, {@code research_family}, {@code identity_vault}),
 * owned here, as other features may reach them: one file's rows, for retention to count and destroy.
 */
@Component
public class ResearchStore implements PersonSubjects {

    /** Rows per round trip of a streaming scan: bounds memory on PostgreSQL, which otherwise reads all rows. */
    static final int FETCH_SIZE = 500;

    private final JdbcTemplate jdbc;
    private final JdbcTemplate cursor;

    public ResearchStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.cursor = new JdbcTemplate(java.util.Objects.requireNonNull(jdbc.getDataSource(), "jdbc has no data source"));
        cursor.setFetchSize(FETCH_SIZE);
    }

    public FileRows records(String intakeId) {
        return new FileRows(jdbc, "research_record", "intake_id", intakeId);
    }

    public FileRows families(String intakeId) {
        return new FileRows(jdbc, "research_family", "intake_id", intakeId);
    }

    /** The sealed identities (the only clear identity the gateway keeps, sealed under the batch's data key). */
    public FileRows sealedIdentities(String intakeId) {
        return new FileRows(jdbc, "identity_vault", "intake_id", intakeId);
    }

    /** The council batches that brought this person's research record. */
    @Override
    public List<String> subjectsOf(String pseudoId) {
        return jdbc.queryForList("select distinct intake_id from research_record where pseudo_id = ?", String.class, pseudoId);
    }

    /** The research variables a record holds, in the order subject access lists them (column names). */
    static final List<String> RESEARCH_VARIABLES = List.of("cohort", "sex", "age_band", "identified_month",
            "problem_count", "crime_asb", "education", "children_in_need", "worklessness", "domestic_abuse", "health");

    /** One research record held about a person, with its sealed identity if the vault still holds it (else null). */
    public record HeldRow(String pseudoId, String intakeId, long rowNumber, String councilCode, String period,
                          Map<String, String> researchVariables, byte[] sealed) {
    }

    /** The person ids of the research records a council sent under this {@code person_ref_key}. */
    public Set<String> personIdsOfRef(String councilCode, String personRefKey) {
        return new LinkedHashSet<>(jdbc.queryForList("select distinct pseudo_id from research_record"
                + " where person_ref_key = ? and council_code = ?", String.class, personRefKey, councilCode));
    }

    /**
     * Every research record held under one of these person ids, or (if {@code personRefKey} is not null) sent by
     * the council under that {@code person_ref_key}, by batch and row. Records of batches later rejected too:
     * they still tell what was received.
     */
    public List<HeldRow> heldAbout(String councilCode, String personRefKey, Collection<String> pseudoIds) {
        List<String> where = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        if (personRefKey != null) {
            where.add("(r.person_ref_key = ? and r.council_code = ?)");
            args.add(personRefKey);
            args.add(councilCode);
        }
        if (!pseudoIds.isEmpty()) {
            where.add("r.pseudo_id in (" + String.join(", ", Collections.nCopies(pseudoIds.size(), "?")) + ")");
            args.addAll(pseudoIds);
        }
        if (where.isEmpty()) {
            return List.of();
        }
        return jdbc.query("select r.pseudo_id, r.intake_id, r.row_number, r.council_code, r.period, "
                        + String.join(", ", RESEARCH_VARIABLES.stream().map(c -> "r." + c).toList()) + ", v.sealed"
                        + " from research_record r left join identity_vault v on v.intake_id = r.intake_id"
                        + " and v.row_number = r.row_number where " + String.join(" or ", where)
                        + " order by r.intake_id, r.row_number",
                (rs, n) -> {
                    Map<String, String> held = new LinkedHashMap<>();
                    for (String column : RESEARCH_VARIABLES) {
                        held.put(column, rs.getString(column));
                    }
                    return new HeldRow(rs.getString("pseudo_id"), rs.getString("intake_id"), rs.getLong("row_number"),
                            rs.getString("council_code"), rs.getString("period"), held, rs.getBytes("sealed"));
                }, args.toArray());
    }

    /** One row's sealed identity (AES-GCM under the batch's data key), if the vault still holds it. */
    public Optional<byte[]> sealedIdentity(String intakeId, long rowNumber) {
        return jdbc.query("select sealed from identity_vault where intake_id = ? and row_number = ?",
                (rs, n) -> rs.getBytes(1), intakeId, rowNumber).stream().findFirst();
    }

    /** One person of a batch as an extract needs them: research record and sealed identity (null if gone). */
    public record SentRow(long rowNumber, String pseudoId, String cohort, int ageAtIdentification,
                          String vaultPseudoId, byte[] sealed) {
    }

    /**
     * The first row of each person (pseudo id) of a batch whose age at identification is within
     * {@code [minAge, maxAge]} (either may be null: unbounded), in row order, with its sealed identity:
     * one ordered scan, the age filter applied in SQL so that only admitted people are unsealed, the first
     * admitted row found by the pseudo id index. A cursor: call inside a transaction (PostgreSQL streams
     * only with autocommit off) and close the stream.
     */
    public Stream<SentRow> firstRowPerPerson(String intakeId, Integer minAge, Integer maxAge) {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("select r.row_number, r.pseudo_id, r.cohort, r.age_at_identification,"
                + " v.pseudo_id as vault_pseudo_id, v.sealed"
                + " from research_record r"
                + " left join identity_vault v on v.intake_id = r.intake_id and v.row_number = r.row_number"
                + " where r.intake_id = ?");
        args.add(intakeId);
        ageBounds(sql, args, "r", minAge, maxAge);
        sql.append(" and not exists (select 1 from research_record e where e.pseudo_id = r.pseudo_id"
                + " and e.intake_id = r.intake_id and e.row_number < r.row_number");
        ageBounds(sql, args, "e", minAge, maxAge);
        sql.append(") order by r.row_number");
        return cursor.queryForStream(sql.toString(), (rs, n) -> new SentRow(rs.getLong(1), rs.getString(2),
                rs.getString(3), rs.getInt(4), rs.getString(5), rs.getBytes(6)), args.toArray());
    }

    private static void ageBounds(StringBuilder sql, List<Object> args, String alias, Integer minAge, Integer maxAge) {
        if (minAge != null) {
            sql.append(" and ").append(alias).append(".age_at_identification >= ?");
            args.add(minAge);
        }
        if (maxAge != null) {
            sql.append(" and ").append(alias).append(".age_at_identification <= ?");
            args.add(maxAge);
        }
    }

    /**
     * The person ids linkage gave a batch's rows (its published view {@code linked_person_row}) become
     * those of the batch's research records and sealed identities. Runs in the accepting transaction,
     * before any extract of the batch exists, so no id a department has seen changes. Returns the rows changed in the two.
     */
    public int adoptPersonIds(String intakeId) {
        int changed = 0;
        for (String table : new String[] {"research_record", "identity_vault"}) {
            changed += jdbc.update("update " + table + " set pseudo_id = (select l.person_id from linked_person_row l"
                    + " where l.intake_id = " + table + ".intake_id and l.row_number = " + table + ".row_number)"
                    + " where intake_id = ? and exists (select 1 from linked_person_row l where l.intake_id = " + table
                    + ".intake_id and l.row_number = " + table + ".row_number and l.person_id <> " + table + ".pseudo_id)",
                    intakeId);
        }
        return changed;
    }

    /**
     * Gives the given rows' research records and sealed identities one person id (an ADMIN undoing a merge
     * splits them off again; the caller has checked that no department was sent them). Returns the rows changed.
     */
    public int reassignPersonId(String personId, java.util.Collection<org.linkgate.kernel.BatchRow> rows) {
        List<Object[]> args = rows.stream().map(r -> new Object[] {personId, r.intakeId(), r.rowNumber()}).toList();
        int changed = 0;
        for (String table : new String[] {"research_record", "identity_vault"}) {
            for (int n : jdbc.batchUpdate("update " + table + " set pseudo_id = ? where intake_id = ? and row_number = ?",
                    args)) {
                changed += Math.max(n, 0);
            }
        }
        return changed;
    }
}
