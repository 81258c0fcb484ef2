package org.linkgate.demo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.concurrent.CompletableFuture;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.PgpDecryptVerifier;
import org.linkgate.crypto.PgpEncryptSigner;
import org.linkgate.crypto.PgpKeys;
import org.linkgate.crypto.PgpLimits;
import org.linkgate.crypto.VerifiedPlaintext;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.GatewaySecrets;

/**
 * The demo council's side, run as a separate program: writes a synthetic batch, encrypts it to
 * the gateway and signs it with the demo council's key, uploads it over SFTP to the running
 * gateway, waits for the report in {@code outbound/}, then decrypts and prints it.
 * Usage: {@code DemoCouncilDrop [rows] [home] [port]}.
 */
public final class DemoCouncilDrop {

    private DemoCouncilDrop() {
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 200;
        Path homeDir = Path.of(args.length > 1 ? args[1] : System.getenv().getOrDefault("LINKGATE_HOME", "./data"));
        int port = args.length > 2 ? Integer.parseInt(args[2]) : Integer.parseInt(System.getenv().getOrDefault("LINKGATE_SFTP_PORT", "2222"));
        GatewayHome home = new GatewayHome(homeDir, homeDir.resolve("secrets"));
        String code = DemoBootstrap.DEMO_COUNCIL;
        Path side = home.demoDir().resolve(code);
        PGPPublicKeyRing gatewayPublic = PgpKeys.readPublicKeyRing(home.gatewayKeyDir().resolve(GatewaySecrets.GATEWAY_PUBLIC_KEY));
        GatewayPgpKey councilKey = DemoPartnerFiles.pgpKey(side);

        YearMonth period = YearMonth.now().minusMonths(1);
        String name = String.format("%s_%s_%02d.csv.gpg", code, period, 1 + (System.currentTimeMillis() / 1000) % 99);
        Path encrypted = Files.createTempFile("linkgate-demo-", ".gpg");
        try {
            encryptSyntheticBatch(rows, period.atEndOfMonth(), gatewayPublic, councilKey, encrypted);
            try (PartnerSftpClient client = new PartnerSftpClient("localhost", port, code.toLowerCase(),
                    side.resolve(DemoPartnerFiles.SSH_PRIVATE_KEY), home.gatewayKeyDir().resolve(GatewaySecrets.SSH_KNOWN_HOSTS));
                 InputStream in = Files.newInputStream(encrypted)) {
                client.upload(in, "inbound", name);
                System.out.printf("uploaded %s (%d synthetic rows) to %s's inbound/ over SFTP%n", name, rows, code.toLowerCase());
                String report = name + ".report.json.pgp";
                long deadline = System.currentTimeMillis() + 120_000;
                while (!client.list("outbound").contains(report)) {
                    if (System.currentTimeMillis() > deadline) {
                        throw new IllegalStateException("no report after 120 s; is the gateway running?");
                    }
                    Thread.sleep(1000);
                }
                byte[] sealed = client.download("outbound/" + report);
                System.out.printf("report outbound/%s (decrypted with the council's key, gateway signature verified):%n%s%n",
                        report, open(sealed, councilKey, gatewayPublic));
            }
        } finally {
            Files.deleteIfExists(encrypted);
        }
    }

    /** Streams a synthetic batch through encryption into {@code target}; the plaintext never touches disk. */
    public static void encryptSyntheticBatch(long rows, LocalDate periodEnd, PGPPublicKeyRing recipient,
                                             GatewayPgpKey signer, Path target) throws Exception {
        try (PipedInputStream plaintext = new PipedInputStream(1 << 16);
             PipedOutputStream sink = new PipedOutputStream(plaintext)) {
            CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
                try (Writer writer = new OutputStreamWriter(sink, StandardCharsets.UTF_8)) {
                    new SyntheticBatchGenerator(rows, periodEnd).write(writer, rows);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (OutputStream out = Files.newOutputStream(target)) {
                new PgpEncryptSigner().encryptAndSign(plaintext, out, recipient, signer, "batch.csv");
            }
            producer.join();
        }
    }

    static String open(byte[] sealed, GatewayPgpKey recipient, PGPPublicKeyRing expectedSigner) throws IOException {
        VerifiedPlaintext message = new PgpDecryptVerifier().open(new ByteArrayInputStream(sealed), recipient, expectedSigner,
                new PgpLimits(16L << 20, 1000, sealed.length));
        byte[] json = message.plaintext().readAllBytes();
        message.verify();
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(mapper.readTree(json));
    }
}
