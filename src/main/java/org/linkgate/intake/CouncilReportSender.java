package org.linkgate.intake;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.linkgate.agreement.Council;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.PgpEncryptSigner;
import org.linkgate.ops.GatewayHome;
import org.springframework.stereotype.Component;

/**
 * Delivers a report to a council's {@code outbound/} folder as {@code <file>.report.json.pgp},
 * encrypted to the council's key and signed by the gateway. Written under a temporary dot-name
 * and renamed, so a council polling its folder never downloads half a report.
 */
@Component
public class CouncilReportSender {

    public static final String REPORT_SUFFIX = ".report.json.pgp";
    private final GatewayHome home;
    private final GatewayPgpKey gatewayKey;

    public CouncilReportSender(GatewayHome home, GatewayPgpKey gatewayKey) {
        this.home = home;
        this.gatewayKey = gatewayKey;
    }

    /** Returns the path written. {@code fileName} must already be checked safe to echo. */
    public Path send(Council council, String fileName, String reportJson) {
        Path outbound = GatewayHome.ensureDirectory(home.outbound(council.code()));
        Path target = outbound.resolve(fileName + REPORT_SUFFIX);
        Path temporary = outbound.resolve("." + fileName + REPORT_SUFFIX + ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
            new PgpEncryptSigner().encryptAndSign(new ByteArrayInputStream(reportJson.getBytes(StandardCharsets.UTF_8)), out,
                    council.pgpPublicKey(), gatewayKey, fileName + ".report.json");
        } catch (IOException | org.bouncycastle.openpgp.PGPException e) {
            throw new IllegalStateException("cannot write report for " + council.code(), e);
        }
        try {
            return Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish report for " + council.code(), e);
        }
    }
}
