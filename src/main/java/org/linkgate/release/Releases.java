package org.linkgate.release;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.linkgate.agreement.Agreement;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.intake.IntakeFiles;
import org.linkgate.kernel.Alerts;
import org.linkgate.kernel.Causes;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.LinkgateProperties;
import org.linkgate.pseudonymisation.PseudonymisationKey;
import org.linkgate.transfer.HostKeyRejectedException;
import org.linkgate.transfer.TransferFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Releases of linked data to the sponsor, from request to delivery:
 *
 * <ol>
 *   <li>{@link #request}: an analyst asks, for one of the agreement's purposes; the batches whose
 *       linked data is still held are fixed ({@code release_intake}), k-anonymity is checked, and
 *       the release is built at once (encrypted to the recipient) and waits for approval — or is
 *       refused with the reason;</li>
 *   <li>{@link #approve} by an ADMIN who is not the requester, or {@link #reject};</li>
 *   <li>{@link #sendDue} (route {@code release-delivery}, and at once after approval) delivers each
 *       approved release as {@code <RECIPIENT>_<RELEASE_ID>.zip.pgp}, once unless the recipient collects it
 *       between the rename and its record and the gateway stops there (docs/release.md); a failure is retried
 *       with doubling back-off and operators are alerted when failures persist.</li>
 * </ol>
 *
 * A release whose batches' linked data was destroyed since it was built, or which the agreement no longer
 * allows (term, terminations), is refused, never sent. Every step is audited.
 */
@Component("releases")
public class Releases {

    private static final Logger LOG = LoggerFactory.getLogger(Releases.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter ID_DATE = DateTimeFormatter.ofPattern("yyyyMMdd");
    /** How long a delivery attempt holds its claim: past it, a replica that died mid-attempt is taken over. */
    static final Duration ATTEMPT_CLAIM = Duration.ofMinutes(10);
    /** A build still running after this long was cut short by a stop. */
    static final Duration STALE_BUILD = Duration.ofHours(6);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final ReleaseRecipients recipients;
    private final AgreementPolicy policy;
    private final ReleaseWriter writer;
    private final KAnonymity kAnonymity;
    private final ReleaseDelivery delivery;
    private final IntakeFiles batches;
    private final GatewayHome home;
    private final AuditLog audit;
    private final Alerts alerts;
    private final LinkgateProperties.Departments retry;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    @org.springframework.beans.factory.annotation.Autowired
    public Releases(JdbcTemplate jdbc, TransactionTemplate transactions, ReleaseRecipients recipients,
                    AgreementPolicy policy, PseudonymisationKey pseudonymisationKey, GatewayPgpKey gatewayKey,
                    ReleaseDelivery delivery, IntakeFiles batches, GatewayHome home, AuditLog audit, Alerts alerts,
                    LinkgateProperties properties, Clock clock) {
        this(jdbc, transactions, recipients, policy, pseudonymisationKey, gatewayKey, delivery, batches, home, audit,
                alerts, properties.departments(), clock);
    }

    /** With the retry settings (those of department deliveries) given directly. */
    Releases(JdbcTemplate jdbc, TransactionTemplate transactions, ReleaseRecipients recipients,
             AgreementPolicy policy, PseudonymisationKey pseudonymisationKey, GatewayPgpKey gatewayKey,
             ReleaseDelivery delivery, IntakeFiles batches, GatewayHome home, AuditLog audit, Alerts alerts,
             LinkgateProperties.Departments retry, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.recipients = recipients;
        this.policy = policy;
        this.writer = new ReleaseWriter(jdbc, transactions, pseudonymisationKey, gatewayKey);
        this.kAnonymity = new KAnonymity(jdbc);
        this.delivery = delivery;
        this.batches = batches;
        this.home = home;
        this.audit = audit;
        this.alerts = alerts;
        this.retry = retry;
        this.clock = clock;
    }

    /** The file name a recipient receives: {@code <RECIPIENT>_<RELEASE_ID>.zip.pgp}. */
    public static String fileName(String recipientCode, String releaseId) {
        return recipientCode.toUpperCase(Locale.ROOT) + "_" + releaseId + ".zip.pgp";
    }

    /** The request may not be made as asked (bad purpose, unknown recipient or period): nothing is recorded. */
    public static class BadRequestException extends IllegalArgumentException {
        BadRequestException(String message) {
            super(message);
        }
    }

    /** The approver is the requester (cl. 11: a second person checks every output). */
    public static class TwoPersonRuleException extends RuntimeException {
        TwoPersonRuleException() {
            super("a release must be approved by an ADMIN other than the analyst who requested it");
        }
    }

    /** The release is not awaiting a decision. */
    public static class NotPendingException extends RuntimeException {
        NotPendingException(String status) {
            super("the release is " + status + ", not awaiting approval");
        }
    }

    /**
     * Asks for a release to {@code recipientCode} (null: the only configured recipient) for
     * {@code purpose}, of the batches of {@code periods} (null or empty: every batch whose linked
     * data is held). Returns the release id; the release is AWAITING_APPROVAL or REFUSED.
     *
     * @throws BadRequestException for a purpose not in the agreement, an unknown recipient or a period
     *                             with no accepted batch
     */
    public String request(String recipientCode, String purpose, List<String> periods, String requestedBy) {
        ReleaseRecipients.Configured recipient = recipient(recipientCode);
        Agreement agreement = policy.agreement();
        String cleanPurpose = purpose == null ? "" : purpose.strip();
        if (!agreement.releasePurposes().contains(cleanPurpose)) {
            throw new BadRequestException("purpose must be one of the agreement's (cl. 6.1): "
                    + agreement.releasePurposes());
        }
        List<String> wanted = periods == null ? List.of() : periods.stream().map(String::strip).distinct().toList();
        for (String period : wanted) {
            if (!period.matches("\\d{4}-(0[1-9]|1[0-2])")) {
                throw new BadRequestException("period must be YYYY-MM");
            }
        }
        String id = newId();
        Instant now = clock.instant();
        String refusal = refusalByAgreement(recipient.code());
        List<IntakeFiles.AcceptedBatch> intakes = new ArrayList<>();
        if (refusal == null) {
            refusal = selectIntakes(wanted, intakes);
        }
        String spec = toJson(specView(recipient.spec()));
        int k = agreement.release().k();
        String finalRefusal = refusal;
        transactions.executeWithoutResult(tx -> {
            jdbc.update("insert into data_release (id, recipient_code, purpose, status, requested_by, requested_at, k,"
                            + " spec_json, file_name, reason) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", id, recipient.code(),
                    cleanPurpose, finalRefusal == null ? "BUILDING" : "REFUSED", requestedBy, Timestamp.from(now), k, spec,
                    fileName(recipient.code(), id), finalRefusal);
            jdbc.batchUpdate("insert into release_intake (release_id, intake_id, council_code, period, rows_released)"
                    + " values (?, ?, ?, ?, 0)", intakes.stream().map(i -> new Object[] {id, i.id(), i.councilCode(),
                            i.period()}).toList());
            audit.record(AuditEventType.RELEASE_REQUESTED, recipient.code(), id, requestedBy,
                    "purpose=" + purposeIndex(cleanPurpose) + " periods=" + (wanted.isEmpty() ? "all" : wanted)
                            + " batches=" + intakes.size());
            if (finalRefusal != null) {
                audit.record(AuditEventType.RELEASE_REFUSED, recipient.code(), id, "release", finalRefusal);
            }
        });
        if (refusal != null) {
            return id;
        }
        build(id, recipient, cleanPurpose, k, now);
        return id;
    }

    private void build(String id, ReleaseRecipients.Configured recipient, String purpose, int k, Instant now) {
        KAnonymity.Outcome outcome;
        try {
            outcome = kAnonymity.check(id, recipient.spec(), k);
        } catch (RuntimeException e) {
            LOG.warn("release {}: k-anonymity check failed", id, e);
            refuse(id, recipient.code(), "the k-anonymity check failed (" + e.getClass().getSimpleName() + ")", null,
                    "BUILDING");
            return;
        }
        String report = toJson(outcome.report());
        if (outcome.refused()) {
            refuse(id, recipient.code(), "k-anonymity: " + outcome.report().reason(), report, "BUILDING");
            return;
        }
        Path staged = GatewayHome.ensureDirectory(stagingDir()).resolve(fileName(recipient.code(), id));
        ReleaseBuild build;
        try {
            build = writer.write(new ReleaseWriter.Header(id, recipient.code(), policy.agreement().reference(), purpose, now,
                            policy.terminatedParties(AgreementPolicy.today(clock))),
                    recipient, outcome, staged, fileName(recipient.code(), id).replaceFirst("\\.pgp$", ""));
        } catch (RuntimeException e) {
            LOG.warn("release {} could not be built", id, e);
            refuse(id, recipient.code(), "the release could not be built (" + e.getClass().getSimpleName() + ")", report,
                    "BUILDING");
            return;
        }
        transactions.executeWithoutResult(tx -> {
            jdbc.update("update data_release set status = 'AWAITING_APPROVAL', report_json = ?, manifest_json = ?,"
                            + " staged_path = ?, rows_released = ?, size_bytes = ?, sha256 = ? where id = ? and status = 'BUILDING'",
                    report, build.manifestJson(), home.root().relativize(staged).toString(), build.personRows(),
                    build.sizeBytes(), build.sha256(), id);
            for (Map.Entry<String, Long> rows : build.rowsByIntake().entrySet()) {
                jdbc.update("update release_intake set rows_released = ? where release_id = ? and intake_id = ?",
                        rows.getValue(), id, rows.getKey());
            }
        });
        LOG.info("release {} built: {} rows, {} bytes, awaiting approval", id, build.personRows(), build.sizeBytes());
    }

    /**
     * Refuses a release that is still {@code expected}: a release another replica has moved on since it was read
     * (sent, rejected, refused already) keeps its status and is not audited again. Returns whether it was refused.
     */
    private boolean refuse(String id, String recipientCode, String reason, String report, String expected) {
        Boolean refused = transactions.execute(tx -> {
            int n = jdbc.update("update data_release set status = 'REFUSED', reason = ?, report_json = coalesce(?, report_json)"
                    + " where id = ? and status = ?", truncate(reason), report, id, expected);
            if (n == 1) {
                audit.record(AuditEventType.RELEASE_REFUSED, recipientCode, id, "release", truncate(reason));
            }
            return n == 1;
        });
        return Boolean.TRUE.equals(refused);
    }

    /**
     * The agreement must be in force, neither terminated as a whole nor for the recipient, a sponsor or the
     * processor (cl. 3, 15). Asked at request, at approval and before every delivery attempt: a termination
     * recorded or reloaded after the request stops a release not yet sent.
     */
    private String refusalByAgreement(String recipientCode) {
        LocalDate today = AgreementPolicy.today(clock);
        Agreement agreement = policy.agreement();
        if (!agreement.term().covers(today)) {
            return "the agreement " + agreement.reference() + " is not in force on " + today + " (cl. 3)";
        }
        if (policy.terminated(today)) {
            return "the agreement " + agreement.reference() + " is terminated (cl. 15)";
        }
        Set<String> terminated = policy.terminatedParties(today);
        if (terminated.contains(recipientCode)) {
            return "the agreement is terminated for " + recipientCode + " (cl. 15)";
        }
        for (Agreement.Party party : agreement.parties()) {
            if ((party.kind() == Agreement.Kind.SPONSOR || party.kind() == Agreement.Kind.PROCESSOR)
                    && terminated.contains(party.code())) {
                return "the agreement is terminated for " + party.code() + " (cl. 15)";
            }
        }
        return null;
    }

    /**
     * {@link #refusalByAgreement}, and also none of the parties whose data a built release holds terminated since:
     * the councils of its batches and the departments whose datasets are in its file (cl. 12.9, 15).
     */
    private Optional<String> refusalSinceBuilt(Map<String, Object> release) {
        String refusal = refusalByAgreement((String) release.get("recipient_code"));
        if (refusal != null) {
            return Optional.of(refusal + ": the release is never sent");
        }
        Set<String> terminated = policy.terminatedParties(AgreementPolicy.today(clock));
        if (terminated.isEmpty()) {
            return Optional.empty();
        }
        Set<String> holding = new TreeSet<>(jdbc.queryForList("select distinct council_code from release_intake"
                + " where release_id = ?", String.class, release.get("id")));
        holding.addAll(datasetDepartments(release.get("manifest_json")));
        holding.retainAll(terminated);
        return holding.isEmpty() ? Optional.empty() : Optional.of("the agreement is terminated for " + holding
                + " since the release was built (cl. 15): their data is never sent");
    }

    /** The departments whose dataset files the release's manifest lists ({@code <DEPT>_<DATASET>.csv}). */
    private Set<String> datasetDepartments(Object manifestJson) {
        Set<String> departments = new TreeSet<>();
        if (manifestJson == null) {
            return departments;
        }
        try {
            for (com.fasterxml.jackson.databind.JsonNode file : json.readTree((String) manifestJson).path("files")) {
                String name = file.path("name").asText("");
                int underscore = name.indexOf('_');
                if (underscore > 0 && name.endsWith(".csv")) {
                    departments.add(name.substring(0, underscore));
                }
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a release manifest is unreadable", e);
        }
        return departments;
    }

    /** Fills {@code intakes} with the batches to release; returns a refusal reason, or null. */
    private String selectIntakes(List<String> periods, List<IntakeFiles.AcceptedBatch> intakes) {
        Set<String> terminated = policy.terminatedParties(AgreementPolicy.today(clock));
        Map<String, String> destroyedPeriods = new LinkedHashMap<>();
        Map<String, Boolean> livePeriods = new LinkedHashMap<>();
        Set<String> excluded = new TreeSet<>();
        for (IntakeFiles.AcceptedBatch batch : batches.accepted(periods)) {
            String period = batch.period();
            if (terminated.contains(batch.councilCode())) {
                excluded.add(batch.councilCode()); // its data is to be destroyed (cl. 12.9), never released
                livePeriods.putIfAbsent(period, false);
            } else if (batch.linkedDataDestroyedAt() == null) {
                intakes.add(batch);
                livePeriods.put(period, true);
            } else {
                destroyedPeriods.put(period, batch.linkedDataDestroyedAt().toString());
            }
        }
        for (String period : periods) {
            if (!livePeriods.containsKey(period) && !destroyedPeriods.containsKey(period)) {
                throw new BadRequestException("no accepted batch for period " + period);
            }
            if (Boolean.FALSE.equals(livePeriods.get(period)) && !destroyedPeriods.containsKey(period)) {
                return "the agreement is terminated for " + excluded + " (cl. 15): the batches of period " + period
                        + " cannot be released";
            }
            if (!Boolean.TRUE.equals(livePeriods.get(period))) {
                return "the linked data of period " + period + " was destroyed (" + destroyedPeriods.get(period)
                        + ", cl. 4.8): it cannot be released";
            }
        }
        if (intakes.isEmpty()) {
            return !excluded.isEmpty() ? "the agreement is terminated for " + excluded + " (cl. 15): there is no"
                    + " other linked data to release"
                    : destroyedPeriods.isEmpty() ? "there is no linked data to release"
                    : "the linked data was destroyed (cl. 4.8): it cannot be released";
        }
        return null;
    }

    /**
     * Approves a release awaiting approval; it is sent at once, or retried until it is.
     *
     * @throws TwoPersonRuleException if the approver requested it
     * @throws NotPendingException    if it is not awaiting approval
     */
    public synchronized void approve(String id, String admin) {
        Map<String, Object> release = require(id);
        String status = (String) release.get("status");
        if (!"AWAITING_APPROVAL".equals(status)) {
            throw new NotPendingException(status);
        }
        if (admin.equals(release.get("requested_by"))) {
            throw new TwoPersonRuleException();
        }
        String recipientCode = (String) release.get("recipient_code");
        Optional<String> destroyed = destroyedSinceBuilt(id);
        if (destroyed.isEmpty()) {
            destroyed = refusalSinceBuilt(release);
        }
        if (destroyed.isPresent()) {
            if (refuse(id, recipientCode, destroyed.get(), null, "AWAITING_APPROVAL")) {
                deleteStaged(release);
            }
            return;
        }
        Instant now = clock.instant();
        boolean[] approved = {false};
        transactions.executeWithoutResult(tx -> {
            approved[0] = jdbc.update("update data_release set status = 'APPROVED', decided_by = ?, decided_at = ?,"
                    + " next_attempt_at = ? where id = ? and status = 'AWAITING_APPROVAL'", admin, Timestamp.from(now),
                    Timestamp.from(now), id) == 1;
            if (approved[0]) {
                audit.record(AuditEventType.RELEASE_APPROVED, recipientCode, id, admin,
                        "rows=" + release.get("rows_released") + " sha256=" + release.get("sha256"));
            }
        });
        if (!approved[0]) {
            throw new NotPendingException(String.valueOf(require(id).get("status")));
        }
        sendDue();
    }

    /** Rejects a release awaiting approval; its built file is deleted. */
    public void reject(String id, String admin, String reason) {
        Map<String, Object> release = require(id);
        String text = reason == null || reason.isBlank() ? "rejected" : truncate(reason.strip());
        int changed = transactions.execute(tx -> {
            int n = jdbc.update("update data_release set status = 'REJECTED', decided_by = ?, decided_at = ?, reason = ?"
                    + " where id = ? and status = 'AWAITING_APPROVAL'", admin, Timestamp.from(clock.instant()), text, id);
            if (n == 1) {
                audit.record(AuditEventType.RELEASE_REJECTED, (String) release.get("recipient_code"), id, admin, "rejected");
            }
            return n;
        });
        if (changed != 1) {
            throw new NotPendingException(String.valueOf(require(id).get("status")));
        }
        deleteStaged(release);
    }

    /** Called by route {@code release-delivery}: delivers approved releases that are due, stopping at a failure. */
    public synchronized void sendDue() {
        abandonStaleBuilds();
        // A built release waiting for a decision over data destroyed since: refused, and its file removed now.
        for (Map<String, Object> waiting : jdbc.queryForList("select * from data_release where status = 'AWAITING_APPROVAL'")) {
            String id = (String) waiting.get("id");
            Optional<String> destroyed = destroyedSinceBuilt(id).or(() -> refusalSinceBuilt(waiting));
            if (destroyed.isPresent() && refuse(id, (String) waiting.get("recipient_code"), destroyed.get(), null,
                    "AWAITING_APPROVAL")) {
                deleteStaged(waiting);
            }
        }
        List<Map<String, Object>> due = jdbc.queryForList("select * from data_release where status = 'APPROVED'"
                + " and next_attempt_at <= ? order by decided_at, id", Timestamp.from(clock.instant()));
        for (Map<String, Object> release : due) {
            String id = (String) release.get("id");
            String recipientCode = (String) release.get("recipient_code");
            Optional<String> destroyed = destroyedSinceBuilt(id).or(() -> refusalSinceBuilt(release));
            if (destroyed.isPresent()) {
                if (refuse(id, recipientCode, destroyed.get(), null, "APPROVED")) {
                    deleteStaged(release);
                }
                continue;
            }
            // Claim the attempt: of two replicas (the route's leader and the one an approval came to) only one
            // tries; a replica that dies mid-attempt leaves the claim to expire.
            Instant now = clock.instant();
            int claimed = jdbc.update("update data_release set next_attempt_at = ? where id = ? and status = 'APPROVED'"
                    + " and next_attempt_at <= ?", Timestamp.from(now.plus(ATTEMPT_CLAIM)), id, Timestamp.from(now));
            if (claimed != 1) {
                continue;
            }
            try {
                send(release);
            } catch (RuntimeException e) {
                failed(release, e);
                return; // the recipient is probably down: the rest wait for the next attempt
            }
        }
    }

    /**
     * A build runs within its request; one still BUILDING long after (the gateway stopped mid-build) will never
     * finish: it is refused and its partial file removed, so nothing is left half-made.
     */
    private void abandonStaleBuilds() {
        Instant cutoff = clock.instant().minus(STALE_BUILD);
        for (Map<String, Object> stale : jdbc.queryForList("select id, recipient_code from data_release"
                + " where status = 'BUILDING' and requested_at < ?", Timestamp.from(cutoff))) {
            String id = (String) stale.get("id");
            String recipientCode = (String) stale.get("recipient_code");
            if (!refuse(id, recipientCode, "the build did not finish (the gateway stopped during it); ask again", null,
                    "BUILDING")) {
                continue; // it finished after all
            }
            try {
                Files.deleteIfExists(stagingDir().resolve("." + fileName(recipientCode, id) + ".part"));
                Files.deleteIfExists(stagingDir().resolve(fileName(recipientCode, id)));
            } catch (IOException e) {
                LOG.warn("could not remove the partial file of release {}", id);
            }
        }
    }

    private void send(Map<String, Object> release) {
        String id = (String) release.get("id");
        ReleaseRecipients.Configured recipient = recipient((String) release.get("recipient_code"));
        String name = (String) release.get("file_name");
        long size = ((Number) release.get("size_bytes")).longValue();
        if (!delivery.alreadyDelivered(recipient.recipient(), name, size)) {
            Path staged = home.root().resolve((String) release.get("staged_path"));
            delivery.deliver(recipient.recipient(), staged, name, size);
        }
        Instant now = clock.instant();
        transactions.executeWithoutResult(tx -> {
            int sent = jdbc.update("update data_release set status = 'SENT', sent_at = ?, attempts = attempts + 1,"
                    + " last_error = null, next_attempt_at = null where id = ? and status = 'APPROVED'", Timestamp.from(now), id);
            if (sent == 1) {
                audit.record(AuditEventType.RELEASE_SENT, recipient.code(), id, "release",
                        "file=" + name + " bytes=" + size + " sha256=" + release.get("sha256"));
            }
        });
        deleteStaged(release);
        LOG.info("release {} delivered to {} as {}", id, recipient.code(), name);
    }

    private void failed(Map<String, Object> release, RuntimeException error) {
        String id = (String) release.get("id");
        String recipientCode = (String) release.get("recipient_code");
        int attempts = ((Number) release.get("attempts")).intValue() + 1;
        Duration wait = backoff(attempts);
        String reason = TransferFailure.describe(error);
        Optional<HostKeyRejectedException> hostKey = Causes.find(error, HostKeyRejectedException.class);
        transactions.executeWithoutResult(tx -> {
            jdbc.update("update data_release set attempts = ?, next_attempt_at = ?, last_error = ? where id = ?"
                    + " and status = 'APPROVED'", attempts, Timestamp.from(clock.instant().plus(wait)), reason, id);
            audit.record(AuditEventType.RELEASE_DELIVERY_FAILED, recipientCode, id, "release",
                    "attempt " + attempts + ": " + reason + "; next in " + wait);
            if (hostKey.isPresent() && attempts == 1) {
                alerts.raise("HOST_KEY_REJECTED", recipientCode, id, "the SFTP server of " + recipientCode
                        + " presented a host key that is " + hostKey.get().reason() + " (" + hostKey.get().fingerprint()
                        + "); nothing was sent");
            }
            if (attempts == retry.alertAfterAttempts()) {
                alerts.raise("RELEASE_DELIVERY_FAILING", recipientCode, id,
                        "delivery of release " + id + " to " + recipientCode + " has failed " + attempts + " times");
            }
        });
        LOG.warn("delivery of release {} to {} failed (attempt {}), retrying in {}: {}", id, recipientCode, attempts, wait,
                error.toString());
    }

    Duration backoff(int attempts) {
        Duration wait = retry.retryBase().multipliedBy(1L << Math.min(attempts - 1, 20));
        return wait.compareTo(retry.retryMax()) > 0 ? retry.retryMax() : wait;
    }

    /** A reason to refuse if any batch of the release has had its linked data destroyed since it was built. */
    private Optional<String> destroyedSinceBuilt(String id) {
        List<String> periods = jdbc.queryForList("select distinct period from release_intake where release_id = ?"
                + " and linked_data_destroyed_at is not null order by period", String.class, id);
        return periods.isEmpty() ? Optional.empty() : Optional.of("the linked data of period(s) " + periods
                + " was destroyed after the release was built (cl. 4.8): it is never sent");
    }

    private void deleteStaged(Map<String, Object> release) {
        Object path = release.get("staged_path");
        if (path == null) {
            return;
        }
        try {
            Files.deleteIfExists(home.root().resolve((String) path));
            jdbc.update("update data_release set staged_path = null where id = ?", release.get("id"));
        } catch (IOException e) {
            LOG.warn("could not remove the staged file of release {}", release.get("id"));
        }
    }

    /** Releases, newest first, without their reports. */
    public List<Map<String, Object>> list() {
        List<Map<String, Object>> views = new ArrayList<>();
        for (Map<String, Object> row : jdbc.queryForList("select * from data_release order by requested_at desc, id")) {
            views.add(view(row, false));
        }
        return views;
    }

    /** One release with its k-anonymity report and manifest, as the approver sees it. */
    public Optional<Map<String, Object>> find(String id) {
        List<Map<String, Object>> rows = jdbc.queryForList("select * from data_release where id = ?", id);
        return rows.isEmpty() ? Optional.empty() : Optional.of(view(rows.get(0), true));
    }

    private Map<String, Object> view(Map<String, Object> row, boolean detail) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", row.get("id"));
        view.put("recipient", row.get("recipient_code"));
        view.put("purpose", row.get("purpose"));
        view.put("status", row.get("status"));
        view.put("requestedBy", row.get("requested_by"));
        view.put("requestedAt", instant(row.get("requested_at")));
        view.put("decidedBy", row.get("decided_by"));
        view.put("decidedAt", instant(row.get("decided_at")));
        view.put("reason", row.get("reason"));
        view.put("k", row.get("k"));
        view.put("fileName", row.get("file_name"));
        view.put("rowsReleased", row.get("rows_released"));
        view.put("sizeBytes", row.get("size_bytes"));
        view.put("sha256", row.get("sha256"));
        view.put("attempts", row.get("attempts"));
        view.put("nextAttemptAt", instant(row.get("next_attempt_at")));
        view.put("lastError", row.get("last_error"));
        view.put("sentAt", instant(row.get("sent_at")));
        if (detail) {
            view.put("specification", parse(row.get("spec_json")));
            view.put("kAnonymity", parse(row.get("report_json")));
            view.put("manifest", parse(row.get("manifest_json")));
            view.put("batches", jdbc.queryForList("select intake_id as batch, council_code as council, period,"
                    + " rows_released as rows from release_intake where release_id = ? order by period, intake_id",
                    row.get("id")));
        }
        return view;
    }

    private Object parse(Object text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readValue((String) text, Object.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String instant(Object value) {
        return value instanceof Timestamp t ? t.toInstant().toString()
                : value instanceof java.time.OffsetDateTime o ? o.toInstant().toString() : value == null ? null : value.toString();
    }

    private Map<String, Object> require(String id) {
        List<Map<String, Object>> rows = jdbc.queryForList("select * from data_release where id = ?", id);
        if (rows.isEmpty()) {
            throw new java.util.NoSuchElementException("no release " + id);
        }
        return rows.get(0);
    }

    private ReleaseRecipients.Configured recipient(String code) {
        if (code == null || code.isBlank()) {
            if (recipients.all().size() != 1) {
                throw new BadRequestException(recipients.all().isEmpty() ? "no release recipient is configured"
                        + " (config/recipients/)" : "name the recipient");
            }
            return recipients.all().iterator().next();
        }
        return recipients.find(code).orElseThrow(() -> new BadRequestException("unknown recipient"));
    }

    private Map<String, Object> specView(ReleaseSpec spec) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("variables", spec.variables().stream().map(ReleaseVariable::key).toList());
        view.put("datasets", spec.datasets().stream().map(d -> d.department() + "/" + d.dataset()).toList());
        view.put("maxSuppressedShare", spec.maxSuppressedShare());
        return view;
    }

    /** The purpose as its position in the agreement's list: short, and never free text in the audit trail. */
    private int purposeIndex(String purpose) {
        return policy.agreement().releasePurposes().indexOf(purpose);
    }

    private Path stagingDir() {
        return home.root().resolve("work/releases");
    }

    private String newId() {
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        return "R" + ID_DATE.format(AgreementPolicy.today(clock)) + "-" + HexFormat.of().withUpperCase().formatHex(random);
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise", e);
        }
    }

    private static String truncate(String text) {
        return text.length() <= 1000 ? text : text.substring(0, 997) + "...";
    }
}
