package org.linkgate.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.linkgate.crypto.GpgCli;
import org.linkgate.demo.DemoPartnerFiles;
import org.linkgate.kernel.GatewayHome;

/**
 * DCLG's side, written apart from the gateway's code: with only what DCLG holds (its private key
 * from {@code demo/DCLG/} and the gateway's public key) it opens a release with the real {@code gpg},
 * insists on a good signature by the gateway, unzips it and checks the manifest's row counts and
 * SHA-256 against the files. Nothing of the release package is used.
 */
final class DclgSide implements AutoCloseable {

    /** A release as DCLG reads it: every file's bytes, and the manifest. */
    record Opened(Map<String, byte[]> files, JsonNode manifest) {
        List<CSVRecord> csv(String name) throws IOException {
            byte[] bytes = files.get(name);
            if (bytes == null) {
                throw new AssertionError("no " + name + " in the release; files: " + files.keySet());
            }
            try (CSVParser parser = CSVParser.parse(new InputStreamReader(new ByteArrayInputStream(bytes),
                    StandardCharsets.UTF_8), CSVFormat.RFC4180)) {
                return parser.getRecords();
            }
        }
    }

    private final GpgCli gpg;
    private final Path work;
    private final char[] passphrase;

    private DclgSide(GpgCli gpg, Path work, char[] passphrase) {
        this.gpg = gpg;
        this.work = work;
        this.passphrase = passphrase;
    }

    static DclgSide open(GatewayHome home, Path gatewayPublicKey, Path work) throws IOException {
        GpgCli gpg = GpgCli.inTempHome();
        Path side = home.demoDir().resolve("DCLG");
        char[] passphrase = Files.readString(side.resolve(DemoPartnerFiles.PGP_PASSPHRASE)).strip().toCharArray();
        gpg.importKey(side.resolve(DemoPartnerFiles.PGP_SECRET_KEY), passphrase);
        gpg.importKey(gatewayPublicKey, null);
        return new DclgSide(gpg, work, passphrase);
    }

    /**
     * Decrypts and verifies with gpg, unzips, checks the manifest.
     *
     * @throws AssertionError if the signature is not the gateway's or the manifest does not match the files
     */
    Opened receive(Path release, String gatewayFingerprint) throws Exception {
        Path zip = Files.createTempFile(work, "release", ".zip");
        GpgCli.Result result = gpg.decrypt(release, zip, passphrase);
        if (!result.succeeded() || !result.hasStatus("DECRYPTION_OKAY") || !result.hasStatus("GOODSIG")) {
            throw new AssertionError("gpg could not decrypt and verify (exit " + result.exitCode() + ", status "
                    + result.status() + ", " + Files.size(release) + " bytes): " + result.stderr());
        }
        boolean signedByGateway = result.status().stream().anyMatch(s -> s.startsWith("VALIDSIG ")
                && s.toUpperCase().contains(gatewayFingerprint.toUpperCase()));
        if (!signedByGateway) {
            throw new AssertionError("not signed by the gateway key " + gatewayFingerprint + ": " + result.status());
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip), StandardCharsets.UTF_8)) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                files.put(entry.getName(), in.readAllBytes());
            }
        }
        Files.delete(zip);
        JsonNode manifest = new ObjectMapper().readTree(files.get("manifest.json"));
        if (manifest == null) {
            throw new AssertionError("no manifest.json in the release");
        }
        Opened opened = new Opened(files, manifest);
        List<String> listed = new ArrayList<>();
        for (JsonNode file : manifest.get("files")) {
            String name = file.get("name").asText();
            listed.add(name);
            byte[] bytes = files.get(name);
            if (bytes == null) {
                throw new AssertionError("manifest lists " + name + " but the zip lacks it");
            }
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            if (!sha.equals(file.get("sha256").asText())) {
                throw new AssertionError("SHA-256 of " + name + " does not match the manifest");
            }
            if (bytes.length != file.get("bytes").asLong()) {
                throw new AssertionError("size of " + name + " does not match the manifest");
            }
            long rows = name.equals("data-dictionary.csv") || name.endsWith(".csv") ? opened.csv(name).size() - 1 : -1;
            if (rows != file.get("rows").asLong()) {
                throw new AssertionError("rows of " + name + ": " + rows + ", manifest says " + file.get("rows"));
            }
        }
        for (String name : files.keySet()) {
            if (!name.equals("manifest.json") && !listed.contains(name)) {
                throw new AssertionError(name + " is in the zip but not in the manifest");
            }
        }
        return opened;
    }

    /** Decrypts and verifies a single-file message (e.g. a destruction notice) and returns its plaintext. */
    byte[] decrypt(Path message, String gatewayFingerprint) throws IOException {
        Path out = Files.createTempFile(work, "message", ".bin");
        GpgCli.Result result = gpg.decrypt(message, out, passphrase);
        if (!result.succeeded() || !result.hasStatus("GOODSIG") || result.status().stream().noneMatch(s ->
                s.startsWith("VALIDSIG ") && s.toUpperCase().contains(gatewayFingerprint.toUpperCase()))) {
            throw new AssertionError("gpg could not decrypt and verify (exit " + result.exitCode() + ", status "
                    + result.status() + "): " + result.stderr());
        }
        byte[] plaintext = Files.readAllBytes(out);
        Files.delete(out);
        return plaintext;
    }

    @Override
    public void close() throws IOException {
        gpg.close();
    }
}
