package org.linkgate.inbound;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.PgpDecryptVerifier;
import org.linkgate.crypto.PgpVerificationException;
import org.linkgate.crypto.VerifiedPlaintext;
import org.linkgate.inbound.InboundContext.Next;
import org.linkgate.incident.IncidentCategory;
import org.linkgate.kernel.Causes;
import org.linkgate.kernel.GatewayMetrics;
import org.linkgate.kernel.PartnerHeaders;
import org.linkgate.kernel.SealedReports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The steps every inbound file goes through, the same for both sides, each a bean method a route
 * template calls: {@code claim} (hash the custody copy, record it exactly once), {@code admit}
 * (name and agreement: refused unopened), {@code verify} (decrypt and check integrity and the
 * sender's signature before anything reads the content), {@code open} (the verified plaintext, for
 * the side's stages), {@code commit} (one transaction: the outcome and what it does), {@code report}
 * and {@code archive}. Each step records its result before the next, so a crash anywhere resumes
 * where it stopped when the custody copy is picked up again; a file that keeps failing is
 * quarantined with an alert. After each step header {@value PartnerHeaders#INBOUND_NEXT} says what
 * is left to do. One instance per side, made by {@link InboundLifecycles}.
 */
public final class InboundLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(InboundLifecycle.class);
    private final InboundSide side;
    private final InboundLedger ledger;
    private final InboundLifecycles.Shared shared;

    InboundLifecycle(InboundSide side, InboundLifecycles.Shared shared) {
        this.side = side;
        this.ledger = side.ledger();
        this.shared = shared;
    }

    public InboundSide side() {
        return side;
    }

    /**
     * Claims the custody file in hand (header {@code CamelFileAbsolutePath}; partner header set by
     * the route) and puts its {@link InboundContext} on the exchange. Hostile names and files out of
     * attempts end in quarantine; a leftover of a take-in already finished is removed.
     */
    public void claim(Exchange exchange) {
        Path file = Path.of(exchange.getIn().getHeader(PartnerHeaders.FILE_PATH, String.class));
        String partner = exchange.getIn().getHeader(PartnerHeaders.COUNCIL, String.class);
        if (partner == null) {
            partner = exchange.getIn().getHeader(PartnerHeaders.DEPARTMENT, String.class);
        }
        InboundContext context = claim(partner, file);
        exchange.setProperty(InboundContext.PROPERTY, context);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                context.close();
            }
        });
        if (context.entry() != null) {
            exchange.getIn().setHeader(PartnerHeaders.FILE_ID, context.entry().id());
        }
        next(exchange, context);
    }

    /** {@link #claim(Exchange)} without Camel: the context of one custody file of {@code partner}. */
    public InboundContext claim(String partner, Path file) {
        DropZoneTakeIn.CustodyName custody = DropZoneTakeIn.parse(file.getFileName().toString())
                .orElseThrow(() -> new IllegalArgumentException("not a custody file name"));
        InboundContext context = new InboundContext(side, partner, file, custody.receivedName(), custody.sourceKey());
        if (!custody.nameUnsafe()) {
            context.name(side.parseName(partner, custody.receivedName()));
        }
        FileDigest digest = FileDigest.of(file);
        String recordedName = context.echoable() ? context.receivedName() : "unsafe-name-" + digest.sha256().substring(0, 16);
        InboundLedger.Claim claim = ledger.claim(partner, recordedName, digest.sha256(), digest.size(),
                custody.sourceKey(), side.ledgerDetails(context.name()));
        InboundFile entry = claim.file();
        context.entry(entry);
        if (claim.arrival() == InboundLedger.Arrival.ALREADY_FINISHED) {
            // A take-in repeated after a crash, of a file whose story is complete: nothing more to do.
            deleteQuietly(file);
            context.next(Next.END);
            return context;
        }
        if (!context.echoable()) {
            quarantine(context, "file name breaks the contract and cannot be echoed in a report");
            // A file no contract allows landed in the drop-zone: one incident per partner while it lasts.
            shared.incidents().openOnce("UNEXPECTED_FILE|" + partner + "|hostile-name", IncidentCategory.UNEXPECTED_FILE,
                    partner, entry.id(), "a file with a name outside the contract arrived from " + partner
                            + "; it was quarantined unopened");
            return context;
        }
        if (entry.attempts() > shared.maxAttempts()) {
            if (entry.status() == InboundStatus.RECEIVED) {
                quarantine(context, "processing failed " + shared.maxAttempts() + " times");
                return context;
            }
            if (entry.attempts() == shared.maxAttempts() + 1) {
                // The outcome stands (it may have taken effect): only its report will not go out. Keep
                // trying at each poll, and tell operators once, so the partner is not left uninformed.
                shared.alerts().raise("REPORT_UNDELIVERABLE", partner, entry.id(), "the report on a file from "
                        + ledger.tables().partnerKind() + " " + partner + " could not be delivered after " + shared.maxAttempts()
                        + " attempts; the gateway keeps trying");
            }
        }
        if (entry.status() == InboundStatus.RECEIVED) {
            // Leftovers of an attempt interrupted by a crash are staged data only: remove them first.
            side.purge(entry.id());
            context.next(Next.PROCESS);
        } else if (entry.status() == InboundStatus.DUPLICATE && entry.reportJson() == null) {
            InboundFile original = ledger.find(entry.duplicateOf()).orElseThrow();
            complete(context, InboundStatus.DUPLICATE, InboundLedger.Counts.NONE, null,
                    shared.toJson(side.duplicateReport(entry, original)), () -> { });
        } else {
            context.next(Next.REPORT);
        }
        return context;
    }

    /** Refuses, unopened and with a report, a file whose name or sender the agreement does not allow. */
    public void admit(Exchange exchange) {
        InboundContext context = context(exchange);
        admit(context);
        next(exchange, context);
    }

    public void admit(InboundContext context) {
        if (context.next() != Next.PROCESS) {
            return;
        }
        Optional<FileError> refusal = side.admission(context);
        refusal.ifPresent(error -> complete(context, InboundStatus.REJECTED, InboundLedger.Counts.NONE, null,
                shared.toJson(side.refusalReport(context, error)), () -> { }));
    }

    /**
     * Decrypts the whole file and checks its integrity and its sender's signature, reading nothing
     * of the content: the plaintext goes nowhere. A file that fails is rejected with a report (and a
     * signature or integrity failure opens an incident); only a verified file is opened for the
     * side's stages. The decompression and size limits hold on this pass too.
     */
    public void verify(Exchange exchange) {
        InboundContext context = context(exchange);
        verify(context);
        next(exchange, context);
    }

    public void verify(InboundContext context) {
        if (context.next() != Next.PROCESS) {
            return;
        }
        InboundFile entry = context.entry();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(context.file()), 1 << 16)) {
            VerifiedPlaintext message = decrypt(context, raw);
            message.plaintext().transferTo(OutputStream.nullOutputStream());
            String signer = message.verify();
            context.signer(signer);
            ledger.verified(entry.id(), context.partner(), signer);
        } catch (IOException | RuntimeException e) {
            Optional<PgpVerificationException> refused = Causes.find(e, PgpVerificationException.class);
            if (refused.isEmpty()) {
                throw e instanceof IOException io
                        ? new UncheckedIOException("cannot read file " + entry.id(), io) : (RuntimeException) e;
            }
            FileError error = VerificationErrors.of(refused.get().reason());
            complete(context, InboundStatus.REJECTED, InboundLedger.Counts.NONE, null,
                    shared.toJson(side.refusalReport(context, error)), () -> {
                        if (VerificationErrors.SIGNATURE_FAILURES.contains(error.rule())) {
                            // One incident per partner while it lasts: a run of bad files is one condition (cl. 13).
                            shared.incidents().openOnce("SIGNATURE_FAILURE|" + context.partner(),
                                    IncidentCategory.SIGNATURE_FAILURE, context.partner(), entry.id(),
                                    "a file claiming to come from " + context.partner() + " failed its signature or"
                                            + " integrity check; it was rejected and nothing was loaded");
                        }
                    });
        }
    }

    /**
     * The plaintext of a verified file, as a stream for the side's stages (the exchange body). It is
     * closed when the exchange ends; the side's last stage calls {@link InboundContext#finishReading()}.
     */
    public InputStream open(Exchange exchange) {
        return open(context(exchange));
    }

    public InputStream open(InboundContext context) {
        if (context.next() != Next.PROCESS) {
            return InputStream.nullInputStream();
        }
        try {
            InputStream raw = new BufferedInputStream(Files.newInputStream(context.file()), 1 << 16);
            VerifiedPlaintext message = decrypt(context, raw);
            context.plaintext(message, raw);
            return message.plaintext();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open verified file " + context.entry().id(), e);
        }
    }

    /**
     * The one commit of a processed file: the side decides the outcome from its stages, staged data of
     * a rejected file is removed, and in one transaction the ledger records the outcome and the side
     * makes it take effect (research records, extracts planned, returns linked, incidents).
     */
    public void commit(Exchange exchange) {
        InboundContext context = context(exchange);
        commit(context);
        next(exchange, context);
    }

    public void commit(InboundContext context) {
        if (context.next() != Next.PROCESS) {
            return;
        }
        InboundSide.Decision decision = side.decide(context);
        if (!decision.status().takesEffect()) {
            side.purge(context.entry().id());
        }
        complete(context, decision.status(), decision.counts(), decision.schemaId(), shared.toJson(decision.report()),
                () -> side.committed(context, decision));
        LOG.info("{} {} file {}: {}", ledger.tables().partnerKind(), context.partner(), context.entry().id(), decision.status());
    }

    /** Sends the file's report to its sender, once: sealed out of its view, then put in place. */
    public void report(Exchange exchange) {
        InboundContext context = context(exchange);
        report(context);
        next(exchange, context);
    }

    public void report(InboundContext context) {
        if (context.next() == Next.END) {
            return;
        }
        InboundFile done = ledger.find(context.entry().id()).orElseThrow();
        if (done.reportSentAt() != null) {
            return;
        }
        String reportName = side.reportName(done);
        String literal = reportName.endsWith(".pgp") ? reportName.substring(0, reportName.length() - 4) : reportName;
        Path staged = shared.sealed().stage(done.reportJson(), side.senderKey(context.partner()), literal);
        long bytes;
        try {
            bytes = Files.size(staged);
            side.deliverReport(context.partner(), staged, reportName);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot size the report of " + done.id(), e);
        } finally {
            SealedReports.discard(staged);
        }
        // The report's record and, for a rejection, the e-mail to the sender's contact: one transaction (cl. 7.4).
        shared.transactions().executeWithoutResult(tx -> {
            ledger.reportSent(done.id(), context.partner(), reportName);
            if (done.status() == InboundStatus.REJECTED) {
                shared.notices().fileRejected(context.partner(), ledger.tables().partnerKind(), done.id(),
                        done.fileName(), ledger.tables().reportFolder() + reportName, rejectionSummary(done.reportJson()));
            }
        });
        shared.metrics().file(context.partner(), GatewayMetrics.Stage.REPORT, "sent", bytes, 0, 0, null);
    }

    /** Keeps the file, still encrypted to the gateway, sealed in the archive; the custody copy goes. */
    public void archive(Exchange exchange) {
        InboundContext context = context(exchange);
        archive(context);
        next(exchange, context);
    }

    public void archive(InboundContext context) {
        if (context.next() == Next.END) {
            return;
        }
        context.close();
        String id = context.entry().id();
        // Sealed copy first, then the record, then the custody copy goes: a crash in between leaves
        // either a file to archive again or a finished record whose leftover the next claim removes.
        ledger.archived(id, context.partner(), shared.custody().archive(context.partner(), id, context.file(), true));
        deleteQuietly(context.file());
        context.next(Next.END);
    }

    /** Ends a file in quarantine, sealed, with an alert for operators. */
    void quarantine(InboundContext context, String reason) {
        InboundFile entry = context.entry();
        context.close();
        String sealedPath = shared.custody().quarantine(context.partner(), entry.id(), context.file(), true);
        // The quarantine's record and the notice to the sender (cl. 7.4): one transaction, so neither is lost.
        shared.transactions().executeWithoutResult(tx -> {
            ledger.quarantined(entry.id(), context.partner(), sealedPath, reason);
            shared.notices().fileQuarantined(context.partner(), ledger.tables().partnerKind(), entry.id(),
                    entry.fileName(), entry.sha256(), reason);
        });
        deleteQuietly(context.file());
        shared.alerts().raise(ledger.tables().quarantineAlert(), context.partner(), entry.id(),
                "a file from " + ledger.tables().partnerKind() + " " + context.partner() + " was quarantined: " + reason);
        recordOutcome(context);
        context.next(Next.END);
    }

    /**
     * The outcome of a rejected file for an e-mail: status, counts, file-level rules and problem counts by rule, read
     * from its report (which by contract names rows, columns and rules, never a value).
     */
    private String rejectionSummary(String reportJson) {
        try {
            com.fasterxml.jackson.databind.JsonNode report = shared.json().readTree(reportJson);
            StringBuilder text = new StringBuilder("status: REJECTED");
            com.fasterxml.jackson.databind.JsonNode counts = report.path("counts");
            if (counts.isObject()) {
                text.append("\nrows: ").append(counts.path("rows").asLong()).append(", accepted: ")
                        .append(counts.path("accepted").asLong()).append(", rejected: ").append(counts.path("rejected").asLong());
            }
            for (com.fasterxml.jackson.databind.JsonNode error : report.path("fileErrors")) {
                text.append("\nfile error: ").append(error.path("rule").asText());
            }
            report.path("problemCountsByRule").fields().forEachRemaining(rule ->
                    text.append("\nrows breaking ").append(rule.getKey()).append(": ").append(rule.getValue().asLong()));
            return text.toString();
        } catch (java.io.IOException e) {
            return "status: REJECTED";
        }
    }

    /** Records an outcome, and what it does, in one transaction; then counts it. */
    private void complete(InboundContext context, InboundStatus status, InboundLedger.Counts counts, String schemaId,
                          String reportJson, Runnable inTransaction) {
        String id = context.entry().id();
        shared.transactions().executeWithoutResult(tx -> {
            ledger.complete(id, context.partner(), status, counts, schemaId, reportJson);
            inTransaction.run();
        });
        context.entry(ledger.find(id).orElseThrow());
        recordOutcome(context);
        context.next(Next.REPORT);
    }

    /** Counts the outcome just recorded: once per file, when it reaches its end. */
    private void recordOutcome(InboundContext context) {
        InboundLedger.Outcome outcome = ledger.outcome(context.entry().id());
        shared.metrics().file(context.partner(), ledger.tables().stage(), outcome.status().name(), context.entry().sizeBytes(),
                outcome.counts().accepted(), outcome.counts().rejected(),
                Duration.ofNanos(System.nanoTime() - context.startedNanos()));
    }

    private VerifiedPlaintext decrypt(InboundContext context, InputStream raw) throws IOException {
        GatewayPgpKey gateway = shared.gatewayKey();
        return new PgpDecryptVerifier().open(raw, gateway, side.senderKey(context.partner()),
                shared.limits(Files.size(context.file())));
    }

    private static InboundContext context(Exchange exchange) {
        InboundContext context = exchange.getProperty(InboundContext.PROPERTY, InboundContext.class);
        if (context == null) {
            throw new IllegalStateException("no inbound file on this exchange: claim must come first");
        }
        return context;
    }

    private static void next(Exchange exchange, InboundContext context) {
        exchange.getIn().setHeader(PartnerHeaders.INBOUND_NEXT, context.next().name());
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove a custody file", e);
        }
    }
}
