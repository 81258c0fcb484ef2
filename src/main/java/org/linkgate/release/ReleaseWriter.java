package org.linkgate.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.sql.DataSource;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.bouncycastle.openpgp.PGPException;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.PgpEncryptSigner;
import org.linkgate.kernel.CountingOutputStream;
import org.linkgate.pseudonymisation.PseudonymisationKey;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Builds one release in a single streaming pass: database cursors feed CSV entries of a zip, the
 * zip is the literal data of one OpenPGP message encrypted to the recipient and signed by the
 * gateway, written to a hidden part file that is moved into place only when complete. Nothing is
 * ever in clear on disk, and memory holds one row (plus the k-anonymity suppression list).
 *
 * <p>The zip holds {@value #PERSONS_FILE} (one row per person per accepted batch: the release's
 * own pseudo id and the specification's variables, generalised as k-anonymity chose, suppressed
 * classes left out), one {@code <DEPT>_<DATASET>.csv} per linked dataset (only people released;
 * dates as months), {@value #DICTIONARY_FILE} and {@value #MANIFEST_FILE} (row counts and SHA-256
 * of every other file, agreement reference, purpose, release id). Members are recorded in
 * {@code release_member} in the same transaction, so a failed build leaves no trace but its row.
 */
final class ReleaseWriter {

