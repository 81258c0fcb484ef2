package org.linkgate.returns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
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
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.linkgate.agreement.Department;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.fanout.Extracts;
import org.linkgate.inbound.InboundContext;
import org.linkgate.inbound.RowSource;
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
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.StreamUtils;

/**
 * The stages of a department return between {@code open} and {@code commit} (route template
 * {@code department-returns}): {@link #validate} the verified plaintext against the dataset's
 * schema and the extract it answers, {@link #guard} it against direct identifiers, and
 * {@link #store} its rows under the linkage pseudo_id mapped back from the department's tokens.
 * One streaming pass, pulled by {@code store}; rows are staged only while everything so far is fit
 * to load, and count only once {@code commit} records the return ACCEPTED. A file that will be
 * refused is still read through: identifiers in it are an incident.
 */
@Component("departmentReturn")
public class ReturnStages {

    static final int BATCH = 500;
    private static final String PSEUDO_ID = "pseudo_id";
    /**
     * The optional per-person status every return may carry beside its dataset's columns: {@code Y} found
     * (with the row's events, or none when they are all empty), {@code N} not found (events must be empty).
     */
    static final String MATCHED = "matched";
    static final String FOUND = "Y";
    static final String NOT_FOUND = "N";
    /** A row saying "not found" that carries events contradicts itself. */
    static final String NOT_FOUND_WITH_EVENTS = "not_found_with_events";
    private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final ZoneId UK = ZoneId.of("Europe/London");
    /** A header's bytes: UTF-8 needs at most four per character of the longest record allowed. */
    private static final int MAX_HEADER_BYTES = CsvLimits.DEFAULTS.maxRecordChars() * 4;

    private final JdbcTemplate jdbc;
    private final Extracts extracts;
    private final TransactionTemplate transactions;
    private final SentIdentities identities;
    private final PartnerRegistry registry;
    private final Clock clock;
    private final ObjectMapper json;
    private final ConcurrentMap<String, DatasetSchema> schemas = new ConcurrentHashMap<>();

    public ReturnStages(JdbcTemplate jdbc, Extracts extracts, TransactionTemplate transactions, SentIdentities identities,
                        PartnerRegistry registry, Clock clock, ObjectMapper json) {
        this.jdbc = jdbc;
        this.extracts = extracts;
        this.transactions = transactions;
        this.identities = identities;
        this.registry = registry;
        this.clock = clock;
        this.json = json;
    }

    /**
     * One row on its way: its number, the values by reading column, the values the guard looks at, its token,
     * its valid {@code matched} status (null without the column) and whether it carries any event value.
     */
    public record ReturnRow(CsvRow row, List<String> guarded, String token, String matched, boolean events) {
    }

    /**
     * Checks the dataset and the extract the file names, reads the header (columns the dataset does
     * not declare are errors) and yields every row, recording breaches of the dataset's rules.
     */
    public RowSource<ReturnRow> validate(@Body InputStream plaintext,
                                         @ExchangeProperty(InboundContext.PROPERTY) InboundContext file) {
        ReturnFileName name = file.<ReturnFileName>name().orElseThrow();
        Department department = registry.requireDepartment(file.partner());
        ReturnPass pass = new ReturnPass(name);
        file.work(pass);
        checkDatasetAndExtract(pass, department);
        InputStream in = new BufferedInputStream(StreamUtils.nonClosing(plaintext), 1 << 16);
        Optional<List<String>> header;
        try {
            header = HeaderLine.read(in, MAX_HEADER_BYTES);
        } catch (MalformedBatchException e) {
            pass.fileErrors.add(ReturnErrors.malformed(e));
            return RowSource.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read verified return " + file.entry().id(), e);
        }
        if (header.isEmpty()) {
            pass.fileErrors.add(ReturnErrors.header("no_header", null));
            return RowSource.empty();
        }
        pass.header = header.get();
        if (pass.header.size() > CsvLimits.DEFAULTS.maxColumns()) {
            pass.fileErrors.add(ReturnErrors.malformed(
                    new MalformedBatchException(MalformedBatchException.TOO_MANY_COLUMNS, 1)));
            return RowSource.empty();
        }
        Columns columns = columns(pass);
        pass.labels = columns.labels();
        pass.integers = columns.integers();
        byte[] readingHeader = (String.join(",", columns.readingNames()) + "\n").getBytes(StandardCharsets.US_ASCII);
        CsvBatchReader reader;
        try {
            reader = file.closeLater(new CsvBatchReader(new SequenceInputStream(new ByteArrayInputStream(readingHeader),
                    in), columns.readingSchema(), CsvLimits.DEFAULTS));
            HeaderCheck check = reader.header();
            if (!check.isAcceptable()) {
                throw new IllegalStateException("the gateway's own reading header was refused");
            }
        } catch (MalformedBatchException e) {
            pass.fileErrors.add(ReturnErrors.malformed(e));
            return RowSource.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read verified return " + file.entry().id(), e);
        }
        // With a matched column, "found, no events" rows are allowed: event values are checked in read().
        RowValidator validator = pass.schema == null ? null
                : new RowValidator(pass.matchedColumn ? eventsOptional(pass.schema) : pass.schema, clock.withZone(UK));
        return () -> {
            try {
                Optional<CsvRow> next = reader.next();
                if (next.isEmpty()) {
                    return null;
                }
                return read(pass, next.get(), columns, validator);
            } catch (MalformedBatchException e) {
                pass.fileErrors.add(ReturnErrors.malformed(e));
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read verified return " + file.entry().id(), e);
            }
        };
    }

