package org.linkgate.kernel;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.PgpEncryptSigner;
import org.springframework.stereotype.Component;

/**
 * Seals a report for a partner — encrypted to its key, signed by the gateway — into the staging
 * folder partners cannot see, ready to be renamed or uploaded into place. The caller removes the
 * staged file if delivery fails.
 */
@Component
public class SealedReports {

    private final GatewayHome home;
    private final GatewayPgpKey gatewayKey;

    public SealedReports(GatewayHome home, GatewayPgpKey gatewayKey) {
        this.home = home;
        this.gatewayKey = gatewayKey;
    }

    public Path stage(String json, PGPPublicKeyRing recipient, String literalName) {
        Path staged = GatewayHome.ensureDirectory(home.outgoingStaging()).resolve(UUID.randomUUID() + ".report.pgp");
        try (OutputStream out = Files.newOutputStream(staged)) {
            new PgpEncryptSigner().encryptAndSign(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), out,
                    recipient, gatewayKey, literalName);
            return staged;
        } catch (IOException | PGPException e) {
            discard(staged);
            throw new IllegalStateException("cannot seal a report", e);
        }
    }

    public static void discard(Path staged) {
        try {
            Files.deleteIfExists(staged);
        } catch (IOException e) {
            // a leftover in the staging folder is harmless: partners cannot see it
        }
    }
}