    static final String PERSONS_FILE = "persons.csv";
    static final String DICTIONARY_FILE = "data-dictionary.csv";
    static final String MANIFEST_FILE = "manifest.json";
    static final String RELEASE_ID_COLUMN = "release_pseudo_id";
    private static final int FETCH_SIZE = 500;
    private static final int MEMBER_BATCH = 500;
    private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private final JdbcTemplate jdbc;
    private final JdbcTemplate cursor;
    private final TransactionTemplate transactions;
    private final PseudonymisationKey pseudonymisationKey;
    private final GatewayPgpKey gatewayKey;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    ReleaseWriter(JdbcTemplate jdbc, TransactionTemplate transactions, PseudonymisationKey pseudonymisationKey,
                  GatewayPgpKey gatewayKey) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.pseudonymisationKey = Objects.requireNonNull(pseudonymisationKey, "pseudonymisationKey");
        this.gatewayKey = Objects.requireNonNull(gatewayKey, "gatewayKey");
        DataSource dataSource = Objects.requireNonNull(jdbc.getDataSource(), "jdbc has no data source");
        this.cursor = new JdbcTemplate(dataSource);
        cursor.setFetchSize(FETCH_SIZE);
    }

    /**
     * Facts about the release that go into the manifest, and the parties for which the agreement is terminated
     * when it is built: their departments' datasets are withheld (cl. 12.9, 15).
     */
    record Header(String releaseId, String recipientCode, String agreementReference, String purpose, Instant createdAt,
                  Set<String> terminatedParties) {
        Header {
            terminatedParties = Set.copyOf(terminatedParties);
        }

        boolean withheld(ReleaseSpec.LinkedDataset dataset) {
            return terminatedParties.contains(dataset.department());
        }
    }

    /**
     * Writes the release to {@code target} (via {@code .<name>.part} beside it).
     *
     * @throws UncheckedIOException  if the file cannot be written
     * @throws IllegalStateException if it cannot be encrypted and signed
     */
    ReleaseBuild write(Header header, ReleaseRecipients.Configured recipient, KAnonymity.Outcome kAnonymity,
                       Path target, String literalName) {
        Path fileName = Objects.requireNonNull(target.getFileName(), "target has no file name");
        Path part = target.resolveSibling("." + fileName + ".part");
        try {
            ReleaseBuild build = transactions.execute(tx -> encryptToFile(header, recipient, kAnonymity, part, literalName));
            try {
                moveIntoPlace(part, target);
            } catch (RuntimeException e) {
                // The members were committed with the file's content; a file never in place released no one.
                jdbc.update("delete from release_member where release_id = ?", header.releaseId());
                throw e;
            }
            return build;
        } catch (RuntimeException e) {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // reported by the caller's failure
            }
            throw e;
        }
    }

    private ReleaseBuild encryptToFile(Header header, ReleaseRecipients.Configured recipient,
                                       KAnonymity.Outcome kAnonymity, Path part, String literalName) {
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            MessageDigest sha256 = sha256();
            CountingOutputStream counted = new CountingOutputStream(new DigestOutputStream(Channels.newOutputStream(channel), sha256));
            OutputStream buffered = new java.io.BufferedOutputStream(counted, 1 << 16);
            Zip zip = new Zip(header, recipient.spec(), kAnonymity);
            new PgpEncryptSigner().encryptAndSign(zip::writeTo, buffered, recipient.recipient().pgpPublicKey(), gatewayKey,
                    literalName);
            buffered.flush();
            channel.force(true);
            return new ReleaseBuild(zip.personRows, List.copyOf(zip.entries), zip.manifest, Map.copyOf(zip.rowsByIntake),
                    HexFormat.of().formatHex(sha256.digest()), counted.count());
        } catch (IOException e) {
            throw new UncheckedIOException("release file could not be written", e);
        } catch (PGPException e) {
            throw new IllegalStateException("release could not be encrypted and signed", e);
        }
    }

    /** The zip's content, written entry by entry into the OpenPGP literal data. */
    private final class Zip {
        private final Header header;
        private final ReleaseSpec spec;
        private final KAnonymity.Outcome kAnonymity;
        private final ReleasePseudonyms ids;
        final List<ReleaseBuild.FileEntry> entries = new ArrayList<>();
        final Map<String, Long> rowsByIntake = new LinkedHashMap<>();
        long personRows;
        String manifest;

        Zip(Header header, ReleaseSpec spec, KAnonymity.Outcome kAnonymity) {
            this.header = header;
            this.spec = spec;
            this.kAnonymity = kAnonymity;
            this.ids = new ReleasePseudonyms(pseudonymisationKey, header.releaseId());
        }

        void writeTo(OutputStream literal) throws IOException {
            ZipOutputStream zip = new ZipOutputStream(literal, StandardCharsets.UTF_8);
            personRows = entry(zip, PERSONS_FILE, this::persons);
            for (ReleaseSpec.LinkedDataset dataset : spec.datasets()) {
                if (!header.withheld(dataset)) {
                    entry(zip, dataset.fileName(), csv -> dataset(csv, dataset));
                }
            }
            entry(zip, DICTIONARY_FILE, this::dictionary);
            manifest = manifest();
            zip.putNextEntry(new ZipEntry(MANIFEST_FILE));
            zip.write(manifest.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.finish(); // not close: the literal stream belongs to the signer
        }

        private long entry(ZipOutputStream zip, String name, CsvBody body) throws IOException {
            zip.putNextEntry(new ZipEntry(name));
            MessageDigest digest = sha256();
            CountingOutputStream counted = new CountingOutputStream(new DigestOutputStream(nonClosing(zip), digest));
            CSVPrinter csv = new CSVPrinter(new BufferedWriter(new OutputStreamWriter(counted, StandardCharsets.UTF_8),
                    1 << 15), CSVFormat.RFC4180);
            long rows = body.write(csv);
            csv.flush();
            zip.closeEntry();
            entries.add(new ReleaseBuild.FileEntry(name, rows, counted.count(), HexFormat.of().formatHex(digest.digest())));
            return rows;
        }

        private long persons(CSVPrinter csv) throws IOException {
            List<ReleaseVariable> variables = spec.variables();
            List<String> header = new ArrayList<>();
            header.add(RELEASE_ID_COLUMN);
            variables.forEach(v -> header.add(v.key()));
            csv.printRecord(header);
            int level = Math.max(0, kAnonymity.level());
            // The person as linkage knows them now (merges resolved), as k-anonymity counted them: one release id each.
            StringBuilder sql = new StringBuilder("select " + KAnonymity.PERSON + " as person_id, p.intake_id");
            for (int i = 0; i < variables.size(); i++) {
                sql.append(", ").append(Generalisation.expression(variables.get(i), level)).append(" as v").append(i);
            }
            sql.append(" from research_person p").append(KAnonymity.PERSON_JOIN).append(" where p.intake_id in (select"
                    + " intake_id from release_intake where release_id = ?) order by person_id, p.intake_id, p.row_number");
            List<Integer> qiPositions = new ArrayList<>();
            for (int i = 0; i < variables.size(); i++) {
                if (variables.get(i).quasiIdentifier()) {
                    qiPositions.add(i);
                }
            }
            Set<String> suppressed = kAnonymity.suppressedClasses();
            List<Object[]> members = new ArrayList<>();
            String[] last = {null};
            long[] rows = {0};
            IOException[] failure = {null};
            cursor.query(sql.toString(), rs -> {
                if (failure[0] != null) {
                    return;
                }
                String[] values = new String[variables.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = rs.getString("v" + i);
                }
                if (!suppressed.isEmpty() && suppressed.contains(classKey(values, qiPositions))) {
                    return;
                }
                String pseudoId = rs.getString("person_id");
                List<String> record = new ArrayList<>(values.length + 1);
                record.add(ids.id(pseudoId));
                record.addAll(List.of(values));
                try {
                    csv.printRecord(record);
                } catch (IOException e) {
                    failure[0] = e;
                    return;
                }
                rows[0]++;
                rowsByIntake.merge(rs.getString("intake_id"), 1L, Long::sum);
                if (!pseudoId.equals(last[0])) {
                    members.add(new Object[] {header().releaseId(), pseudoId});
                    last[0] = pseudoId;
                    if (members.size() >= MEMBER_BATCH) {
                        flushMembers(members);
                    }
                }
            }, header().releaseId());
            if (failure[0] != null) {
                throw failure[0];
            }
            flushMembers(members);
            return rows[0];
        }

        private Header header() {
            return header;
        }

        private void flushMembers(List<Object[]> members) {
            if (!members.isEmpty()) {
                jdbc.batchUpdate("insert into release_member (release_id, pseudo_id) values (?, ?)", members);
                members.clear();
            }
        }

        private long dataset(CSVPrinter csv, ReleaseSpec.LinkedDataset dataset) throws IOException {
            List<String> header = new ArrayList<>();
            header.add(RELEASE_ID_COLUMN);
            header.addAll(dataset.columns());
            csv.printRecord(header);
            long[] rows = {0};
            IOException[] failure = {null};
            // Published views of returns (accepted rows not destroyed), linkage (merges) and fan-out (the batch
            // each extract came from), joined with release's own members in one streaming cursor.
            cursor.query("select coalesce(mp.survivor_id, rr.pseudo_id) as person_id, rr.data from accepted_return_row rr"
                            + " left join merged_person mp on mp.person_id = rr.pseudo_id"
                            + " join release_member m on m.release_id = ?"
                            + " and m.pseudo_id = coalesce(mp.survivor_id, rr.pseudo_id)"
                            // only returns answering an extract of one of the release's batches
                            + " join extract_batch e on e.extract_id = rr.extract_id"
                            + " join release_intake ri on ri.release_id = m.release_id and ri.intake_id = e.intake_id"
                            + " where rr.department_code = ? and rr.dataset = ? order by person_id, rr.return_id, rr.row_number",
                    rs -> {
                        if (failure[0] != null) {
                            return;
                        }
                        List<String> record = new ArrayList<>(header.size());
                        record.add(ids.id(rs.getString(1)));
                        try {
                            JsonNode data = json.readTree(rs.getString(2));
                            for (String column : dataset.columns()) {
                                JsonNode value = data.get(column);
                                String text = value == null || value.isNull() ? "" : value.asText();
                                if (dataset.monthColumns().contains(column) && ISO_DATE.matcher(text).matches()) {
                                    text = text.substring(0, 7);
                                } else if (dataset.monthColumns().contains(column) && !text.isEmpty()) {
                                    text = ""; // not a date as the schema says: never released as is
                                }
                                record.add(text);
                            }
                            csv.printRecord(record);
                        } catch (IOException e) {
                            failure[0] = e;
                            return;
                        }
                        rows[0]++;
                    }, header().releaseId(), dataset.department(), dataset.dataset());
            if (failure[0] != null) {
                throw failure[0];
            }
            return rows[0];
        }

        private long dictionary(CSVPrinter csv) throws IOException {
            csv.printRecord("file", "column", "description");
            String idText = "this release's id for a person: the same person has the same id in every file of this"
                    + " release and a different, unlinkable id in every other release and in every department extract";
            long rows = 0;
            csv.printRecord(PERSONS_FILE, RELEASE_ID_COLUMN, idText);
            rows++;
            List<String> steps = kAnonymity.report().generalisations();
            for (ReleaseVariable variable : spec.variables()) {
                String note = steps.stream().filter(s -> s.startsWith(variable.key() + " ")).findFirst()
                        .map(s -> " [in this release: " + s + "]").orElse("");
                csv.printRecord(PERSONS_FILE, variable.key(), variable.description()
                        + (variable.quasiIdentifier() ? " (quasi-identifier: k-anonymity checked)" : "") + note);
                rows++;
            }
            for (ReleaseSpec.LinkedDataset dataset : spec.datasets()) {
                if (header.withheld(dataset)) {
                    continue;
                }
                csv.printRecord(dataset.fileName(), RELEASE_ID_COLUMN, idText);
                rows++;
                for (String column : dataset.columns()) {
                    csv.printRecord(dataset.fileName(), column, "returned by " + dataset.department() + " in dataset "
                            + dataset.dataset() + " (schema " + dataset.schema() + ")"
                            + (dataset.monthColumns().contains(column) ? "; a date, released as its month YYYY-MM" : ""));
                    rows++;
                }
            }
            return rows;
        }

        private String manifest() throws IOException {
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("releaseId", header.releaseId());
            manifest.put("recipient", header.recipientCode());
            manifest.put("agreementReference", header.agreementReference());
            manifest.put("purpose", header.purpose());
            manifest.put("createdAt", header.createdAt().toString());
            KAnonymityReport report = kAnonymity.report();
            Map<String, Object> safety = new LinkedHashMap<>();
            safety.put("k", report.k());
            safety.put("quasiIdentifiers", report.quasiIdentifiers());
            safety.put("generalisationLevel", report.level());
            safety.put("generalisations", report.generalisations());
            safety.put("rowsSuppressed", report.rowsSuppressed());
            manifest.put("kAnonymity", safety);
            List<Map<String, Object>> files = new ArrayList<>();
            for (ReleaseBuild.FileEntry entry : entries) {
                Map<String, Object> file = new LinkedHashMap<>();
                file.put("name", entry.name());
                file.put("rows", entry.rows());
                file.put("bytes", entry.bytes());
                file.put("sha256", entry.sha256());
                files.add(file);
            }
            manifest.put("files", files);
            List<String> withheld = spec.datasets().stream().filter(header::withheld)
                    .map(d -> d.department() + "/" + d.dataset()).toList();
            if (!withheld.isEmpty()) {
                manifest.put("datasetsWithheld", withheld); // the agreement is terminated for their department
            }
            return json.writeValueAsString(manifest);
        }
    }

    @FunctionalInterface
    private interface CsvBody {
        long write(CSVPrinter csv) throws IOException;
    }

    /** The key k-anonymity gave a class: the released values of the quasi-identifiers, in order. */
    static String classKey(String[] values, List<Integer> qiPositions) {
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < qiPositions.size(); i++) {
            if (i > 0) {
                key.append(KAnonymity.SEPARATOR);
            }
            key.append(values[qiPositions.get(i)]);
        }
        return key.toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    private static void moveIntoPlace(Path part, Path target) {
        try {
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("release file could not be moved into place", e);
        }
    }
}