    /**
     * Looks for direct identifiers (names, dates of birth, addresses, postcodes, NINOs, NHS numbers,
     * UPNs): identifier-named columns, identifier-shaped values, and the identity of the person each
     * row's token stands for. Findings reject the file and open an incident; nothing is echoed.
     */
    public RowSource<ReturnRow> guard(@Body RowSource<ReturnRow> rows,
                                      @ExchangeProperty(InboundContext.PROPERTY) InboundContext file) {
        ReturnPass pass = file.work();
        ReturnIdentifierGuard guard = new ReturnIdentifierGuard(pass.extractKnown
                ? identities.ofExtract(pass.name.extractId()) : IdentityLookup.NONE,
                registry.requireDepartment(file.partner()).matchFields());
        pass.addFindings(guard.checkHeader(pass.header));
        return () -> {
            ReturnRow row = rows.next();
            if (row != null) {
                pass.addFindings(guard.checkRow(pass.labels, row.guarded(), pass.integers, row.token()));
            }
            return row;
        };
    }

    /**
     * Pulls every row through the stages, maps tokens back to pseudo ids through extract_member's
     * key in batches, and stages the rows in {@code return_record} while all is well; then reads the
     * rest of the message and checks its signature once more.
     */
    public void store(@Body RowSource<ReturnRow> rows,
                      @ExchangeProperty(InboundContext.PROPERTY) InboundContext file) throws IOException {
        ReturnPass pass = file.work();
        String returnId = file.entry().id();
        List<ReturnRow> pending = new ArrayList<>(BATCH);
        ReturnRow row;
        while ((row = rows.next()) != null) {
            pending.add(row);
            if (pending.size() >= BATCH) {
                flush(pass, returnId, file.partner(), pending);
            }
        }
        flush(pass, returnId, file.partner(), pending);
        file.finishReading();
        if (pass.matchedColumn && pass.staging()) {
            conflictingStatuses(pass, returnId);
        }
    }

    /** A person said to be both found and not found in one return: the return is refused, nothing is loaded. */
    private void conflictingStatuses(ReturnPass pass, String returnId) {
        jdbc.query("select count(distinct pseudo_id), min(row_number) from return_match_status where return_id = ?"
                + " and pseudo_id in (select pseudo_id from return_match_status where return_id = ?"
                + " group by pseudo_id having count(distinct matched) > 1)", rs -> {
                    long people = rs.getLong(1);
                    if (people > 0) {
                        pass.fileErrors.add(ReturnErrors.matchedConflict(people, rs.getLong(2)));
                    }
                }, returnId, returnId);
    }

    /** The dataset schema {@code schemas/returns/<name>.yaml}, loaded once. */
    DatasetSchema schema(String schemaName) {
        if (!SCHEMA_NAME.matcher(schemaName).matches()) {
            throw new IllegalStateException("return schema name is not of the form dwp-wpls-v1");
        }
        return schemas.computeIfAbsent(schemaName,
                n -> DatasetSchemaLoader.loadClasspath("schemas/returns/" + n + ".yaml"));
    }

