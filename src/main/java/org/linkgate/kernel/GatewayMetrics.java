package org.linkgate.kernel;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Per-partner file metrics, recorded where the ledgers record each outcome. Tags are partner
 * codes, stages and outcomes only, never a file name or anything from a file. In Prometheus:
 * {@code linkgate_files_total{partner,stage,outcome}}, {@code linkgate_rows_total{partner,stage,outcome}}
 * (outcome {@code accepted} or {@code rejected}), {@code linkgate_bytes_total{partner,stage}} and
 * {@code linkgate_processing_seconds{partner,stage}}.
 */
@Component
public class GatewayMetrics {

    public static final String FILES = "linkgate.files";
    public static final String ROWS = "linkgate.rows";
    public static final String BYTES = "linkgate.bytes";
    public static final String PROCESSING = "linkgate.processing";

    /** Where a file is in the data flow. */
    public enum Stage {
        /** A council batch taken from a drop-zone. */
        INTAKE,
        /** A department's return. */
        RETURN,
        /** An extract delivered to a department. */
        EXTRACT,
        /** A report sent to a partner on one of its files. */
        REPORT;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MeterRegistry meters;

    public GatewayMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    /**
     * Counts one file that reached {@code outcome} (e.g. {@code accepted}, {@code partial},
     * {@code rejected}, {@code duplicate}, {@code quarantined}, {@code sent}, {@code failed}).
     * Negative row counts or bytes are not recorded; a null {@code took} records no timing.
     */
    public void file(String partner, Stage stage, String outcome, long bytes, long rowsAccepted, long rowsRejected,
                     Duration took) {
        String code = partner == null ? "unknown" : partner.toUpperCase(Locale.ROOT);
        Counter.builder(FILES).description("Files by partner, stage and outcome")
                .tag("partner", code).tag("stage", stage.tag()).tag("outcome", outcome.toLowerCase(Locale.ROOT))
                .register(meters).increment();
        if (rowsAccepted > 0) {
            rows(code, stage, "accepted").increment(rowsAccepted);
        }
        if (rowsRejected > 0) {
            rows(code, stage, "rejected").increment(rowsRejected);
        }
        if (bytes > 0) {
            Counter.builder(BYTES).description("Bytes of files as they travel (encrypted), by partner and stage")
                    .tag("partner", code).tag("stage", stage.tag()).register(meters).increment(bytes);
        }
        if (took != null) {
            Timer.builder(PROCESSING).description("Time from taking a file to its recorded outcome")
                    .tag("partner", code).tag("stage", stage.tag()).register(meters).record(took);
        }
    }

    private Counter rows(String partner, Stage stage, String outcome) {
        return Counter.builder(ROWS).description("Rows by partner, stage and outcome (accepted or rejected)")
                .tag("partner", partner).tag("stage", stage.tag()).tag("outcome", outcome).register(meters);
    }
}
