package org.linkgate.linkage;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.linkgate.store.ResearchStore;
import org.linkgate.audit.AuditLog;
import org.linkgate.pseudonymisation.PseudonymisationKey;
import org.linkgate.pseudonymisation.Pseudonymiser;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A linkage store on a real database: batches of {@link NoisyPopulation.Row}s are staged as intake
 * would stage them (research record, then match keys from the clear identity), accepted and linked.
 */
final class LinkageStoreFixture {

    final JdbcTemplate jdbc;
    final TransactionTemplate transactions;
    final PseudonymisationKey key = new PseudonymisationKey(new byte[] {
            9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22});
    final MatchKeys matchKeys;
    final BatchLinker linker;
    final Map<String, Map<Long, Integer>> truthByIntake = new HashMap<>();
    private long clockSeconds = 1_700_000_000L;
    /** What the last {@link #acceptAndLink} did, and how long linking (not staging) took. */
    BatchLinker.Outcome lastOutcome;
    long lastLinkMillis;
    private final Pseudonymiser v1;
    /** Run inside the linking transaction, after linking and before it commits (for races), if set. */
    Runnable whileLinking;

    LinkageStoreFixture(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.matchKeys = new MatchKeys(key, jdbc, transactions);
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochSecond(clockSeconds);
            }
        };
        // -Dlinkage.termFrequency=false measures without term-frequency adjustment.
        this.linker = new BatchLinker(jdbc, transactions, key, new AuditLog(jdbc, clock), clock, 0.95, 0.5,
                !"false".equals(System.getProperty("linkage.termFrequency")));
        this.v1 = new Pseudonymiser(key);
    }

    /** Stages, accepts and links one batch; returns its intake id. */
    String acceptAndLink(String cohortSplit, List<NoisyPopulation.Row> rows) {
        clockSeconds += 86_400;
        String intakeId = UUID.randomUUID().toString();
        jdbc.update("insert into intake_file (id, council_code, file_name, sha256, size_bytes, period, status, received_at)"
                + " values (?, 'E10000012', ?, ?, 1, '2026-01', 'ACCEPTED', ?)", intakeId, intakeId + ".csv.gpg",
                intakeId.replace("-", ""), Timestamp.from(Instant.ofEpochSecond(clockSeconds)));
        MatchKeys.Staging staging = matchKeys.forBatch(intakeId);
        List<Object[]> records = new ArrayList<>();
        Map<Long, Integer> truth = new HashMap<>();
        long rowNumber = 0;
        for (NoisyPopulation.Row row : rows) {
            rowNumber++;
            truth.put(rowNumber, row.truth());
            String pseudoId = v1.personId(row.identity().forename(), row.identity().surname(),
                    LocalDate.parse(row.identity().dateOfBirth()));
            String cohort = (row.truth() % 2 == 0) == cohortSplit.equals("even") ? "TREATMENT" : "COMPARISON";
            records.add(new Object[] {intakeId, rowNumber, pseudoId, "f" + row.truth(), "r" + rowNumber, cohort,
                    row.identity().sex()});
            staging.add(rowNumber, row.identity(), pseudoId, cohort);
        }
        staging.flush();
        jdbc.batchUpdate("insert into research_record (intake_id, row_number, pseudo_id, family_pseudo_id, person_ref_key,"
                + " council_code, period, cohort, sex, age_at_identification, age_band, identified_month, crime_asb,"
                + " education, children_in_need, worklessness, domestic_abuse, health, problem_count,"
                + " pseudonymisation_version) values (?, ?, ?, ?, ?, 'E10000012', '2026-01', ?, ?, 30, '25-34',"
                + " '2026-01', 0, 0, 0, 0, 0, 0, 0, 'v1')", records);
        List<Object[]> vault = records.stream().map(r -> new Object[] {r[0], r[1], r[2], new byte[] {1}}).toList();
        jdbc.batchUpdate("insert into identity_vault (intake_id, row_number, pseudo_id, sealed) values (?, ?, ?, ?)", vault);
        truthByIntake.put(intakeId, truth);
        long started = System.nanoTime();
        lastOutcome = transactions.execute(tx -> {
            BatchLinker.Outcome outcome = linker.link(intakeId);
            new ResearchStore(jdbc).adoptPersonIds(intakeId);
            if (whileLinking != null) {
                whileLinking.run();
            }
            return outcome;
        });
        lastLinkMillis = (System.nanoTime() - started) / 1_000_000;
        return intakeId;
    }

    /** Each row's surviving person id (merged ids resolved), by intake and row. */
    Map<String, Map<Long, String>> canonicalIds() {
        Map<String, Map<Long, String>> out = new HashMap<>();
        jdbc.query("select r.intake_id, r.row_number, coalesce(p.merged_into, r.pseudo_id) as person"
                + " from research_record r left join linkage_person p on p.person_id = r.pseudo_id", rs -> {
            out.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getLong(2), rs.getString(3));
        });
        return out;
    }

    /**
     * Precision and recall over every pair of rows from different batches: same person id (predicted)
     * against same truth. Counted from group sizes, so it is linear in the rows, not quadratic.
     */
    double[] precisionRecall() {
        Map<String, Map<Long, String>> ids = canonicalIds();
        Map<String, Map<String, Long>> both = new HashMap<>();
        Map<String, Map<String, Long>> byTruth = new HashMap<>();
        Map<String, Map<String, Long>> byPredicted = new HashMap<>();
        ids.forEach((intake, byRow) -> byRow.forEach((row, person) -> {
            String truth = String.valueOf(truthByIntake.get(intake).get(row));
            both.computeIfAbsent(intake, k -> new HashMap<>()).merge(truth + "|" + person, 1L, Long::sum);
            byTruth.computeIfAbsent(intake, k -> new HashMap<>()).merge(truth, 1L, Long::sum);
            byPredicted.computeIfAbsent(intake, k -> new HashMap<>()).merge(person, 1L, Long::sum);
        }));
        long tp = crossPairs(both);
        long predicted = crossPairs(byPredicted);
        long actual = crossPairs(byTruth);
        return new double[] {predicted == 0 ? 0 : (double) tp / predicted, actual == 0 ? 0 : (double) tp / actual,
                tp, predicted - tp, actual - tp};
    }

    /** Pairs of rows from two different intakes that fall in the same group. */
    private static long crossPairs(Map<String, Map<String, Long>> groupsByIntake) {
        List<String> intakes = new ArrayList<>(groupsByIntake.keySet());
        long pairs = 0;
        for (int i = 0; i < intakes.size(); i++) {
            for (int j = i + 1; j < intakes.size(); j++) {
                Map<String, Long> a = groupsByIntake.get(intakes.get(i));
                Map<String, Long> b = groupsByIntake.get(intakes.get(j));
                for (Map.Entry<String, Long> e : a.entrySet()) {
                    pairs += e.getValue() * b.getOrDefault(e.getKey(), 0L);
                }
            }
        }
        return pairs;
    }
}
