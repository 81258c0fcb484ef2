package org.linkgate.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.PgpDecryptVerifier;
import org.linkgate.crypto.PgpEncryptSigner;
import org.linkgate.crypto.PgpKeys;
import org.linkgate.crypto.PgpLimits;
import org.linkgate.crypto.VerifiedPlaintext;
import org.linkgate.demo.DemoPartnerFiles;
import org.linkgate.demo.PartnerSftpClient;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.GatewaySecrets;

/**
 * A council as the tests drive it: its own keys (from the demo bootstrap's private side), the
 * gateway's public key, and a real SFTP client. Everything goes through the external contract.
 */
public final class CouncilSide {

    private final String code;
    private final GatewayHome home;
    private final int port;
    private final GatewayPgpKey key;
    private final PGPPublicKeyRing gatewayPublic;

    public CouncilSide(String code, GatewayHome home, int port) throws Exception {
        this.code = code;
        this.home = home;
        this.port = port;
        Path side = home.demoDir().resolve(code);
        this.key = DemoPartnerFiles.pgpKey(side);
        this.gatewayPublic = PgpKeys.readPublicKeyRing(home.gatewayKeyDir().resolve(GatewaySecrets.GATEWAY_PUBLIC_KEY));
    }

    public GatewayPgpKey key() {
        return key;
    }

    public PGPPublicKeyRing gatewayPublic() {
        return gatewayPublic;
    }

    /** Encrypts to the gateway and signs with this council's key, as the contract asks. */
    public byte[] encryptAndSign(byte[] plaintext) throws Exception {
        return encryptAndSign(plaintext, gatewayPublic, key);
    }

    public static byte[] encryptAndSign(byte[] plaintext, PGPPublicKeyRing recipient, GatewayPgpKey signer) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PgpEncryptSigner().encryptAndSign(new ByteArrayInputStream(plaintext), out, recipient, signer, "batch.csv");
        return out.toByteArray();
    }

    public PartnerSftpClient connect() throws Exception {
        return new PartnerSftpClient("localhost", port, code.toLowerCase(),
                home.demoDir().resolve(code).resolve(DemoPartnerFiles.SSH_PRIVATE_KEY),
                home.gatewayKeyDir().resolve(GatewaySecrets.SSH_KNOWN_HOSTS));
    }

    /** Uploads over SFTP (as name.part, then renamed). */
    public void upload(String name, byte[] content) throws Exception {
        try (PartnerSftpClient client = connect(); InputStream in = new ByteArrayInputStream(content)) {
            client.upload(in, "inbound", name);
        }
    }

    /** Waits for {@code outbound/<name>.report.json.pgp}, downloads it over SFTP, opens and verifies it. */
    public JsonNode awaitReport(String name, Duration timeout) throws Exception {
        String report = name + ".report.json.pgp";
        Instant deadline = Instant.now().plus(timeout);
        try (PartnerSftpClient client = connect()) {
            while (!client.list("outbound").contains(report)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("no report " + report + " within " + timeout);
                }
                Thread.sleep(100);
            }
            return new ObjectMapper().readTree(open(client.download("outbound/" + report)));
        }
    }

    /** Decrypts a file the gateway sent and checks it is signed by the gateway's key. */
    public String open(byte[] sealed) throws IOException {
        VerifiedPlaintext message = new PgpDecryptVerifier().open(new ByteArrayInputStream(sealed), key, gatewayPublic,
                new PgpLimits(64L << 20, 1000, sealed.length));
        byte[] plaintext = message.plaintext().readAllBytes();
        message.verify();
        return new String(plaintext, StandardCharsets.UTF_8);
    }
}
