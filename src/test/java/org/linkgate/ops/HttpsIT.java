package org.linkgate.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.linkgate.intake.GatewayTestHome;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.GatewaySecrets;
import org.linkgate.kernel.SecretFiles;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.Ssl;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The gateway serving HTTPS as docs/security.md sets it up: {@code server.ssl} with a PKCS#12
 * keystore in the secrets dir, generated here (a self-signed certificate for 127.0.0.1). A client
 * that pins that certificate talks HTTPS (TLS 1.2 or 1.3) to health and, with credentials, to the
 * API; plain HTTP on the port gets nothing it could use; a keystore others could read is refused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HttpsIT {

    static final Path HOME = GatewayTestHome.create();
    static final String STORE_PASSWORD = SecretFiles.randomPassphrase();
    static X509Certificate certificate;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        Path keystore = HOME.resolve("secrets").resolve(GatewaySecrets.HTTPS_KEYSTORE);
        certificate = writeKeystore(keystore, STORE_PASSWORD.toCharArray());
        GatewayTestHome.register(registry, HOME);
        registry.add("server.ssl.enabled", () -> "true");
        registry.add("server.ssl.key-store", () -> "file:" + keystore);
        registry.add("server.ssl.key-store-type", () -> "PKCS12");
        registry.add("server.ssl.key-store-password", () -> STORE_PASSWORD);
        registry.add("server.ssl.key-alias", () -> "linkgate");
        registry.add("server.ssl.enabled-protocols", () -> "TLSv1.3,TLSv1.2");
    }

    @Autowired
    GatewayHome home;
    @LocalServerPort
    int port;

    @Test
    void aClientPinningTheCertificateTalksHttps() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(certificate)).build();
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port
                + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.sslSession()).hasValueSatisfying(session ->
                assertThat(session.getProtocol()).isIn("TLSv1.3", "TLSv1.2"));

        String password = Files.readAllLines(home.demoDir().resolve("http-users.txt")).stream()
                .filter(l -> l.startsWith("operator ")).findFirst().orElseThrow().split(" ")[1];
        HttpResponse<String> status = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port
                        + "/api/ops/status")).header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(("operator:" + password).getBytes(StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).contains("\"councils\"");
    }

    @Test
    void aClientThatDoesNotKnowTheCertificateIsNotFooled() {
        HttpClient client = HttpClient.newHttpClient();
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port
                + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    @Test
    void plainHttpOnThePortGetsNoPage() throws Exception {
        HttpResponse<String> plain;
        try {
            plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException refused) {
            return; // the connection was dropped: nothing served in clear
        }
        assertThat(plain.statusCode()).isEqualTo(400);
        assertThat(plain.body()).doesNotContain("\"status\"");
    }

    @Test
    void aKeystoreOthersCouldReadIsRefused() throws Exception {
        Path loose = Files.createTempDirectory("linkgate-tls-").resolve("loose.p12");
        writeKeystore(loose, "pw".toCharArray());
        Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rw-r--r--"));
        Ssl ssl = new Ssl();
        ssl.setEnabled(true);
        ssl.setKeyStore("file:" + loose);
        assertThatThrownBy(() -> HttpsKeyStoreCheck.check(ssl)).hasMessageContaining("accessible to group or others");
        Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rw-------"));
        HttpsKeyStoreCheck.check(ssl);
    }

    /** A self-signed certificate for 127.0.0.1 in a PKCS#12 keystore, written owner-only. */
    static X509Certificate writeKeystore(Path file, char[] password) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair pair = generator.generateKeyPair();
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=127.0.0.1");
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(30, ChronoUnit.DAYS)), subject, pair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("linkgate", pair.getPrivate(), password, new java.security.cert.Certificate[] {cert});
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(SecretFiles.OWNER_ONLY));
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password);
        }
        return cert;
    }

    static SSLContext trusting(X509Certificate cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("gateway", cert);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