    private void checkDatasetAndExtract(ReturnPass pass, Department department) {
        Optional<Department.ReturnDataset> dataset = department.returnDataset(pass.name.dataset());
        if (dataset.isEmpty()) {
            pass.fileErrors.add(ReturnErrors.DATASET_NOT_DECLARED);
        } else {
            try {
                pass.schema = schema(dataset.get().schema());
                pass.schemaId = dataset.get().schema();
            } catch (RuntimeException e) {
                throw new IllegalStateException("department " + department.code() + " dataset "
                        + pass.name.dataset() + ": return schema cannot be loaded", e);
            }
        }
        Optional<Extracts.State> state = extracts.state(pass.name.extractId(), department.code());
        pass.extractKnown = state.isPresent();
        pass.extractWithdrawn = pass.extractKnown && "REFUSED".equals(state.get().status());
        pass.extractSent = pass.extractKnown && !"PENDING".equals(state.get().status()) && !pass.extractWithdrawn;
        if (!pass.extractKnown) {
            pass.fileErrors.add(ReturnErrors.UNKNOWN_EXTRACT);
        } else if (pass.extractWithdrawn && DepartmentReturns.DATA_DESTROYED.equals(state.get().lastError())) {
            pass.fileErrors.add(ReturnErrors.EXTRACT_DATA_DESTROYED);
        } else if (!pass.extractSent) {
            pass.fileErrors.add(ReturnErrors.EXTRACT_NOT_SENT);
        }
    }

    private ReturnRow read(ReturnPass pass, CsvRow row, Columns columns, RowValidator validator) {
        pass.rows++;
        List<String> guarded = new ArrayList<>(columns.readingNames().size());
        for (int i = 0; i < columns.readingNames().size(); i++) {
            String value = row.value(columns.readingNames().get(i)).orElse(null);
            Set<String> codes = columns.codes().get(i);
            // A value from the column's closed list of codes is the department's vocabulary, not a person's.
            guarded.add(value != null && codes != null && codes.contains(value.toUpperCase(Locale.ROOT)) ? null : value);
        }
        if (validator != null) {
            for (RowProblem problem : validator.validate(row)) {
                pass.rowProblem(problem.column(), problem.rule(), row.rowNumber());
            }
        }
        String token = pass.schema == null ? null
                : row.value(PSEUDO_ID).filter(t -> TOKEN.matcher(t).matches()).orElse(null);
        boolean events = pass.schema != null && pass.schema.columns().stream()
                .anyMatch(c -> !c.name().equals(PSEUDO_ID) && row.value(c.name()).isPresent());
        String matched = pass.matchedColumn ? matched(pass, row, events) : null;
        return new ReturnRow(row, guarded, token, matched, events);
    }

    /**
     * The row's {@code matched} status, exactly {@code Y} or {@code N}, or null after recording why not:
     * missing, another value, "not found" with events, or "found" with events but a mandatory one missing.
     */
    private static String matched(ReturnPass pass, CsvRow row, boolean events) {
        String matched = row.value(MATCHED).orElse(null);
        if (matched == null) {
            pass.rowProblem(MATCHED, RowProblem.REQUIRED, row.rowNumber());
            return null;
        }
        if (!FOUND.equals(matched) && !NOT_FOUND.equals(matched)) {
            pass.rowProblem(MATCHED, RuleType.ONE_OF.name().toLowerCase(Locale.ROOT), row.rowNumber());
            return null;
        }
        if (NOT_FOUND.equals(matched) && events) {
            pass.rowProblem(MATCHED, NOT_FOUND_WITH_EVENTS, row.rowNumber());
            return null;
        }
        if (events) {
            // Found with events: the row is an event row, and the dataset's mandatory values are mandatory again.
            for (ColumnSpec column : pass.schema.columns()) {
                if (column.mandatory() && row.value(column.name()).isEmpty() && !column.name().equals(PSEUDO_ID)) {
                    pass.rowProblem(column.name(), RowProblem.REQUIRED, row.rowNumber());
                }
            }
        }
        return matched;
    }

    /** The dataset's schema with every value but pseudo_id optional (columns stay required in the header). */
    private static DatasetSchema eventsOptional(DatasetSchema schema) {
        return new DatasetSchema(schema.datasetId(), schema.version(), schema.columns().stream()
                .map(c -> c.name().equals(PSEUDO_ID) ? c
                        : new ColumnSpec(c.name(), c.required(), false, c.maxLength(), c.rules()))
                .toList());
    }

