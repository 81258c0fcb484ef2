package org.linkgate.returns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.linkgate.agreement.Department;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.PgpDecryptVerifier;
import org.linkgate.crypto.PgpLimits;
import org.linkgate.crypto.PgpVerificationException;
import org.linkgate.crypto.VerifiedPlaintext;
import org.linkgate.kernel.Causes;
import org.linkgate.kernel.DataKeyStore;
import org.linkgate.kernel.LinkgateProperties;
import org.linkgate.validation.ColumnSpec;
import org.linkgate.validation.CsvBatchReader;
import org.linkgate.validation.CsvLimits;
import org.linkgate.validation.CsvRow;
import org.linkgate.validation.DatasetSchema;
import org.linkgate.validation.DatasetSchemaLoader;
import org.linkgate.validation.HeaderCheck;
import org.linkgate.validation.MalformedBatchException;
import org.linkgate.validation.RowProblem;
import org.linkgate.validation.RowValidator;
import org.linkgate.validation.RuleSpec;
import org.linkgate.validation.RuleType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.StreamUtils;

/**
 * Takes one department return through decrypt, verify, validate, guard, map and stage in a
 * single streaming pass, as {@code BatchIngestor} does for council files. Input: the file, its
 * ledger id ({@code return_file.id}, created by the caller), the department, its parsed name and
 * the gateway key. Output: a {@link ReturnOutcome}; rows of an accepted return are staged in
 * {@code return_record} under the linkage pseudo_id, a rejected return's staged rows are deleted.
 * The caller records the outcome (return file and extract status, incident) in its own final
 * transaction; the linked dataset reads only ACCEPTED returns, so nothing counts before that.
 * Memory stays flat: rows are mapped and staged per batch through primary keys.
 * Failures: unexpected I/O or store errors propagate (the caller retries or quarantines).
 */
@Component
public class ReturnFileProcessor {

    /** {@code extract.last_error} of an extract withdrawn because its council data was destroyed (retention). */
    public static final String DATA_DESTROYED = "data destroyed";
    static final int BATCH = 500;
    static final int MAX_LISTED_FINDINGS = 1000;
    private static final int PURGE_CHUNK = 10_000;
    private static final String PSEUDO_ID = "pseudo_id";
    private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final ZoneId UK = ZoneId.of("Europe/London");
    /** A header's bytes: UTF-8 needs at most four per character of the longest record allowed. */
    private static final int MAX_HEADER_BYTES = CsvLimits.DEFAULTS.maxRecordChars() * 4;

    /** Bounds on one return's decrypted content. */
    public record Limits(long maxPlaintextBytes, long maxCompressionRatio) {
        /** The council intake's limits: a return is no larger than the extract it answers. */
        public static Limits of(LinkgateProperties properties) {
            return new Limits(properties.intake().maxPlaintextSize().toBytes(), properties.intake().maxCompressionRatio());
        }
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final DataKeyStore dataKeys;
    private final Limits limits;
    private final Clock clock;
    private final ObjectMapper json;
    private final ConcurrentMap<String, DatasetSchema> schemas = new ConcurrentHashMap<>();

    @Autowired
    public ReturnFileProcessor(JdbcTemplate jdbc, TransactionTemplate transactions, DataKeyStore dataKeys,
                               LinkgateProperties properties, Clock clock, ObjectMapper json) {
        this(jdbc, transactions, dataKeys, Limits.of(properties), clock, json);
    }

    public ReturnFileProcessor(JdbcTemplate jdbc, TransactionTemplate transactions, DataKeyStore dataKeys,
                               Limits limits, Clock clock, ObjectMapper json) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.dataKeys = Objects.requireNonNull(dataKeys, "dataKeys");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.json = Objects.requireNonNull(json, "json");
    }

