package org.linkgate.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.PgpDecryptVerifier;
import org.linkgate.crypto.PgpKeys;
import org.linkgate.crypto.PgpLimits;
import org.linkgate.crypto.VerifiedPlaintext;
import org.linkgate.demo.DemoPartnerFiles;
import org.linkgate.demo.PartnerSftpClient;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.GatewaySecrets;

/**
 * A department as the tests drive it: its own keys (the demo bootstrap's private side), a real
 * SFTP client on its embedded account, and nothing else of the gateway's.
 */
public final class DepartmentSide {

    private static final Pattern EXTRACT = Pattern.compile("([A-Z]{2,8})_\\d{4}-\\d{2}_([0-9a-f]{32})\\.csv\\.pgp");
    private final String code;
    private final GatewayHome home;
    private final int port;
    private final GatewayPgpKey key;
    private final PGPPublicKeyRing gatewayPublic;

    public DepartmentSide(String code, GatewayHome home, int port) throws Exception {
        this.code = code;
        this.home = home;
        this.port = port;
        Path side = home.demoDir().resolve(code);
        this.key = DemoPartnerFiles.pgpKey(side);
        this.gatewayPublic = PgpKeys.readPublicKeyRing(home.gatewayKeyDir().resolve(GatewaySecrets.GATEWAY_PUBLIC_KEY));
    }

    /** An extract as the department reads it. */
    public record Extract(String fileName, String extractId, List<String> header, List<Map<String, String>> rows) {
        public List<String> tokens() {
            return rows.stream().map(r -> r.get("pseudo_id")).toList();
        }

        /** Per token, the values the gateway sent about that person (what a return must not echo). */
        public Map<String, List<String>> sentValues() {
            Map<String, List<String>> sent = new LinkedHashMap<>();
            rows.forEach(r -> sent.put(r.get("pseudo_id"), List.copyOf(r.values())));
            return sent;
        }
    }

    public GatewayPgpKey key() {
        return key;
    }

    public PartnerSftpClient connect() throws Exception {
        return new PartnerSftpClient("localhost", port, code.toLowerCase(),
                home.demoDir().resolve(code).resolve(DemoPartnerFiles.SSH_PRIVATE_KEY),
                home.gatewayKeyDir().resolve(GatewaySecrets.SSH_KNOWN_HOSTS));
    }

    /** Waits for an extract in upload/, downloads and opens it (gateway signature checked), and removes it. */
    public Extract awaitExtract(Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        try (PartnerSftpClient client = connect()) {
            while (true) {
                Optional<String> name = client.list("upload").stream().filter(n -> EXTRACT.matcher(n).matches()).findFirst();
                if (name.isPresent()) {
                    byte[] sealed = client.download("upload/" + name.get());
                    client.channel().rm("upload/" + name.get());
                    Matcher m = EXTRACT.matcher(name.get());
                    m.matches();
                    return parse(name.get(), m.group(2), open(sealed));
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError(code + ": no extract within " + timeout);
                }
                Thread.sleep(100);
            }
        }
    }

    private static Extract parse(String name, String id, byte[] csv) throws Exception {
        List<Map<String, String>> rows = new ArrayList<>();
        List<String> header;
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new InputStreamReader(new ByteArrayInputStream(csv), StandardCharsets.UTF_8))) {
            header = parser.getHeaderNames();
            for (CSVRecord record : parser) {
                rows.add(new LinkedHashMap<>(record.toMap()));
            }
        }
        return new Extract(name, id, header, rows);
    }

    public byte[] encryptAndSign(byte[] plaintext) throws Exception {
        return CouncilSide.encryptAndSign(plaintext, gatewayPublic, key);
    }

    public void uploadReturn(String name, byte[] content) throws Exception {
        try (PartnerSftpClient client = connect()) {
            client.upload(new ByteArrayInputStream(content), "returns", name);
        }
    }

    /**
     * Waits for a report on a return sent as {@code name} — {@code upload/<name>.<return id>.report.json.pgp},
     * a name unique to each received file — opens it and removes it, as the department would.
     */
    public JsonNode awaitReport(String name, Duration timeout) throws Exception {
        java.util.regex.Pattern reportName = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(name)
                + "\\.[0-9a-f-]{36}\\.report\\.json\\.pgp");
        Instant deadline = Instant.now().plus(timeout);
        try (PartnerSftpClient client = connect()) {
            String report;
            while ((report = client.list("upload").stream().filter(n -> reportName.matcher(n).matches())
                    .findFirst().orElse(null)) == null) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("no report on " + name + " within " + timeout);
                }
                Thread.sleep(100);
            }
            byte[] sealed = client.download("upload/" + report);
            client.channel().rm("upload/" + report);
            return new ObjectMapper().readTree(open(sealed));
        }
    }

    private byte[] open(byte[] sealed) throws Exception {
        VerifiedPlaintext message = new PgpDecryptVerifier().open(new ByteArrayInputStream(sealed), key, gatewayPublic,
                new PgpLimits(1L << 30, 1000, sealed.length));
        byte[] plaintext = message.plaintext().readAllBytes();
        message.verify();
        return plaintext;
    }
}