    /** Maps a batch's tokens through extract_member's primary key, then stages it if all is well. */
    private void flush(ReturnPass pass, String returnId, String department, List<ReturnRow> pending) {
        if (pending.isEmpty() || !pass.extractKnown || pass.extractWithdrawn) {
            pending.clear();
            return;
        }
        Set<String> tokens = pending.stream().map(ReturnRow::token).filter(Objects::nonNull)
                .collect(Collectors.toCollection(HashSet::new));
        Map<String, String> pseudoIds = extracts.pseudoIdsOf(pass.name.extractId(), tokens);
        for (ReturnRow p : pending) {
            if (p.token() != null && !pseudoIds.containsKey(p.token()) && pass.unknownTokens++ == 0) {
                pass.firstUnknownRow = p.row().rowNumber();
            }
        }
        if (pass.staging()) {
            // A row without events (matched Y or N, all event columns empty) is a status, not a returned record.
            List<Object[]> batch = pending.stream().filter(p -> p.matched() == null || p.events())
                    .map(p -> new Object[] {returnId, p.row().rowNumber(), department,
                    pass.name.dataset(), pseudoIds.get(p.token()), data(pass.schema, p.row())}).toList();
            List<Object[]> statuses = pending.stream().filter(p -> p.matched() != null)
                    .map(p -> new Object[] {returnId, p.row().rowNumber(), pass.name.dataset(), pseudoIds.get(p.token()),
                            p.matched()}).toList();
            transactions.executeWithoutResult(tx -> {
                jdbc.batchUpdate("insert into return_record"
                        + " (return_id, row_number, department_code, dataset, pseudo_id, data) values (?, ?, ?, ?, ?, ?)",
                        batch);
                jdbc.batchUpdate("insert into return_match_status (return_id, row_number, dataset, pseudo_id, matched)"
                        + " values (?, ?, ?, ?, ?)", statuses);
            });
            pass.staged += pending.size();
        }
        pending.clear();
    }

    /** The row's dataset columns other than pseudo_id, as a JSON object; whole numbers as numbers. */
    private String data(DatasetSchema schema, CsvRow row) {
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

    /**
     * Names the header's positions for reading: a dataset column by its name, anything else
     * {@code unlisted_<position>}; header problems are recorded on the way.
     */
    private static Columns columns(ReturnPass pass) {
        DatasetSchema schema = pass.schema;
        List<String> cells = pass.header;
        Set<String> declared = schema == null ? Set.of() : new HashSet<>(schema.columnNames());
        // matched is the gateway's own optional column of every return (unless a dataset declares one itself).
        boolean gatewayMatched = schema != null && !declared.contains(MATCHED);
        Set<String> seen = new HashSet<>();
        List<String> readingNames = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<Set<String>> codes = new ArrayList<>();
        List<Boolean> integers = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            String header = cells.get(i).strip().toLowerCase(Locale.ROOT);
            String position = "#" + (i + 1);
            if (gatewayMatched && header.equals(MATCHED) && seen.add(header)) {
                pass.matchedColumn = true;
                readingNames.add(MATCHED);
                labels.add(MATCHED);
                codes.add(Set.of(FOUND, NOT_FOUND));
                integers.add(false);
                continue;
            }
            if (declared.contains(header) && seen.add(header)) {
                readingNames.add(header);
                labels.add(header);
                codes.add(oneOf(schema.column(header).orElseThrow()));
                integers.add(schema.column(header).orElseThrow().rules().stream().anyMatch(r -> r.type() == RuleType.INTEGER));
                continue;
            }
            if (schema != null) {
                if (header.isEmpty()) {
                    pass.fileErrors.add(ReturnErrors.header("empty_header", position));
                } else if (seen.contains(header)) {
                    pass.fileErrors.add(ReturnErrors.header("duplicate_column", header));
                } else {
                    pass.fileErrors.add(ReturnErrors.header("unknown_column", position));
                }
            }
            String unlisted = "unlisted_" + (i + 1);
            while (declared.contains(unlisted)) {
                unlisted = "x" + unlisted;
            }
            readingNames.add(unlisted);
            labels.add(ReturnIdentifierGuard.identifierNamed(cells.get(i)).orElse(position));
            codes.add(null);
            integers.add(false);
        }
        List<ColumnSpec> reading = new ArrayList<>();
        readingNames.forEach(n -> reading.add(new ColumnSpec(n, false, false, OptionalInt.empty(), List.of())));
        if (schema != null) {
            for (String column : schema.columnNames()) {
                if (!seen.contains(column)) {
                    if (schema.column(column).orElseThrow().required()) {
                        pass.fileErrors.add(ReturnErrors.header("missing_column", column));
                    }
                    // Absent from the file but asked for by the validator: always empty.
                    reading.add(new ColumnSpec(column, false, false, OptionalInt.empty(), List.of()));
                }
            }
        }
        return new Columns(List.copyOf(readingNames), List.copyOf(labels), codes, List.copyOf(integers),
                new DatasetSchema("return-reading", 1, reading));
    }

    private static Set<String> oneOf(ColumnSpec column) {
        return column.rules().stream().filter(r -> r.type() == RuleType.ONE_OF).findFirst()
                .map(RuleSpec::arguments)
                .map(args -> args.stream().map(a -> a.toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet()))
                .orElse(null);
    }

    /** How the file's columns are read: names for the reader, safe labels for findings, code lists. */
    private record Columns(List<String> readingNames, List<String> labels, List<Set<String>> codes,
                           List<Boolean> integers, DatasetSchema readingSchema) {
    }
}