    /**
     * Processes one return file; see the class comment. Leftover staged rows of an interrupted
     * earlier attempt under {@code returnId} are removed first.
     *
     * @throws UncheckedIOException  if the file cannot be read
     * @throws IllegalStateException if the department's dataset names a schema that cannot be loaded
     */
    public ReturnOutcome process(Path file, String returnId, Department department, ReturnFileName name,
                                 GatewayPgpKey gateway) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(returnId, "returnId");
        Objects.requireNonNull(department, "department");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(gateway, "gateway");
        purge(returnId);
        if (!name.department().equals(department.code())) {
            // A file in the wrong department's account: not opened at all.
            return new ReturnOutcome(false, 0, 0, List.of(ReturnErrors.FILE_NAME), List.of(), false, null, Map.of());
        }
        Pass pass = new Pass(returnId, department, name);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            VerifiedPlaintext message = new PgpDecryptVerifier().open(raw, gateway, department.pgpPublicKey(),
                    new PgpLimits(limits.maxPlaintextBytes(), limits.maxCompressionRatio(), Files.size(file)));
            InputStream plaintext = new BufferedInputStream(StreamUtils.nonClosing(message.plaintext()), 1 << 16);
            pass.read(plaintext);
            // The signature trails the data: read what the CSV reader left, then verify.
            plaintext.transferTo(OutputStream.nullOutputStream());
            pass.signer = message.verify();
        } catch (IOException | RuntimeException e) {
            Optional<PgpVerificationException> pgp = Causes.find(e, PgpVerificationException.class);
            if (pgp.isEmpty()) {
                purge(returnId);
                throw e instanceof IOException io
                        ? new UncheckedIOException("cannot read return " + returnId, io) : (RuntimeException) e;
            }
            // Unverified content: its row findings stand (the data did reach the gateway), its
            // other errors do not matter beside the refusal.
            pass.fileErrors.clear();
            pass.fileErrors.add(ReturnErrors.of(pgp.get().reason()));
            pass.signer = null;
        }
        return pass.decide();
    }

    /**
     * Recomputes {@code linkage_quality} for one extract and dataset: per cohort, distinct people
     * sent and distinct people found in ACCEPTED returns of that dataset for that extract.
     * Call after the return is recorded ACCEPTED; replaces earlier figures (delete, then insert).
     */
    public void recordLinkageQuality(String extractId, String dataset) {
        Objects.requireNonNull(extractId, "extractId");
        Objects.requireNonNull(dataset, "dataset");
        transactions.executeWithoutResult(tx -> {
            jdbc.update("delete from linkage_quality where extract_id = ? and dataset = ?", extractId, dataset);
            jdbc.update("insert into linkage_quality (extract_id, dataset, cohort, sent, matched)"
                    + " select s.extract_id, ?, s.cohort, s.sent, coalesce(m.matched, 0)"
                    + " from (select extract_id, cohort, count(distinct pseudo_id) as sent from extract_member"
                    + "       where extract_id = ? group by extract_id, cohort) s"
                    + " left join (select em.cohort, count(distinct em.pseudo_id) as matched from extract_member em"
                    + "       where em.extract_id = ? and exists (select 1 from return_record rr"
                    + "           join return_file rf on rf.id = rr.return_id"
                    + "           where rf.extract_id = ? and rf.status = 'ACCEPTED' and rr.dataset = ?"
                    + "             and rr.pseudo_id = em.pseudo_id)"
                    + "       group by em.cohort) m on m.cohort = s.cohort",
                    dataset, extractId, extractId, extractId, dataset);
        });
    }

    /**
     * True when the share of people matched differs between the treatment and comparison cohorts
     * by more than 10 percentage points, which would bias the comparison. Not flagged when either
     * cohort sent nobody (there is no rate to compare).
     */
    public static boolean cohortGapFlagged(long treatmentSent, long treatmentMatched,
                                           long comparisonSent, long comparisonMatched) {
        if (treatmentSent <= 0 || comparisonSent <= 0) {
            return false;
        }
        double treatment = (double) treatmentMatched / treatmentSent;
        double comparison = (double) comparisonMatched / comparisonSent;
        return Math.abs(treatment - comparison) > 0.10;
    }

    /** The dataset schema {@code schemas/returns/<name>.yaml}, loaded once. */
    DatasetSchema schema(String schemaName) {
        if (!SCHEMA_NAME.matcher(schemaName).matches()) {
            throw new IllegalStateException("return schema name is not of the form dwp-wpls-v1");
        }
        return schemas.computeIfAbsent(schemaName,
                n -> DatasetSchemaLoader.loadClasspath("schemas/returns/" + n + ".yaml"));
    }

    /** Deletes the rows staged under a return, in chunks of short transactions. */
    void purge(String returnId) {
        Long last = jdbc.queryForObject("select max(row_number) from return_record where return_id = ?",
                Long.class, returnId);
        if (last == null) {
            return;
        }
        for (long start = 0; start <= last; start += PURGE_CHUNK) {
            long from = start;
            long to = start + PURGE_CHUNK;
            transactions.executeWithoutResult(tx -> jdbc.update(
                    "delete from return_record where return_id = ? and row_number >= ? and row_number < ?",
                    returnId, from, to));
        }
    }

    /** Rows breaking one rule in one column: how many and the first. */
    private static final class RuleCount {
        long count;
        long firstRow;
    }

    private record Pending(long row, String token, String data) {
    }

    /** State of one pass over one return. */
    private final class Pass {
        final String returnId;
        final Department department;
        final ReturnFileName name;
        final List<ReturnError> fileErrors = new ArrayList<>();
        final List<GuardFinding> findings = new ArrayList<>();
        final Map<String, RuleCount> rowProblems = new LinkedHashMap<>();
        final List<Pending> pending = new ArrayList<>();
        DatasetSchema schema;
        boolean extractKnown;
        boolean extractSent;
        /** REFUSED: never sent, or its council data destroyed; its members are gone, so tokens are not looked up. */
        boolean extractWithdrawn;
        ReturnIdentifierGuard guard;
        long findingCount;
        long unknownTokens;
        long firstUnknownRow;
        long rows;
        long staged;
        String signer;

        Pass(String returnId, Department department, ReturnFileName name) {
            this.returnId = returnId;
            this.department = department;
            this.name = name;
            Optional<Department.ReturnDataset> dataset = department.returnDataset(name.dataset());
            if (dataset.isEmpty()) {
                fileErrors.add(ReturnErrors.DATASET_NOT_DECLARED);
            } else {
                try {
                    schema = schema(dataset.get().schema());
                } catch (RuntimeException e) {
                    throw new IllegalStateException("department " + department.code() + " dataset "
                            + name.dataset() + ": return schema cannot be loaded", e);
                }
            }
            List<String[]> status = jdbc.query("select status, last_error from extract where id = ? and department_code = ?",
                    (rs, n) -> new String[] {rs.getString(1), rs.getString(2)}, name.extractId(), department.code());
            extractKnown = !status.isEmpty();
            extractWithdrawn = extractKnown && "REFUSED".equals(status.get(0)[0]);
            extractSent = extractKnown && !"PENDING".equals(status.get(0)[0]) && !extractWithdrawn;
            if (!extractKnown) {
                fileErrors.add(ReturnErrors.UNKNOWN_EXTRACT);
            } else if (extractWithdrawn && DATA_DESTROYED.equals(status.get(0)[1])) {
                fileErrors.add(ReturnErrors.EXTRACT_DATA_DESTROYED);
            } else if (!extractSent) {
                fileErrors.add(ReturnErrors.EXTRACT_NOT_SENT);
            }
            // Even a file that will be refused is read through: identifiers in it are an incident.
            guard = new ReturnIdentifierGuard(extractKnown
                    ? new VaultIdentityLookup(jdbc, dataKeys, json, name.extractId()) : IdentityLookup.NONE);
        }

        boolean staging() {
            return schema != null && extractSent && fileErrors.isEmpty() && rowProblems.isEmpty()
                    && findingCount == 0 && unknownTokens == 0;
        }

        void read(InputStream plaintext) throws IOException {
            Optional<List<String>> header;
            try {
                header = HeaderLine.read(plaintext, MAX_HEADER_BYTES);
            } catch (MalformedBatchException e) {
                fileErrors.add(ReturnErrors.malformed(e));
                return;
            }
            if (header.isEmpty()) {
                fileErrors.add(ReturnErrors.header("no_header", null));
                return;
            }
            List<String> cells = header.get();
            addFindings(guard.checkHeader(cells));
            if (cells.size() > CsvLimits.DEFAULTS.maxColumns()) {
                fileErrors.add(ReturnErrors.malformed(
                        new MalformedBatchException(MalformedBatchException.TOO_MANY_COLUMNS, 1)));
                return;
            }
            Columns columns = columns(cells);
            byte[] syntheticHeader = (String.join(",", columns.readingNames) + "\n").getBytes(StandardCharsets.US_ASCII);
            InputStream rowsStream = new SequenceInputStream(new ByteArrayInputStream(syntheticHeader),
                    StreamUtils.nonClosing(plaintext));
            try (CsvBatchReader reader = new CsvBatchReader(rowsStream, columns.readingSchema, CsvLimits.DEFAULTS)) {
                HeaderCheck check = reader.header();
                if (!check.isAcceptable()) {
                    throw new IllegalStateException("the gateway's own reading header was refused");
                }
                RowValidator validator = schema == null ? null : new RowValidator(schema, clock.withZone(UK));
                Optional<CsvRow> next;
                while ((next = reader.next()).isPresent()) {
                    readRow(next.get(), columns, validator);
                }
                flush();
            } catch (MalformedBatchException e) {
                Optional<PgpVerificationException> pgp = Causes.find(e, PgpVerificationException.class);
                if (pgp.isPresent()) {
                    throw pgp.get();
                }
                fileErrors.add(ReturnErrors.malformed(e));
            }
        }

        private void readRow(CsvRow row, Columns columns, RowValidator validator) {
            rows++;
            List<String> values = new ArrayList<>(columns.readingNames.size());
            List<String> guarded = new ArrayList<>(columns.readingNames.size());
            for (int i = 0; i < columns.readingNames.size(); i++) {
                String value = row.value(columns.readingNames.get(i)).orElse(null);
                values.add(value);
                Set<String> codes = columns.codes.get(i);
                // A value from the column's closed list of codes is the department's vocabulary, not a person's.
                guarded.add(value != null && codes != null && codes.contains(value.toUpperCase(Locale.ROOT)) ? null : value);
            }
            if (validator != null) {
                for (RowProblem problem : validator.validate(row)) {
                    RuleCount count = rowProblems.computeIfAbsent(problem.column() + "|" + problem.rule(),
                            k -> new RuleCount());
                    if (count.count++ == 0) {
                        count.firstRow = row.rowNumber();
                    }
                }
            }
            String token = null;
            if (schema != null) {
                token = row.value(PSEUDO_ID).filter(t -> TOKEN.matcher(t).matches()).orElse(null);
            }
            addFindings(guard.checkRow(row.rowNumber(), columns.labels, guarded, token));
            pending.add(new Pending(row.rowNumber(), token, staging() ? data(row) : null));
            if (pending.size() >= BATCH) {
                flush();
            }
        }

        private void addFindings(List<GuardFinding> found) {
            findingCount += found.size();
            for (GuardFinding finding : found) {
                if (findings.size() < MAX_LISTED_FINDINGS) {
                    findings.add(finding);
                }
            }
        }

        /** Maps the batch's tokens through extract_member's primary key, then stages it if all is well. */
        private void flush() {
            if (pending.isEmpty() || !extractKnown || extractWithdrawn) {
                pending.clear();
                return;
            }
            Set<String> tokens = pending.stream().map(Pending::token).filter(Objects::nonNull)
                    .collect(Collectors.toCollection(HashSet::new));
            Map<String, String> pseudoIds = members(tokens);
            for (Pending p : pending) {
                if (p.token() != null && !pseudoIds.containsKey(p.token()) && unknownTokens++ == 0) {
                    firstUnknownRow = p.row();
                }
            }
            if (staging() && pending.stream().allMatch(p -> p.data() != null)) {
                List<Object[]> batch = pending.stream().map(p -> new Object[] {returnId, p.row(), department.code(),
                        name.dataset(), pseudoIds.get(p.token()), p.data()}).toList();
                transactions.executeWithoutResult(tx -> jdbc.batchUpdate("insert into return_record"
                        + " (return_id, row_number, department_code, dataset, pseudo_id, data) values (?, ?, ?, ?, ?, ?)",
                        batch));
                staged += batch.size();
            }
            pending.clear();
        }

        private Map<String, String> members(Set<String> tokens) {
            if (tokens.isEmpty()) {
                return Map.of();
            }
            String placeholders = String.join(", ", java.util.Collections.nCopies(tokens.size(), "?"));
            List<Object> args = new ArrayList<>(tokens.size() + 1);
            args.add(name.extractId());
            args.addAll(tokens);
            Map<String, String> found = new HashMap<>();
            jdbc.query("select department_token, pseudo_id from extract_member where extract_id = ?"
                            + " and department_token in (" + placeholders + ")",
                    rs -> {
                        found.put(rs.getString(1), rs.getString(2));
                    }, args.toArray());
            return found;
        }

        /** The row's dataset columns other than pseudo_id, as a JSON object; whole numbers as numbers. */
        private String data(CsvRow row) {
            ObjectNode node = json.createObjectNode();
            for (ColumnSpec column : schema.columns()) {
                if (column.name().equals(PSEUDO_ID)) {
                    continue;
                }
                Optional<String> value = row.value(column.name());
                if (value.isEmpty()) {
                    node.putNull(column.name());
                } else if (column.rules().stream().anyMatch(r -> r.type() == RuleType.INTEGER)) {
                    node.put(column.name(), Long.parseLong(value.get()));
                } else {
                    node.put(column.name(), value.get());
                }
            }
            try {
                return json.writeValueAsString(node);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("return row could not be serialised", e);
            }
        }

        ReturnOutcome decide() {
            if (rows == 0 && fileErrors.isEmpty()) {
                fileErrors.add(ReturnErrors.NO_ROWS);
            }
            rowProblems.forEach((key, count) -> {
                int bar = key.lastIndexOf('|');
                String column = key.substring(0, bar);
                fileErrors.add(ReturnErrors.rowRule("null".equals(column) ? null : column, key.substring(bar + 1),
                        count.count, count.firstRow));
            });
            if (unknownTokens > 0) {
                fileErrors.add(ReturnErrors.unknownPseudoId(unknownTokens, firstUnknownRow));
            }
            if (findingCount > 0) {
                fileErrors.add(0, ReturnErrors.IDENTIFIERS);
            }
            boolean accepted = fileErrors.isEmpty() && staged == rows;
            if (!accepted) {
                purge(returnId);
            }
            Map<String, Map<String, Long>> matched = accepted
                    ? Map.of(name.dataset(), matchedByCohort()) : Map.of();
            return new ReturnOutcome(accepted, rows, accepted ? staged : 0, fileErrors, findings, findingCount > 0,
                    signer, matched);
        }

        private Map<String, Long> matchedByCohort() {
            Map<String, Long> byCohort = new LinkedHashMap<>();
            jdbc.query("select m.cohort, count(distinct r.pseudo_id) from return_record r"
                            + " join extract_member m on m.extract_id = ? and m.pseudo_id = r.pseudo_id"
                            + " where r.return_id = ? group by m.cohort order by m.cohort",
                    rs -> {
                        byCohort.put(rs.getString(1), rs.getLong(2));
                    }, name.extractId(), returnId);
            return byCohort;
        }

        /**
         * Names the header's positions for reading: a dataset column by its name, anything else
         * {@code unlisted_<position>}; header problems are recorded on the way.
         */
        private Columns columns(List<String> cells) {
            Set<String> declared = schema == null ? Set.of() : new HashSet<>(schema.columnNames());
            Set<String> seen = new HashSet<>();
            List<String> readingNames = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            List<Set<String>> codes = new ArrayList<>();
            for (int i = 0; i < cells.size(); i++) {
                String header = cells.get(i).strip().toLowerCase(Locale.ROOT);
                String position = "#" + (i + 1);
                if (declared.contains(header) && seen.add(header)) {
                    readingNames.add(header);
                    labels.add(header);
                    codes.add(oneOf(schema.column(header).orElseThrow()));
                    continue;
                }
                if (schema != null) {
                    if (header.isEmpty()) {
                        fileErrors.add(ReturnErrors.header("empty_header", position));
                    } else if (seen.contains(header)) {
                        fileErrors.add(ReturnErrors.header("duplicate_column", header));
                    } else {
                        fileErrors.add(ReturnErrors.header("unknown_column", position));
                    }
                }
                String unlisted = "unlisted_" + (i + 1);
                while (declared.contains(unlisted)) {
                    unlisted = "x" + unlisted;
                }
                readingNames.add(unlisted);
                labels.add(ReturnIdentifierGuard.identifierNamed(cells.get(i)).orElse(position));
                codes.add(null);
            }
            List<ColumnSpec> reading = new ArrayList<>();
            readingNames.forEach(n -> reading.add(new ColumnSpec(n, false, false, OptionalInt.empty(), List.of())));
            if (schema != null) {
                for (String column : schema.columnNames()) {
                    if (!seen.contains(column)) {
                        if (schema.column(column).orElseThrow().required()) {
                            fileErrors.add(ReturnErrors.header("missing_column", column));
                        }
                        // Absent from the file but asked for by the validator: always empty.
                        reading.add(new ColumnSpec(column, false, false, OptionalInt.empty(), List.of()));
                    }
                }
            }
            return new Columns(List.copyOf(readingNames), List.copyOf(labels), codes,
                    new DatasetSchema("return-reading", 1, reading));
        }

        private static Set<String> oneOf(ColumnSpec column) {
            return column.rules().stream().filter(r -> r.type() == RuleType.ONE_OF).findFirst()
                    .map(RuleSpec::arguments)
                    .map(args -> args.stream().map(a -> a.toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet()))
                    .orElse(null);
        }
    }

    /** How the file's columns are read: names for the reader, safe labels for findings, code lists. */
    private record Columns(List<String> readingNames, List<String> labels, List<Set<String>> codes,
                           DatasetSchema readingSchema) {
    }
}
