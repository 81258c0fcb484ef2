package org.linkgate.disclosure;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.bouncycastle.openpgp.PGPException;
import org.linkgate.agreement.Council;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.PgpEncryptSigner;
import org.linkgate.kernel.GatewayHome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Councils' feedback packs (cl. 6.2b): the standard outcome tables of a council and period, as
 * CSV files and one HTML report with charts, zipped, encrypted to the council and signed by the
 * gateway, into its SFTP {@code outbound/} as {@code feedback-<GSS>-<yyyymmdd>-<nn>.zip.pgp}
 * (sealed where the council cannot see it, recorded, and linked in only after the record
 * commits; never over an existing file). Standard tables are pre-approved
 * definitions under the same disclosure control as any output, so they need no second person;
 * every release is recorded ({@code feedback_release}) and audited (FEEDBACK_RELEASED).
 *
 * <p>After each linked batch (route {@code feedback-packs}, {@link #sendDue()}): a council gets a
 * pack when its linked data has changed since its last batch pack, no extract of its is still
 * awaited (every one returned, refused, or already alerted overdue) and its latest period has
 * had no batch pack yet, so one batch's returns give one pack, not one per returned file, and a
 * period is sent automatically at most once (a resend of changed data would let a reader
 * difference the two packs).
 *
 * <p>The tables are protected as one release against what the council knows
 * ({@link ReleaseProtection}). The first pack of a period is recorded in the release ledger
 * ({@code released_cell}, {@code feedback_release_content}); any later send of that period (an
 * ADMIN's request) repeats exactly those figures.
 */
@Component("feedbackPacks")
public class FeedbackPacks {

    public static final String PREFIX = "feedback-";
    public static final String SUFFIX = ".zip.pgp";
    public static final String REPORT = "report.html";
    public static final String MANIFEST = "manifest.json";
    public static final List<List<Breakdown>> STANDARD_BREAKDOWNS = List.of(List.of(), List.of(Breakdown.AGE_BAND),
            List.of(Breakdown.SEX), List.of(Breakdown.PROBLEMS));
    private static final Logger LOG = LoggerFactory.getLogger(FeedbackPacks.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    private final JdbcTemplate jdbc;
    private final TableBuilder builder;
    private final CouncilDataProgress progress;
    private final DisclosureSettings settings;
    private final PartnerRegistry registry;
    private final GatewayHome home;
    private final GatewayPgpKey gatewayKey;
    private final AuditLog audit;
    private final Clock clock;
    private final TransactionTemplate transaction;
    /** Council, period and data mark whose unsent change was already logged (logged once each). */
    private final java.util.Set<String> unsentChangesNoted = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public FeedbackPacks(JdbcTemplate jdbc, TableBuilder builder, CouncilDataProgress progress, DisclosureSettings settings,
                         PartnerRegistry registry, GatewayHome home, GatewayPgpKey gatewayKey, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.progress = progress;
        this.builder = builder;
        this.settings = settings;
        this.registry = registry;
        this.home = home;
        this.gatewayKey = gatewayKey;
        this.audit = audit;
        this.clock = clock;
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
    }

    /** The pre-approved standard tables: every measure by cohort alone, × age band, × sex, × problems. */
    public static List<TableSpec> standardTables(String council, String period) {
        List<TableSpec> specs = new ArrayList<>();
        for (Measure measure : Measure.values()) {
            for (List<Breakdown> breakdowns : STANDARD_BREAKDOWNS) {
                specs.add(new TableSpec(TableSpec.Scope.of(council, period), measure, breakdowns));
            }
        }
        return specs;
    }

    /**
     * Route {@code feedback-packs}: one pack to each council whose linked batch is complete and
     * whose latest period has had no batch pack yet. At most one BATCH pack per council and
     * period: a later change to an already-sent period's data (a late return) is not sent again
     * automatically, since two packs of nearly the same people let a reader difference them
     * (noted in the log; an ADMIN may still send it on request, audited).
     */
    public int sendDue() {
        publishRecorded();
        int sent = 0;
        for (Council council : registry.councils()) {
            String mark = progress.dataMark(council.code());
            if (mark == null || !progress.allExtractsIn(council.code()) || mark.equals(lastBatchMark(council.code()))) {
                continue;
            }
            String period = latestPeriod(council.code());
            if (period == null) {
                continue;
            }
            if (batchPackSent(council.code(), period)) {
                if (unsentChangesNoted.add(council.code() + "|" + period + "|" + mark)) {
                    LOG.info("feedback pack for {} period {}: its data changed after the period's pack; not resent"
                            + " automatically (an ADMIN may send it on request)", council.code(), period);
                }
                continue;
            }
            try {
                send(council.code(), period, "gateway", Trigger.BATCH);
                sent++;
            } catch (RuntimeException e) {
                // one council's failure must not hold up the others; retried on the next run
                LOG.error("feedback pack for {} not sent: {}", council.code(), e.getClass().getSimpleName());
            }
        }
        return sent;
    }

    /**
     * Builds and delivers one council's pack for {@code period} (null: its latest period with
     * linked data).
     *
     * @throws IllegalArgumentException for an unknown council or one without linked data
     */
    public Release send(String councilCode, String period, String requestedBy, Trigger trigger) {
        Council council = registry.council(councilCode)
                .orElseThrow(() -> new IllegalArgumentException("unknown council"));
        String mark = progress.dataMark(council.code());
        String effectivePeriod = period != null ? period : latestPeriod(council.code());
        if (effectivePeriod == null) {
            throw new IllegalArgumentException("the council has no linked data yet");
        }
        DisclosureRules rules = settings.rules();
        byte[] earlierPack = recordedPack(council.code(), effectivePeriod);
        List<OutcomeTable> tables;
        byte[] zip;
        AnalystLedger.Earlier earlier = earlierPack != null ? null : earlierOver(council.code(), effectivePeriod);
        if (earlierPack != null) {
            // the period was released before: the same figures again, never a second version
            tables = List.of();
            zip = earlierPack;
        } else {
            ReleaseProtection.Result protectedPack = protect(builder, council.code(), effectivePeriod, rules, earlier,
                    settings.perturbation());
            tables = protectedPack.tables();
            String today = LocalDate.now(clock.withZone(ZoneOffset.UTC)).toString();
            zip = zip(council.code(), effectivePeriod, today, rules, tables, protectedPack.summary());
        }
        String zipSha256 = sha256(zip);
        int cells = earlierPack != null ? recordedCount(council.code(), effectivePeriod, false)
                : tables.stream().mapToInt(OutcomeTable::cellCount).sum();
        int suppressed = earlierPack != null ? recordedCount(council.code(), effectivePeriod, true)
                : tables.stream().mapToInt(OutcomeTable::suppressedCount).sum();
        long refused = tables.stream().filter(OutcomeTable::refused).count();
        int tableCount = earlierPack != null ? standardTables(council.code(), effectivePeriod).size() : tables.size();
        List<OutcomeTable> released = tables;

        GatewayHome.ensureDirectory(home.outbound(council.code()));
        // Sealed under its release id where councils cannot see it; recorded; only after the
        // record commits is it published into outbound/. A pack recorded but not yet published
        // (a crash in between) is published by the next run ({@link #publishRecorded()}).
        String id = UUID.randomUUID().toString();
        Path pending = pendingDirectory().resolve(id + SUFFIX);
        boolean recorded = false;
        try {
            String sealedSha256 = seal(zip, council, pending, "feedback-pack.zip");
            Release release = transaction.execute(tx -> {
                if (trigger == Trigger.BATCH && batchPackSent(council.code(), effectivePeriod)) {
                    throw new IllegalStateException("the period's batch pack was already sent");
                }
                String fileName = nextFileName(council.code());
                jdbc.update("insert into feedback_release (id, council_code, period, file_name, trigger_kind, requested_by,"
                                + " data_mark, tables_count, cells_count, suppressed_count, sha256, released_at)"
                                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", id, council.code(), effectivePeriod, fileName,
                        trigger.name(), requestedBy, mark == null ? "none" : mark, tableCount, cells, suppressed,
                        sealedSha256, Timestamp.from(clock.instant()));
                if (earlierPack == null) {
                    // serialised with analysts' approvals: nothing over these people released since the check
                    jdbc.queryForList("select id from release_ledger_lock where id = 1 for update");
                    if (!earlierOver(council.code(), effectivePeriod).releaseList().equals(earlier.releaseList())) {
                        throw new TableRequests.StaleCheckException("a table over the same people was released while the"
                                + " pack was being protected; send it again");
                    }
                    recordCells(id, council.code(), effectivePeriod, released);
                    jdbc.update("insert into feedback_release_content (council_code, period, release_id, zip)"
                            + " values (?, ?, ?, ?)", council.code(), effectivePeriod, id, zip);
                }
                audit.record(AuditEventType.FEEDBACK_RELEASED, council.code(), id, actor(requestedBy),
                        "to council " + council.code() + " outbound/" + fileName + ": period " + effectivePeriod + ", "
                                + tableCount + " standard tables (" + refused + " withheld), " + cells + " cells, "
                                + suppressed + " suppressed, threshold " + rules.threshold() + ", zip sha256=" + zipSha256
                                + ", file sha256=" + sealedSha256 + ", trigger " + trigger
                                + (earlierPack != null ? ", the period's recorded figures repeated" : ""));
                return new Release(id, council.code(), effectivePeriod, fileName, tableCount, cells, suppressed, sealedSha256);
            });
            recorded = true;
            publish(release.id(), release.council(), release.fileName(), release.sha256());
            return release;
        } finally {
            if (!recorded) {
                try {
                    Files.deleteIfExists(pending);
                } catch (IOException e) {
                    // invisible to councils and unrecorded: removed by a later run
                }
            }
        }
    }

    /**
     * The standard tables of a council and period protected as one release against what the
     * council knows ({@link ReleaseProtection}), with {@code earlier} cells it was already sent.
     */
    public static ReleaseProtection.Result protect(TableBuilder builder, String council, String period,
                                                   DisclosureRules rules, List<ReleaseProtection.KnownCell> earlier) {
        return protect(builder, council, period, rules, earlier, null);
    }

    /** The same, shown counts perturbed by {@code perturbation} (the cell key method; null: exact). */
    public static ReleaseProtection.Result protect(TableBuilder builder, String council, String period,
                                                   DisclosureRules rules, List<ReleaseProtection.KnownCell> earlier,
                                                   CellKeyPerturbation perturbation) {
        List<TableSpec> specs = standardTables(council, period);
        return new ReleaseProtection(rules, perturbation).protect(builder.release(specs, perturbation), specs, earlier);
    }

    /**
     * The standard tables protected as one release with {@code earlier} known (every table
     * released over the same people, filtered analysts' tables too), modelled over the people and
     * attributes those tables reach.
     */
    static ReleaseProtection.Result protect(TableBuilder builder, String council, String period, DisclosureRules rules,
                                            AnalystLedger.Earlier earlier) {
        return protect(builder, council, period, rules, earlier, null);
    }

    /** The same, shown counts perturbed by {@code perturbation} (null: exact). */
    static ReleaseProtection.Result protect(TableBuilder builder, String council, String period, DisclosureRules rules,
                                            AnalystLedger.Earlier earlier, CellKeyPerturbation perturbation) {
        List<TableSpec> specs = standardTables(council, period);
        return new ReleaseProtection(rules, perturbation).protect(builder.release(specs, earlier.universe(),
                earlier.attributes(), perturbation), specs, earlier.known());
    }

    /** Everything released over the people of a council's period pack (earlier packs and analysts' tables). */
    AnalystLedger.Earlier earlierOver(String council, String period) {
        return new AnalystLedger(jdbc).earlierOver(TableSpec.Scope.of(council, period),
                standardTables(council, period).stream().map(TableSpec::measure).distinct().toList());
    }

    /** The period's first released pack, if it had one: a re-send repeats it. */
    private byte[] recordedPack(String council, String period) {
        List<byte[]> zips = jdbc.query("select zip from feedback_release_content where council_code = ? and period = ?",
                (rs, n) -> rs.getBytes(1), council, period);
        return zips.isEmpty() ? null : zips.get(0);
    }

    private int recordedCount(String council, String period, boolean withheld) {
        Integer count = jdbc.queryForObject("select count(*) from released_cell c join feedback_release_content f"
                + " on f.release_id = c.release_id where f.council_code = ? and f.period = ?"
                + (withheld ? " and c.with_outcome = '" + SafeCell.SUPPRESSED_SYMBOL + "'" : ""), Integer.class, council, period);
        return count == null ? 0 : count;
    }

    /** Records every row the release shows (ledger): council, period, measure, breakdown, cohort, category, figures. */
    private void recordCells(String releaseId, String council, String period, List<OutcomeTable> tables) {
        List<Object[]> rows = new ArrayList<>();
        for (OutcomeTable t : tables) {
            for (OutcomeTable.Row row : t.rows()) {
                rows.add(new Object[] {releaseId, council, period, t.spec().measure().key(), t.spec().breakdownName(),
                        row.cohort(), row.category() == null ? Dimension.TOTAL : row.category(), row.persons(),
                        row.withOutcome(), row.percent(), t.perturbed()});
            }
        }
        // perturbed: the figure shown is the cell key method's, so later releases read it as a p-table preimage
        jdbc.batchUpdate("insert into released_cell (release_id, council_code, period, measure, breakdown, cohort, category,"
                + " persons, with_outcome, percent, perturbed) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows);
    }

    /** Where sealed packs wait, invisible to councils, until their record has committed. */
    Path pendingDirectory() {
        return GatewayHome.ensureDirectory(home.outgoingStaging().resolve("feedback"));
    }

    /**
     * Publishes recorded packs still waiting (the gateway stopped between recording and
     * publishing); removes sealed packs left without a record (their transaction failed) once
     * they are an hour old. Returns how many were published.
     */
    int publishRecorded() {
        int published = 0;
        List<Path> waiting;
        try (java.util.stream.Stream<Path> files = Files.list(pendingDirectory())) {
            waiting = files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list waiting feedback packs", e);
        }
        for (Path file : waiting) {
            String name = file.getFileName().toString();
            String id = name.substring(0, name.length() - SUFFIX.length());
            List<Map<String, Object>> rows = jdbc.queryForList("select council_code, file_name, sha256 from feedback_release"
                    + " where id = ?", id);
            try {
                if (!rows.isEmpty()) {
                    Map<String, Object> row = rows.get(0);
                    if (publish(id, (String) row.get("council_code"), (String) row.get("file_name"), (String) row.get("sha256"))) {
                        published++;
                    }
                } else if (Files.getLastModifiedTime(file).toInstant().isBefore(clock.instant().minusSeconds(3600))) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException | RuntimeException e) {
                LOG.error("waiting feedback pack {} not published: {}", id, e.getClass().getSimpleName());
            }
        }
        return published;
    }

    /**
     * Moves a recorded pack into the council's outbound under its recorded name, never over an
     * existing file: a hard link (which fails if the name exists) then removal of the waiting
     * copy. If the name is already taken by the same pack it only tidies up; by anything else it
     * leaves both for an operator. Returns whether the pack is now published.
     */
    private boolean publish(String id, String council, String fileName, String sha256) {
        Path waiting = pendingDirectory().resolve(id + SUFFIX);
        Path target = GatewayHome.ensureDirectory(home.outbound(council)).resolve(fileName);
        try {
            try {
                Files.createLink(target, waiting);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (!sha256.equals(sha256(Files.readAllBytes(target)))) {
                    LOG.error("feedback pack {} not published: outbound/{} of {} already exists with other content",
                            id, fileName, council);
                    return false;
                }
            } catch (UnsupportedOperationException | IOException e) {
                if (Files.exists(target)) {
                    throw e;
                }
                Files.move(waiting, target); // no REPLACE_EXISTING: refuses to overwrite
                LOG.info("feedback pack {} published to outbound/{} of {}", id, fileName, council);
                return true;
            }
            Files.delete(waiting);
            LOG.info("feedback pack {} published to outbound/{} of {}", id, fileName, council);
            return true;
        } catch (IOException e) {
            LOG.error("feedback pack {} recorded but not yet published ({}); the next run retries",
                    id, e.getClass().getSimpleName());
            return false;
        }
    }

    /** The pack's content: {@code report.html}, {@code manifest.json} and one CSV per table under {@code tables/}. */
    static byte[] zip(String council, String period, String day, DisclosureRules rules, List<OutcomeTable> tables,
                      ReleaseProtection.Summary summary) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            zip.putNextEntry(new ZipEntry(REPORT));
            zip.write(FeedbackReport.render(council, period, day, rules, tables,
                    summary == null ? null : summary.perturbed()).getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            List<Map<String, Object>> listed = new ArrayList<>();
            for (OutcomeTable table : tables) {
                String name = "tables/" + table.spec().name() + ".csv";
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("file", table.refused() ? null : name);
                entry.put("measure", table.spec().measure().key());
                entry.put("title", table.spec().measure().title());
                entry.put("breakdowns", table.spec().breakdowns().stream().map(Breakdown::key).toList());
                entry.put("withheld", table.refused());
                if (table.refused()) {
                    entry.put("withheldBecause", table.refusedBecause());
                }
                entry.put("cells", table.cellCount());
                entry.put("suppressedCells", table.suppressedCount());
                Map<Suppression, List<Map<String, String>>> withheld = table.withheldCells();
                entry.put("primarySuppressed", withheld.getOrDefault(Suppression.PRIMARY, List.of()));
                entry.put("secondarySuppressed", withheld.getOrDefault(Suppression.SECONDARY, List.of()));
                entry.put("notApplicable", withheld.getOrDefault(Suppression.NOT_APPLICABLE, List.of()));
                listed.add(entry);
                if (table.refused()) {
                    continue;
                }
                zip.putNextEntry(new ZipEntry(name));
                CSVPrinter csv = new CSVPrinter(new OutputStreamWriter(NonClosing.of(zip), StandardCharsets.UTF_8),
                        CSVFormat.RFC4180);
                for (List<String> record : table.csvRecords()) {
                    csv.printRecord(record);
                }
                csv.close();
                zip.closeEntry();
            }
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("council", council);
            manifest.put("period", period);
            manifest.put("produced", day);
            manifest.put("threshold", rules.threshold());
            manifest.put("zerosDisclosive", rules.zerosDisclosive());
            manifest.put("suppressedSymbol", SafeCell.SUPPRESSED_SYMBOL);
            manifest.put("notApplicableSymbol", SafeCell.NOT_APPLICABLE_SYMBOL);
            manifest.put("notApplicableMeans", "nobody in the cell is sent to the measure's department (outside its"
                    + " age filter), so the outcome cannot occur there");
            if (summary != null) {
                Map<String, Object> protection = new LinkedHashMap<>();
                ReleaseProtection.Perturbed perturbed = summary.perturbed();
                protection.put("method", perturbed == null ? "suppression" : "cell-key");
                protection.put("model", "one integer model per release (CP-SAT), the council's own batch known");
                if (perturbed != null) {
                    protection.put("cellKey", cellKeyManifest(perturbed));
                }
                protection.put("distinctOutcomeCells", summary.cells());
                protection.put("primarySuppressed", summary.primary());
                protection.put("secondarySuppressed", summary.secondary());
                protection.put("notApplicable", summary.notApplicable());
                protection.put("informationLoss", Math.round(summary.informationLoss() * 1000) / 1000.0);
                protection.put("informationLossMeans", "share of the non-sensitive cells' total count withheld as"
                        + " complements");
                manifest.put("protection", protection);
            }
            manifest.put("tables", listed);
            zip.putNextEntry(new ZipEntry(MANIFEST));
            zip.write(TableRequests.json(manifest).getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the feedback pack", e);
        }
        return bytes.toByteArray();
    }

    /** What the manifest says of the cell key method: what it changed, that tables are not additive, what it cost. */
    static Map<String, Object> cellKeyManifest(ReleaseProtection.Perturbed perturbed) {
        Map<String, Object> cellKey = new LinkedHashMap<>();
        cellKey.put("means", "every shown with-outcome count is perturbed by the p-table (ONS cell key method) under a"
                + " key only the gateway holds; persons counts are exact; sensitive cells are still withheld");
        cellKey.put("maxPerturbation", perturbed.maxPerturbation());
        cellKey.put("additive", false);
        cellKey.put("additiveMeans", "totals are perturbed as cells of their own: parts need not add up to their total;"
                + " percentages are the shown count over the shown persons");
        cellKey.put("shownCells", perturbed.shown());
        cellKey.put("perturbedCells", perturbed.changed());
        cellKey.put("meanAbsolutePerturbation", Math.round(perturbed.meanAbsolutePerturbation() * 1000) / 1000.0);
        return cellKey;
    }

    private String seal(byte[] zip, Council council, Path staged, String literalName) {
        try (OutputStream file = Files.newOutputStream(staged);
             DigestOutputStream out = new DigestOutputStream(file, MessageDigest.getInstance("SHA-256"))) {
            new PgpEncryptSigner().encryptAndSign(new ByteArrayInputStream(zip), out, council.pgpPublicKey(), gatewayKey,
                    literalName);
            out.flush();
            return HexFormat.of().formatHex(out.getMessageDigest().digest());
        } catch (IOException | PGPException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot seal the feedback pack", e);
        }
    }

    private String nextFileName(String council) {
        String day = LocalDate.now(clock.withZone(ZoneOffset.UTC)).format(DAY);
        String prefix = PREFIX + council + "-" + day + "-";
        Integer sent = jdbc.queryForObject("select count(*) from feedback_release where council_code = ? and file_name like ?",
                Integer.class, council, prefix + "%");
        return prefix + String.format("%02d", (sent == null ? 0 : sent) + 1) + SUFFIX;
    }

    /** Whether the council already had its automatic (BATCH) pack for this period. */
    private boolean batchPackSent(String council, String period) {
        Long sent = jdbc.queryForObject("select count(*) from feedback_release where council_code = ? and period = ?"
                + " and trigger_kind = 'BATCH'", Long.class, council, period);
        return sent != null && sent > 0;
    }

    private String lastBatchMark(String council) {
        List<String> marks = jdbc.queryForList("select data_mark from feedback_release where council_code = ?"
                + " and trigger_kind = 'BATCH' order by released_at desc", String.class, council);
        return marks.isEmpty() ? null : marks.get(0);
    }

    private String latestPeriod(String council) {
        return jdbc.queryForObject("select max(period) from research_person where council_code = ?", String.class, council);
    }

    private static String actor(String user) {
        return "gateway".equals(user) ? user : "http:" + user;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Why a pack was sent. */
    public enum Trigger { BATCH, REQUEST }

    /** One delivered pack. */
    public record Release(String id, String council, String period, String fileName, int tables, int cells,
                          int suppressed, String sha256) {
    }

    /** Lets a CSV printer be closed (flushing its writer) without closing the zip under it. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        private NonClosing(OutputStream out) {
            super(out);
        }

        static OutputStream of(OutputStream out) {
            return new NonClosing(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
