package org.linkgate.demo;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.builder.RouteBuilder;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.linkgate.agreement.Department;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.PgpDecryptVerifier;
import org.linkgate.crypto.PgpEncryptSigner;
import org.linkgate.crypto.PgpKeys;
import org.linkgate.crypto.PgpLimits;
import org.linkgate.crypto.VerifiedPlaintext;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.GatewaySecrets;
import org.linkgate.transfer.SftpServerLifecycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * DEMO ONLY (enabled by {@code linkgate.demo.simulate-departments}): plays every demo department
 * whose private keys are under {@code <home>/demo/<CODE>/}. As that department, over SFTP with its
 * own key, it collects its extracts from {@code upload/}, decrypts them with its own OpenPGP key,
 * invents administrative data for most of the people in them (values drawn from each return
 * dataset's schema), and returns one encrypted, signed file per dataset to {@code returns/}.
 * It never reads the gateway's database or files: only what a department would have.
 */
@Component
@ConditionalOnProperty(prefix = "linkgate.demo", name = "simulate-departments", havingValue = "true")
public class DemoDepartmentSimulator extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(DemoDepartmentSimulator.class);
    private static final Pattern EXTRACT = Pattern.compile("([A-Z]{2,8})_\\d{4}-\\d{2}_([0-9a-f]{32})\\.csv\\.pgp");
    private final PartnerRegistry registry;
    private final GatewayHome home;
    private final SftpServerLifecycle sftp;
    private final Random random = new Random();

    public DemoDepartmentSimulator(PartnerRegistry registry, GatewayHome home, SftpServerLifecycle sftp) {
        this.registry = registry;
        this.home = home;
        this.sftp = sftp;
    }

    @Override
    public void configure() {
        from("master:linkgate-demo-departments:timer:demo-departments?period={{linkgate.demo.simulate-interval:3000}}&delay=2000")
                .routeId("demo-departments")
                .bean(this, "simulateAll");
    }

    public void simulateAll() {
        for (Department department : registry.departments()) {
            Path side = home.demoDir().resolve(department.code());
            if (department.endpoint() instanceof Department.EmbeddedEndpoint && side.resolve(DemoPartnerFiles.PGP_SECRET_KEY).toFile().exists()) {
                try {
                    simulate(department, side);
                } catch (Exception e) {
                    LOG.warn("demo department {} could not answer this round: {}", department.code(), e.toString());
                }
            }
        }
    }

    private void simulate(Department department, Path side) throws Exception {
        GatewayPgpKey key = DemoPartnerFiles.pgpKey(side);
        PGPPublicKeyRing gateway = PgpKeys.readPublicKeyRing(home.gatewayKeyDir().resolve(GatewaySecrets.GATEWAY_PUBLIC_KEY));
        try (PartnerSftpClient client = new PartnerSftpClient("localhost", sftp.port(), department.account(),
                side.resolve(DemoPartnerFiles.SSH_PRIVATE_KEY), home.gatewayKeyDir().resolve(GatewaySecrets.SSH_KNOWN_HOSTS))) {
            for (String name : client.list("upload")) {
                Matcher extract = EXTRACT.matcher(name);
                if (name.endsWith(".report.json.pgp")) {
                    client.channel().rm("upload/" + name); // a department reads its reports and clears them
                    continue;
                }
                if (!extract.matches() || !extract.group(1).equals(department.code())) {
                    continue;
                }
                Map<String, List<String>> sent = readExtract(client.download("upload/" + name), key, gateway);
                for (Department.ReturnDataset dataset : department.returnDatasets()) {
                    byte[] encrypted = encrypt(new DemoReturns(random).returnFile(dataset, sent, 80), gateway, key);
                    client.upload(new ByteArrayInputStream(encrypted), "returns",
                            department.code() + "_" + dataset.name() + "_" + extract.group(2) + ".csv.gpg");
                }
                client.channel().rm("upload/" + name);
                LOG.info("demo department {} answered extract {} ({} people, {} datasets)", department.code(),
                        extract.group(2), sent.size(), department.returnDatasets().size());
            }
        }
    }

    /** The extract as the department reads it: per token, the values sent about that person. */
    private static Map<String, List<String>> readExtract(byte[] sealed, GatewayPgpKey key, PGPPublicKeyRing gateway)
            throws IOException {
        VerifiedPlaintext message = new PgpDecryptVerifier().open(new ByteArrayInputStream(sealed), key, gateway,
                new PgpLimits(1L << 30, 1000, sealed.length));
        Map<String, List<String>> sent = new LinkedHashMap<>();
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new InputStreamReader(message.plaintext(), StandardCharsets.UTF_8))) {
            for (CSVRecord record : parser) {
                sent.put(record.get("pseudo_id"), record.toList());
            }
        }
        message.verify();
        return sent;
    }

    private static byte[] encrypt(byte[] plaintext, PGPPublicKeyRing gateway, GatewayPgpKey signer) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PgpEncryptSigner().encryptAndSign(new ByteArrayInputStream(plaintext), out, gateway, signer, "return.csv");
        return out.toByteArray();
    }
}
