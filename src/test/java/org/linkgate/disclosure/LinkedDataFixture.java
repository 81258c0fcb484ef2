package org.linkgate.disclosure;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import javax.sql.DataSource;
import org.linkgate.pseudonymisation.AgeBand;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Synthetic linked data written straight into the store tables (research records of accepted
 * batches and rows of accepted returns), with the people kept in memory so a test can count the
 * expected cells independently of the SQL. Skewed on purpose: a few people in rare groups (old
 * ages, sex U, the second council) so tables have small cells to suppress.
 */
final class LinkedDataFixture {

    /** One synthetic person and what came back for them: {department, dataset, json} per record. */
    record Person(String pseudoId, String council, String period, String cohort, String sex, int age,
                  int[] flags, List<String[]> returns) {
        String ageBand() {
            return AgeBand.of(age).label();
        }

        int problemCount() {
            int n = 0;
            for (int f : flags) {
                n += f;
            }
            return n;
        }
    }

    final List<Person> people = new ArrayList<>();
    /** The accepted return file of the last batch (one per batch, holding every department's rows). */
    String lastReturnId;
    private final JdbcTemplate jdbc;
    private final Random random;

    LinkedDataFixture(DataSource dataSource, long seed) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.random = new Random(seed);
    }

    /** Generates {@code count} people for one council batch and stores them; returns the batch's intake id. */
    String batch(String council, String period, int count, String status) {
        String intakeId = UUID.randomUUID().toString();
        jdbc.update("insert into intake_file (id, council_code, file_name, sha256, size_bytes, period, status, received_at)"
                        + " values (?, ?, ?, ?, 0, ?, ?, ?)", intakeId, council, council + "_" + period + "_" + intakeId.substring(0, 4)
                        + ".csv.gpg", hex(32), period, status, Timestamp.from(Instant.now()));
        String returnId = UUID.randomUUID().toString();
        jdbc.update("insert into return_file (id, department_code, dataset, file_name, sha256, size_bytes, status, received_at)"
                + " values (?, 'ALL', 'ALL', ?, ?, 0, 'ACCEPTED', ?)", returnId, "returns-" + returnId, hex(32),
                Timestamp.from(Instant.now()));
        lastReturnId = returnId;
        List<Object[]> records = new ArrayList<>();
        List<Object[]> families = new ArrayList<>();
        List<Object[]> returned = new ArrayList<>();
        for (int row = 1; row <= count; row++) {
            Person p = person(council, period);
            if (!"ACCEPTED".equals(status) && !"PARTIAL".equals(status)) {
                // staged only: never part of the linked dataset, so not an expected person either
            } else {
                people.add(p);
            }
            String family = hex(32);
            records.add(new Object[] {intakeId, row, p.pseudoId(), family, hex(32), council, period, p.cohort(), p.sex(),
                    p.age(), p.ageBand(), period, p.flags()[0], p.flags()[1], p.flags()[2], p.flags()[3], p.flags()[4],
                    p.flags()[5], p.problemCount(), "v1"});
            families.add(new Object[] {intakeId, family, 1});
            for (String[] r : p.returns()) {
                returned.add(new Object[] {returnId, returned.size() + 1, r[0], r[1], p.pseudoId(), r[2]});
            }
        }
        jdbc.batchUpdate("insert into research_record (intake_id, row_number, pseudo_id, family_pseudo_id, person_ref_key,"
                + " council_code, period, cohort, sex, age_at_identification, age_band, identified_month, crime_asb, education,"
                + " children_in_need, worklessness, domestic_abuse, health, problem_count, pseudonymisation_version)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", records);
        jdbc.batchUpdate("insert into research_family (intake_id, family_pseudo_id, family_size) values (?, ?, ?)", families);
        jdbc.batchUpdate("insert into return_record (return_id, row_number, department_code, dataset, pseudo_id, data)"
                + " values (?, ?, ?, ?, ?, ?)", returned);
        return intakeId;
    }

    /** Records an extract for the batch with the given status and makes the last batch's return its return. */
    String extract(String intakeId, String period, String status) {
        String extractId = UUID.randomUUID().toString().replace("-", "");
        jdbc.update("insert into extract (id, department_code, intake_id, council_code, period, file_name, status,"
                + " created_at) values (?, 'MOJ', ?, (select council_code from intake_file where id = ?), ?, ?, ?, ?)",
                extractId, intakeId, intakeId, period, "MOJ_" + period + "_" + extractId + ".csv.pgp",
                status, Timestamp.from(Instant.now()));
        jdbc.update("update return_file set extract_id = ?, rows_accepted = 10 where id = ?", extractId, lastReturnId);
        return extractId;
    }

    /** A rejected return for some already stored people: must never count. */
    void rejectedReturn(String department, String dataset, String json, int people) {
        String returnId = UUID.randomUUID().toString();
        jdbc.update("insert into return_file (id, department_code, dataset, file_name, sha256, size_bytes, status, received_at)"
                + " values (?, ?, ?, ?, ?, 0, 'REJECTED', ?)", returnId, department, dataset, "rejected-" + returnId, hex(32),
                Timestamp.from(Instant.now()));
        for (int i = 0; i < people; i++) {
            jdbc.update("insert into return_record (return_id, row_number, department_code, dataset, pseudo_id, data)"
                    + " values (?, ?, ?, ?, ?, ?)", returnId, i + 1, department, dataset, this.people.get(i).pseudoId(), json);
        }
    }

    private Person person(String council, String period) {
        String cohort = random.nextInt(5) < 3 ? "TREATMENT" : "COMPARISON";
        int sexDraw = random.nextInt(100);
        String sex = sexDraw < 2 ? "U" : sexDraw < 52 ? "F" : "M";
        int ageDraw = random.nextInt(100);
        int age = ageDraw < 2 ? 66 + random.nextInt(10) : ageDraw < 40 ? 5 + random.nextInt(13) : 18 + random.nextInt(40);
        int[] flags = new int[6];
        for (int f = 0; f < 6; f++) {
            flags[f] = random.nextInt(3) == 0 ? 1 : 0;
        }
        List<String[]> returns = new ArrayList<>();
        int offences = random.nextInt(10) < 3 ? 1 + random.nextInt(3) : 0; // several rows for one person
        for (int i = 0; i < offences; i++) {
            returns.add(new String[] {"MOJ", "PNC", "{\"offence_date\":\"2015-01-02\",\"offence_group\":\"THEFT\",\"disposal\":\"FINE\"}"});
        }
        if (random.nextInt(10) < 4) {
            returns.add(new String[] {"DWP", "WPLS", "{\"benefit_type\":\"JSA\",\"spell_start\":\"2014-03-01\",\"spell_end\":null}"});
        }
        if (random.nextInt(10) < 7) {
            int possible = 300;
            // around the 10% boundary on purpose: 29 (not persistent), 30 (persistent), others
            int absent = switch (random.nextInt(4)) {
                case 0 -> 29;
                case 1 -> 30;
                default -> random.nextInt(120);
            };
            returns.add(new String[] {"DFE", "NPD", "{\"academic_year\":\"2014-15\",\"sessions_possible\":" + possible
                    + ",\"sessions_absent\":" + absent + ",\"exclusions\":0}"});
        }
        if (random.nextInt(10) < 3) {
            String method = random.nextBoolean() ? "EMERGENCY" : "ELECTIVE";
            returns.add(new String[] {"HSCIC", "HES", "{\"admission_date\":\"2015-02-03\",\"admission_method\":\"" + method
                    + "\",\"length_of_stay\":2}"});
        }
        return new Person(hex(32), council, period, cohort, sex, age, flags, returns);
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
