package org.linkgate.linkage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.linkgate.audit.AuditLog;
import org.linkgate.kernel.BulkInsert;
import org.linkgate.pseudonymisation.PseudonymisationKey;
import org.linkgate.pseudonymisation.Pseudonymiser;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Links an accepted batch's rows to the people already in the store, in the transaction that
 * accepts the batch and before its extracts are planned:
 * <ol>
 *   <li>candidate pairs are the pairs of a batch row and an earlier row sharing at least one match key
 *       (blocking: one indexed join on {@code linkage_key}, never all pairs), each with the first
 *       {@link KeyLevel} it shares;</li>
 *   <li>each pair's agreement pattern ({@link Comparison}) is scored by a Fellegi–Sunter model whose
 *       u comes from random pairs (for exact names, the name's own frequency: {@link TermFrequencies}) and
 *       whose λ and m are estimated by EM on the candidates;</li>
 *   <li>pairs at or above {@code linkgate.linkage.match-probability} link (unless
 *       {@link Comparison#vetoed}); pairs between it and {@code linkgate.linkage.review-probability}
 *       are listed for review, unless an operator rejected the two persons before ({@link LinkageDecisions});</li>
 *   <li>linked rows take the earliest person's id; a row linking two earlier persons merges the later
 *       into the earlier (merge forward, {@link PersonMerges}: both ids stay valid, recorded in the audit trail;
 *       never two persons an operator rejected); a new person
 *       keeps its v1 pseudo id unless another person already holds it (same name and date of birth,
 *       a different person), when it gets a fresh keyed id.</li>
 * </ol>
 * The person id is written to the batch's {@code linkage_row}s; the store then takes it for the batch's
 * research records and vault rows ({@code store.ResearchStore#adoptPersonIds}), which no department has
 * seen yet, so an id a department has seen never changes.
 */
@Component
public class BatchLinker {

    /** Rows sampled for u (all pairs among them are compared). */
    static final int U_SAMPLE_ROWS = 800;
    private static final List<String> REVIEW_COLUMNS = List.of("intake_id", "row_number", "person_id", "candidate_id",
            "pattern", "match_weight", "probability", "created_at");
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Pseudonymiser freshIds;
    private final double matchProbability;
    private final double reviewProbability;
    private final ObjectMapper json = new ObjectMapper();
    private final PersonMerges merges;
    private final boolean termFrequency;
    private final TransactionTemplate transactions;

    /** Term-frequency adjustment on (the default). */
    public BatchLinker(JdbcTemplate jdbc, TransactionTemplate transactions, PseudonymisationKey key, AuditLog audit,
                       Clock clock, double matchProbability, double reviewProbability) {
        this(jdbc, transactions, key, audit, clock, matchProbability, reviewProbability, true);
    }

    /** The template's transactions join the one linking runs in (bulk writes, {@link RowUpdates}). */
    @org.springframework.beans.factory.annotation.Autowired
    public BatchLinker(JdbcTemplate jdbc, TransactionTemplate transactions, PseudonymisationKey key, AuditLog audit,
                       Clock clock,
                       @Value("${linkgate.linkage.match-probability:0.95}") double matchProbability,
                       @Value("${linkgate.linkage.review-probability:0.5}") double reviewProbability,
                       @Value("${linkgate.linkage.term-frequency:true}") boolean termFrequency) {
        if (!(reviewProbability > 0 && reviewProbability <= matchProbability && matchProbability < 1)) {
            throw new IllegalArgumentException("need 0 < review-probability <= match-probability < 1");
        }
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.merges = new PersonMerges(jdbc, audit);
        this.freshIds = new Pseudonymiser(new PseudonymisationKey(HexFormat.of().parseHex(
                new Pseudonymiser(key).hash("linkage-key-v2|person-new"))));
        this.matchProbability = matchProbability;
        this.reviewProbability = reviewProbability;
        this.termFrequency = termFrequency;
    }

    /** One candidate pair: a row of the batch and a row of an earlier, linked batch. */
    record Pair(long row, String otherIntake, long otherRow, String otherPerson, int level, int pattern,
                int forenameCount, int surnameCount) {
    }

    /** What linking one batch did, for tests and the benchmark. */
    public record Outcome(long rows, long candidatePairs, long linked, long newPersons, long merges, long review,
                          FellegiSunterModel model, long termFrequencyMillis, Map<String, Long> phaseMillis) {
    }

    /** Wall-clock milliseconds of each phase of one {@link #link}, in order, for the benchmark. */
    private static final class Phases {
        private final Map<String, Long> millis = new java.util.LinkedHashMap<>();
        private long mark = System.nanoTime();

        void end(String phase) {
            long now = System.nanoTime();
            millis.merge(phase, (now - mark) / 1_000_000, Long::sum);
            mark = now;
        }

        Map<String, Long> done() {
            return java.util.Collections.unmodifiableMap(millis);
        }
    }

    /**
     * An accepted batch to link: its council and period (recorded with its model, for the quality figures), and
     * the staged rows the store dropped after staging (later duplicates of a person_ref), which are not linked.
     */
    public record Batch(String intakeId, String councilCode, String period, java.util.Collection<Long> droppedRows) {
        public Batch {
            java.util.Objects.requireNonNull(intakeId, "intakeId");
            droppedRows = List.copyOf(droppedRows);
        }
    }

    /** Links a batch that dropped no staged row, of no named council or period (tests, the benchmark). */
    public Outcome link(String intakeId) {
        return link(new Batch(intakeId, null, null, List.of()));
    }

    /**
     * Links one batch and writes each row's person id to {@code linkage_row} (published as the view
     * {@code linked_person_row}): the caller has the store take them ({@code store.ResearchStore#adoptPersonIds}).
     */
    public Outcome link(Batch batch) {
        String intakeId = batch.intakeId();
        // Decisions on review pairs wait for this batch, and this batch sees every decision committed before.
        Phases phases = new Phases();
        merges.lockLinkage();
        Instant now = clock.instant();
        if (!batch.droppedRows().isEmpty()) {
            MatchKeys.forgetRows(jdbc, intakeId, batch.droppedRows());
        }

        // Memory is bounded by the candidates, not the batch: only rows sharing a key are read into Java.
        Long batchCount = jdbc.queryForObject("select count(*) from linkage_row where intake_id = ?", Long.class, intakeId);
        long batchRows = batchCount == null ? 0 : batchCount;
        Map<String, Comparison.Prepared> earlier = new HashMap<>();
        long termsStarted = System.nanoTime();
        TermFrequencies terms = termFrequency ? TermFrequencies.of(jdbc, intakeId) : TermFrequencies.NONE;
        long termFrequencyMillis = (System.nanoTime() - termsStarted) / 1_000_000;
        phases.end("term frequencies");
        // Canonical (surviving) id and first-seen time of every earlier person a candidate points to, read
        // in the same join as the candidates.
        Map<String, Person> persons = new HashMap<>();
        List<Pair> pairs = candidatePairs(intakeId, earlier, terms, persons);
        phases.end("candidate pairs");
        Map<Integer, Long> patterns = new HashMap<>();
        pairs.forEach(p -> patterns.merge(p.pattern(), 1L, Long::sum));
        FellegiSunterModel trained = FellegiSunterModel.priors().withU(randomPatterns(intakeId, batchRows))
                .trainedOn(patterns, pairs.size());
        // The matches EM expects among the candidates, spread over every pair of batch row and earlier row.
        // Linked rows of the whole store, less this batch's (none yet): the first count can be read from the
        // person index alone (index-only once vacuumed), where "intake_id <> ?" read every row of the store.
        Long linkedRows = jdbc.queryForObject("select count(*) from linkage_row where person_id is not null", Long.class);
        Long ownLinked = jdbc.queryForObject("select count(*) from linkage_row where intake_id = ? and person_id is not null",
                Long.class, intakeId);
        long earlierRows = (linkedRows == null ? 0 : linkedRows) - (ownLinked == null ? 0 : ownLinked);
        double allPairs = (double) Math.max(1, batchRows) * Math.max(1, earlierRows);
        FellegiSunterModel model = trained.withLambda(Math.min(0.5, Math.max(1e-12,
                trained.lambda() * pairs.size() / allPairs)));

        phases.end("model");

        // Pairs of persons an operator rejected from review: never merged, never listed again.
        Set<String> nonLinks = merges.nonLinks();
        UnionFind components = new UnionFind();
        Map<Long, Best> bestEarlier = new HashMap<>();
        Map<Long, Best> bestReview = new HashMap<>();
        Map<Long, List<Link>> linksByRow = new HashMap<>();
        for (Pair p : pairs) {
            int[] g = Comparison.decode(p.pattern());
            double weight = model.weight(g, terms.u(p.forenameCount(), model.u(Comparison.Field.FORENAME, 3)),
                    terms.u(p.surnameCount(), model.u(Comparison.Field.SURNAME, 3)));
            double probability = FellegiSunterModel.probabilityOf(weight);
            String canonical = persons.get(p.otherPerson()).canonical();
            Best candidate = new Best(canonical, probability, p.level(), p.pattern(), weight, p.otherPerson());
            if (probability >= matchProbability && !Comparison.vetoed(g)) {
                linksByRow.computeIfAbsent(p.row(), k -> new ArrayList<>())
                        .add(new Link(candidate, p.otherIntake() + "|" + p.otherRow()));
            } else if (probability >= reviewProbability) {
                bestReview.merge(p.row(), candidate, Best::better);
            }
        }
        for (Map.Entry<Long, List<Link>> e : linksByRow.entrySet()) {
            List<Link> links = new ArrayList<>(e.getValue());
            links.sort((a, b) -> Double.compare(b.best().probability(), a.best().probability()));
            Link first = links.get(0);
            bestEarlier.put(e.getKey(), first.best());
            components.union("r" + e.getKey(), "p" + first.best().person());
            // A second earlier person is merged in only if, beside both strong links, it and the first are
            // alike on their own (at least the review probability, not vetoed): else one noisy row would
            // bridge two people.
            for (Link other : links.subList(1, links.size())) {
                if (!other.best().person().equals(first.best().person())) {
                    int[] g = Comparison.pattern(earlier.get(first.row()), earlier.get(other.row()));
                    if (model.probability(g) >= reviewProbability && !Comparison.vetoed(g)
                            && !components.separated("r" + e.getKey(), "p" + other.best().person(), nonLinks)) {
                        components.union("r" + e.getKey(), "p" + other.best().person());
                    }
                }
            }
        }

        // Each component takes the id of its earliest earlier person.
        Map<String, String> componentId = new HashMap<>();
        Map<String, List<String>> componentPersons = new HashMap<>();
        for (Person person : persons.values()) {
            String node = "p" + person.canonical();
            if (components.contains(node)) {
                componentPersons.computeIfAbsent(components.find(node), k -> new ArrayList<>()).add(person.canonical());
            }
        }
        long merges = 0;
        for (Map.Entry<String, List<String>> e : componentPersons.entrySet()) {
            List<String> ids = e.getValue().stream().distinct()
                    .sorted((a, b) -> persons.get(a).compareTo(persons.get(b))).toList();
            String survivor = ids.get(0);
            componentId.put(e.getKey(), survivor);
            for (String later : ids.subList(1, ids.size())) {
                merges++;
                this.merges.mergeForward(later, survivor, now, intakeId, "linkage", null);
            }
        }
        phases.end("scoring and merges");
        // Staged in bulk and applied by one set-based update (RowUpdates), not one statement per row.
        RowUpdates updates = new RowUpdates(jdbc, transactions, intakeId);
        for (Map.Entry<Long, Best> e : bestEarlier.entrySet()) {
            Best best = e.getValue();
            String id = componentId.get(components.find("r" + e.getKey()));
            // Rows linked through a person merged forward remember it, so undoing that merge can split them off.
            updates.link(e.getKey(), id, best.level(), best.probability(), id.equals(best.via()) ? null : best.via());
        }
        // A new person keeps its v1 pseudo id, unless an earlier person holds it or an earlier row of this
        // batch does (same name and date of birth, a different person): then a fresh keyed id.
        jdbc.query("select x.row_number from (select l.row_number, l.v1_id,"
                + " row_number() over (partition by l.v1_id order by l.row_number) as nth"
                + " from linkage_row l where l.intake_id = ?) x"
                + " where x.nth > 1 or exists (select 1 from linkage_person p where p.person_id = x.v1_id)", rs -> {
            long row = rs.getLong(1);
            if (!bestEarlier.containsKey(row)) {
                updates.link(row, freshIds.hash("person-new-v2|" + intakeId + "|" + row), null, null, null);
            }
        }, intakeId);
        updates.applyLinks();
        jdbc.update("update linkage_row set person_id = v1_id where intake_id = ? and person_id is null", intakeId);
        int newPersons = jdbc.update("insert into linkage_person (person_id, first_intake_id, first_seen_at)"
                + " select distinct l.person_id, cast(? as varchar(36)), cast(? as timestamp with time zone)"
                + " from linkage_row l where l.intake_id = ?"
                + " and not exists (select 1 from linkage_person p where p.person_id = l.person_id)",
                intakeId, Timestamp.from(now), intakeId);
        phases.end("person ids written");
        // Grey-zone rows: the best unlinked candidate, for review and for the missed-match estimate.
        Map<Long, String> assigned = personsOf(intakeId, bestReview.keySet());
        BulkInsert review = new BulkInsert(jdbc.getDataSource(), transactions, "linkage_review", REVIEW_COLUMNS, 50_000);
        java.time.OffsetDateTime listedAt = now.atOffset(java.time.ZoneOffset.UTC);
        // Survivors after this batch's merges, so a pair made one person here, or rejected before, is not listed.
        java.util.function.UnaryOperator<String> survivorNow = person -> components.contains("p" + person)
                ? componentId.getOrDefault(components.find("p" + person), person) : person;
        Set<String> separatedNow = new HashSet<>();
        nonLinks.forEach(k -> {
            String[] ab = k.split("\\|");
            separatedNow.add(PersonMerges.pairKey(survivorNow.apply(ab[0]), survivorNow.apply(ab[1])));
        });
        for (Map.Entry<Long, Best> e : bestReview.entrySet()) {
            Best best = e.getValue();
            String id = assigned.get(e.getKey());
            String candidate = survivorNow.apply(best.person());
            if (!candidate.equals(id) && (id == null || !separatedNow.contains(PersonMerges.pairKey(id, candidate)))) {
                int[] g = Comparison.decode(best.pattern());
                review.add(intakeId, e.getKey(), id, candidate, Comparison.describe(g),
                        best.weight(), best.probability(), listedAt);
                if (!bestEarlier.containsKey(e.getKey())) {
                    updates.grey(e.getKey(), best.probability());
                }
            }
        }
        review.flush();
        updates.applyGrey();
        phases.end("review listed");
        storeModel(batch, now, pairs.size(), model, trained.lambda());
        new LinkageFigures(jdbc).recordBatch(intakeId);
        phases.end("model and figures recorded");
        return new Outcome(batchRows, pairs.size(), bestEarlier.size(), newPersons, merges, review.written(), model,
                termFrequencyMillis, phases.done());
    }

    private Map<Long, String> personsOf(String intakeId, Set<Long> rows) {
        Map<Long, String> out = new HashMap<>();
        List<Long> all = new ArrayList<>(rows);
        for (int i = 0; i < all.size(); i += 500) {
            List<Long> chunk = all.subList(i, Math.min(all.size(), i + 500));
            List<Object> args = new ArrayList<>();
            args.add(intakeId);
            args.addAll(chunk);
            jdbc.query("select row_number, person_id from linkage_row where intake_id = ? and row_number in ("
                    + String.join(",", java.util.Collections.nCopies(chunk.size(), "?")) + ")",
                    rs -> {
                        out.put(rs.getLong(1), rs.getString(2));
                    }, args.toArray());
        }
        return out;
    }

    /** The best candidate of a row: its person, probability, key level and pattern. */
    record Best(String person, double probability, int level, int pattern, double weight, String via) {
        Best better(Best other) {
            return other.probability > probability ? other : this;
        }
    }

    /** A link of a batch row to an earlier row (intake|row) of a person. */
    record Link(Best best, String row) {
    }

    /** An earlier person as a candidate sees it: its surviving id and when that was first seen. */
    record Person(String id, String canonical, Instant firstSeen) implements Comparable<Person> {
        @Override
        public int compareTo(Person o) {
            int c = firstSeen.compareTo(o.firstSeen);
            return c != 0 ? c : canonical.compareTo(o.canonical);
        }
    }

    /**
     * Pairs sharing a match key, each once with the strictest level it shares: batch rows against
     * rows already linked (of accepted batches). Rows of one batch are not linked with each other: a
     * council lists a person once (person_ref is unique in a file), and chaining look-alikes inside a
     * batch through one link to an earlier person was the main source of false matches measured.
     * Blocking is one indexed equi-join, read once: each candidate pair comes with both rows' tokens
     * (a row's tokens are kept once, however many pairs it is in), so the batch's keys are joined
     * with the store's a single time.
     */
    private List<Pair> candidatePairs(String intakeId, Map<String, Comparison.Prepared> earlier,
                                      TermFrequencies terms, Map<String, Person> persons) {
        Map<Long, Comparison.Prepared> batch = new HashMap<>();
        Map<String, String> earlierPerson = new HashMap<>();
        List<Pair> pairs = new ArrayList<>();
        jdbc.query("select c.n_row, c.lvl, " + columns("l", "n_") + ", " + columns("o", "o_") + ", o.intake_id as o_intake,"
                + " o.row_number as o_row, coalesce(o.linked_via, o.person_id) as o_person,"
                + " coalesce(p.merged_into, p.person_id) as o_canonical, s.first_seen_at as o_first_seen from"
                + " (select n.row_number as n_row, min(n.key_level) as lvl, k.intake_id as o_intake, k.row_number as o_row"
                + "  from linkage_key n join linkage_key k on k.key_level = n.key_level and k.key_hash = n.key_hash"
                + "  where n.intake_id = ? and k.intake_id <> n.intake_id"
                + "  group by n.row_number, k.intake_id, k.row_number) c"
                + " join linkage_row l on l.intake_id = ? and l.row_number = c.n_row"
                // Earlier rows: only those of batches already linked (person_id set).
                + " join linkage_row o on o.intake_id = c.o_intake and o.row_number = c.o_row and o.person_id is not null"
                + " join linkage_person p on p.person_id = coalesce(o.linked_via, o.person_id)"
                + " join linkage_person s on s.person_id = coalesce(p.merged_into, p.person_id)",
                rs -> {
                    long row = rs.getLong("n_row");
                    String key = rs.getString("o_intake") + "|" + rs.getLong("o_row");
                    Comparison.Prepared mine = batch.get(row);
                    if (mine == null) {
                        mine = Comparison.Prepared.of(record(rs, "n_"));
                        batch.put(row, mine);
                    }
                    Comparison.Prepared other = earlier.get(key);
                    if (other == null) {
                        other = Comparison.Prepared.of(record(rs, "o_"));
                        earlier.put(key, other);
                        String person = rs.getString("o_person");
                        earlierPerson.put(key, person);
                        if (!persons.containsKey(person)) {
                            String canonical = rs.getString("o_canonical");
                            Instant firstSeen = rs.getTimestamp("o_first_seen").toInstant();
                            persons.put(person, new Person(person, canonical, firstSeen));
                            // A survivor compares by its own first-seen time: index the canonical id as well.
                            persons.putIfAbsent(canonical, new Person(canonical, canonical, firstSeen));
                        }
                    }
                    String fn = mine.r().forename();
                    String sn = mine.r().surname();
                    pairs.add(new Pair(row, rs.getString("o_intake"), rs.getLong("o_row"), earlierPerson.get(key),
                            rs.getInt("lvl"), Comparison.encode(Comparison.pattern(mine, other)),
                            fn.equals(other.r().forename()) ? terms.forenameCount(fn) : 0,
                            sn.equals(other.r().surname()) ? terms.surnameCount(sn) : 0));
                }, intakeId, intakeId);
        return pairs;
    }

    /** The token columns of {@code linkage_row} under alias {@code table}, each renamed with {@code prefix}. */
    private static String columns(String table, String prefix) {
        return ComparisonRecord.COLUMNS.stream().map(c -> table + "." + c + " as " + prefix + c)
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** Patterns of all pairs among a spread sample of this batch's rows and of earlier linked rows. */
    private Map<Integer, Long> randomPatterns(String intakeId, long rows) {
        List<Comparison.Prepared> sample = new ArrayList<>();
        long step = Math.max(1, rows / (U_SAMPLE_ROWS / 2));
        jdbc.query("select * from linkage_row where intake_id = ? and mod(row_number, ?) = 0",
                rs -> {
                    if (sample.size() < U_SAMPLE_ROWS / 2) {
                        sample.add(Comparison.Prepared.of(record(rs, "")));
                    }
                }, intakeId, step);
        jdbc.query("select * from linkage_row where person_id is not null and intake_id <> ? limit ?",
                rs -> {
                    sample.add(Comparison.Prepared.of(record(rs, "")));
                }, intakeId, U_SAMPLE_ROWS / 2);
        Map<Integer, Long> patterns = new HashMap<>();
        for (int i = 0; i < sample.size(); i++) {
            for (int j = i + 1; j < sample.size(); j++) {
                patterns.merge(Comparison.encode(Comparison.pattern(sample.get(i), sample.get(j))), 1L, Long::sum);
            }
        }
        return patterns;
    }

    private void storeModel(Batch batch, Instant now, long pairs, FellegiSunterModel model, double candidateLambda) {
        String intakeId = batch.intakeId();
        try {
            Map<String, Object> described = new java.util.LinkedHashMap<>(model.describe());
            described.put("lambdaAmongCandidates", candidateLambda);
            jdbc.update("delete from linkage_model where intake_id = ?", intakeId);
            jdbc.update("insert into linkage_model (intake_id, council_code, period, estimated_at, candidate_pairs,"
                    + " em_iterations, model_json) values (?, ?, ?, ?, ?, ?, ?)", intakeId, batch.councilCode(),
                    batch.period(), Timestamp.from(now), pairs, model.iterations(), json.writeValueAsString(described));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("linkage model could not be written", e);
        }
    }

    static ComparisonRecord record(ResultSet rs, String prefix) throws SQLException {
        return new ComparisonRecord(rs.getString(prefix + "fn"), rs.getString(prefix + "fn_phonetic"),
                rs.getString(prefix + "fn_root"), rs.getString(prefix + "fn_edits"), rs.getString(prefix + "sn"),
                rs.getString(prefix + "sn_phonetic"), rs.getString(prefix + "sn_edits"), rs.getString(prefix + "dob"),
                rs.getString(prefix + "dob_swap"), rs.getString(prefix + "dob_parts"), rs.getString(prefix + "sex"),
                rs.getString(prefix + "pc"), rs.getString(prefix + "pc_district"), rs.getString(prefix + "nhs"),
                rs.getString(prefix + "fn_as_sn"), rs.getString(prefix + "fn_as_sn_edits"));
    }

    /**
     * Union–find over string nodes ("r<row>" for batch rows, "p<id>" for earlier persons), knowing the
     * persons in each component so a join an operator ruled out can be refused.
     */
    static final class UnionFind {
        private final Map<String, String> parent = new HashMap<>();
        private final Map<String, Set<String>> persons = new HashMap<>();

        boolean contains(String node) {
            return parent.containsKey(node);
        }

        String find(String node) {
            if (parent.putIfAbsent(node, node) == null && node.startsWith("p")) {
                persons.computeIfAbsent(node, k -> new HashSet<>()).add(node.substring(1));
            }
            String root = node;
            while (!parent.get(root).equals(root)) {
                root = parent.get(root);
            }
            while (!parent.get(node).equals(root)) {
                String next = parent.get(node);
                parent.put(node, root);
                node = next;
            }
            return root;
        }

        void union(String a, String b) {
            String ra = find(a);
            String rb = find(b);
            if (!ra.equals(rb)) {
                parent.put(ra, rb);
                Set<String> moved = persons.remove(ra);
                if (moved != null) {
                    persons.computeIfAbsent(rb, k -> new HashSet<>()).addAll(moved);
                }
            }
        }

        /** Whether joining the components of a and b would make one person of a pair in nonLinks. */
        boolean separated(String a, String b, Set<String> nonLinks) {
            if (nonLinks.isEmpty()) {
                return false;
            }
            Set<String> left = persons.getOrDefault(find(a), Set.of());
            Set<String> right = persons.getOrDefault(find(b), Set.of());
            for (String x : left) {
                for (String y : right) {
                    if (!x.equals(y) && nonLinks.contains(PersonMerges.pairKey(x, y))) {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
