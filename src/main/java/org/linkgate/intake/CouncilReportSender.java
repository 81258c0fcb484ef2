package org.linkgate.intake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.linkgate.agreement.Council;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.SealedReports;
import org.springframework.stereotype.Component;

/**
 * Delivers a report to a council's {@code outbound/} folder as {@code <file>.report.json.pgp},
 * encrypted to the council's key and signed by the gateway. Sealed in a staging folder the
 * council cannot see, then renamed in, so a council never sees half a report.
 */
@Component
public class CouncilReportSender {

    public static final String REPORT_SUFFIX = ".report.json.pgp";
    private final GatewayHome home;
    private final SealedReports sealed;

    public CouncilReportSender(GatewayHome home, SealedReports sealed) {
        this.home = home;
        this.sealed = sealed;
    }

    /** Returns the path written. {@code fileName} must already be checked safe to echo. */
    public Path send(Council council, String fileName, String reportJson) {
        Path outbound = GatewayHome.ensureDirectory(home.outbound(council.code()));
        Path staged = sealed.stage(reportJson, council.pgpPublicKey(), fileName + ".report.json");
        try {
            return Files.move(staged, outbound.resolve(fileName + REPORT_SUFFIX), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish report for " + council.code(), e);
        } finally {
            SealedReports.discard(staged);
        }
    }
}
