package org.linkgate.intake;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
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
 * encrypted to the council's key and signed by the gateway. Written in a staging folder the
 * council cannot see, then renamed in, so a council never sees half a report.
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
        Path temporary = GatewayHome.ensureDirectory(home.outgoingStaging())
                .resolve(java.util.UUID.randomUUID() + REPORT_SUFFIX);
        try {
            try (OutputStream out = Files.newOutputStream(temporary)) {
                new PgpEncryptSigner().encryptAndSign(new ByteArrayInputStream(reportJson.getBytes(StandardCharsets.UTF_8)),
                        out, council.pgpPublicKey(), gatewayKey, fileName + ".report.json");
            }
            return Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | org.bouncycastle.openpgp.PGPException e) {
            throw new IllegalStateException("cannot deliver report to " + council.code(), e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover in the staging folder is harmless: partners cannot see it
        }
    }
}
