package org.linkgate.intake;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Route-level error handling for intake (wired by {@code routes/shared/error-handling.camel.yaml}).
 * An unexpected failure leaves the file in the drop-zone, so nothing is lost; the ledger counts
 * attempts and quarantines the file with an alert once they run out.
 */
@Component("intakeFailureHandler")
public class IntakeFailureHandler {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeFailureHandler.class);
    private final MeterRegistry meters;

    public IntakeFailureHandler(MeterRegistry meters) {
        this.meters = meters;
    }

    public void onFailure(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String council = exchange.getIn().getHeader(IntakeHeaders.COUNCIL, String.class);
        meters.counter("linkgate.intake.failures", "council", String.valueOf(council)).increment();
        // Exception messages from our code carry ids and paths, never file content.
        LOG.error("intake of a file from {} failed; it stays in the drop-zone and will be retried: {}",
                council, error == null ? "unknown error" : error.toString(), error);
    }
}
