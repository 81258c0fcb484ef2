package org.linkgate.linkage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.linkgate.kernel.BulkInsert;
import org.linkgate.pseudonymisation.IdentityRecord;
import org.linkgate.pseudonymisation.PseudonymisationKey;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Where intake hands linkage the clear identity of each valid row, once, in the pseudonymise stage:
 * the row's match keys and comparison tokens are computed there ({@link MatchEncoder}) and staged
 * beside its research record. Staged keys take effect only when {@link BatchLinker} links the
 * accepted batch; a rejected batch's are purged with its rows ({@link #purge}).
 */
@Component
public class MatchKeys {

    private static final int BATCH = 5000;
    /** Chunks written or waiting to be, per batch, beside the one being filled. */
    static final int IN_FLIGHT = 2;
    private static final List<String> KEY_COLUMNS = List.of("intake_id", "row_number", "key_level", "key_hash");
    private static final List<String> ROW_COLUMNS = List.of("intake_id", "row_number", "fn", "fn_phonetic", "fn_root",
            "fn_edits", "sn", "sn_phonetic", "sn_edits", "dob", "dob_swap", "dob_parts", "sex", "pc", "pc_district", "nhs",
            "fn_as_sn", "fn_as_sn_edits");
    private final PseudonymisationKey key;
    private final ForenameVariants variants;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    /**
     * The staging thread: one, shared by every batch being staged, created when a chunk is waiting and gone
     * after a minute idle (so a batch abandoned without {@link Staging#abandon} leaves no thread behind).
     */
    private final ThreadPoolExecutor writer = new ThreadPoolExecutor(0, 1, 60, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), runnable -> {
                Thread thread = new Thread(runnable, "linkage-staging");
                thread.setDaemon(true);
                return thread;
            });

    public MatchKeys(PseudonymisationKey key, JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.key = key;
        this.variants = ForenameVariants.shipped();
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** An encoder under the gateway's key (not thread-safe). */
    public MatchEncoder encoder() {
        return new MatchEncoder(key, variants);
    }

    /** A writer for one batch's rows; call {@link Staging#flush} once the last row is added. */
    public Staging forBatch(String intakeId) {
        return new Staging(intakeId, encoder());
    }

    /** Deletes the staged keys of a batch that will not take effect (or whose identity is destroyed). */
    public void purge(String intakeId) {
        transactions.executeWithoutResult(tx -> {
            jdbc.update("delete from linkage_key where intake_id = ?", intakeId);
            jdbc.update("delete from linkage_row where intake_id = ?", intakeId);
        });
    }

    /**
     * Stages one batch's keys and comparison tokens through {@link BulkInsert} (COPY on PostgreSQL, a JDBC
     * batch on H2), both tables of a chunk in one short transaction. A full chunk is written by the
     * staging thread while the caller (intake's reader thread) encodes the next rows, so the database's
     * index work runs beside the encoding; at most {@value #IN_FLIGHT} chunks wait, so memory is bounded.
     * {@link #flush} waits for every chunk and rethrows the first failure; {@link #abandon} makes waiting
     * chunks skip. Not thread-safe: one caller.
     */
    public final class Staging {
        private final String intakeId;
        private final MatchEncoder encoder;
        private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
        private final List<Future<?>> chunks = new ArrayList<>();
        private volatile boolean abandoned;
        private BulkInsert keyRows;
        private BulkInsert comparisonRows;
        private int pending;

        private Staging(String intakeId, MatchEncoder encoder) {
            this.intakeId = intakeId;
            this.encoder = encoder;
            newChunk();
        }

        public void add(long rowNumber, IdentityRecord identity) {
            MatchEncoder.Parts parts = MatchEncoder.parts(identity);
            for (Map.Entry<KeyLevel, String> k : encoder.keys(parts).entrySet()) {
                keyRows.add(intakeId, rowNumber, k.getKey().code(), k.getValue());
            }
            ComparisonRecord c = encoder.comparison(parts);
            comparisonRows.add(intakeId, rowNumber, c.forename(), c.forenamePhonetic(), c.forenameRoot(),
                    c.forenameEdits(), c.surname(), c.surnamePhonetic(), c.surnameEdits(), c.dateOfBirth(),
                    c.dateOfBirthSwap(), c.dateOfBirthParts(), c.sex(), c.postcode(), c.postcodeDistrict(),
                    c.nhsNumber(), c.forenameAsSurname(), c.forenameAsSurnameEdits());
            if (++pending >= BATCH) {
                submit();
            }
        }

        /** Writes what is left and waits for every chunk of the batch: all staged, or the first failure thrown. */
        public void flush() {
            if (pending > 0) {
                submit();
            }
            for (Future<?> chunk : chunks) {
                await(chunk);
            }
            chunks.clear();
        }

        /** The batch failed before its end: chunks still waiting are not written; one being written finishes. */
        public void abandon() {
            abandoned = true;
            for (Future<?> chunk : chunks) {
                try {
                    chunk.get();
                } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                    // the batch has failed already; its staged rows are purged with it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            chunks.clear();
        }

        private void submit() {
            BulkInsert keys = keyRows;
            BulkInsert rows = comparisonRows;
            newChunk();
            chunks.removeIf(chunk -> chunk.isDone() && await(chunk));
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while staging linkage keys", e);
            }
            try {
                chunks.add(writer.submit(() -> {
                    try {
                        if (!abandoned) {
                            transactions.executeWithoutResult(tx -> {
                                keys.flush();
                                rows.flush();
                            });
                        }
                    } finally {
                        inFlight.release();
                    }
                }));
            } catch (RuntimeException e) {
                inFlight.release();
                throw e;
            }
        }

        private void newChunk() {
            keyRows = new BulkInsert(jdbc.getDataSource(), transactions, "linkage_key", KEY_COLUMNS, Integer.MAX_VALUE);
            comparisonRows = new BulkInsert(jdbc.getDataSource(), transactions, "linkage_row", ROW_COLUMNS,
                    Integer.MAX_VALUE);
            pending = 0;
        }

        /** Waits for a chunk; rethrows its failure as it was. Returns true (for removeIf). */
        private boolean await(Future<?> chunk) {
            try {
                chunk.get();
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while staging linkage keys", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException failure) {
                    throw failure;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException("staging linkage keys failed", e.getCause());
            }
        }
    }
}
