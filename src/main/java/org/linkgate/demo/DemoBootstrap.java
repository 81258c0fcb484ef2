package org.linkgate.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.bouncycastle.openpgp.PGPException;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.crypto.GeneratedPgpKey;
import org.linkgate.crypto.PgpKeyPairGenerator;
import org.linkgate.ops.GatewayHome;
import org.linkgate.ops.GatewaySecrets;
import org.linkgate.ops.SecretFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes an empty gateway home runnable (demo and first start only): generates the gateway's
 * secrets and OpenPGP key, and one demo council, E10000012, whose private keys go to
 * {@code <home>/demo/E10000012/} — the council's side, which a real council keeps itself.
 * Existing files are never overwritten.
 */
public final class DemoBootstrap {

    public static final String DEMO_COUNCIL = "E10000012";
    private static final Logger LOG = LoggerFactory.getLogger(DemoBootstrap.class);

    private DemoBootstrap() {
    }

    public static void prepare(GatewayHome home) {
        try {
            prepareOrThrow(home);
        } catch (IOException | PGPException e) {
            throw new IllegalStateException("cannot bootstrap the demo gateway home " + home.root(), e);
        }
    }

    private static void prepareOrThrow(GatewayHome home) throws IOException, PGPException {
        GatewaySecrets.createIfMissing(home);
        Path gatewayKeys = home.gatewayKeyDir();
        if (!Files.exists(gatewayKeys.resolve(GatewaySecrets.GATEWAY_SECRET_KEY))) {
            char[] passphrase = SecretFiles.readText(home.secretsDir().resolve(GatewaySecrets.GATEWAY_PASSPHRASE)).toCharArray();
            GeneratedPgpKey key = new PgpKeyPairGenerator().generate("Linkgate gateway (demo) <gateway@linkgate.invalid>", passphrase);
            GatewayHome.ensureDirectory(gatewayKeys);
            key.writeArmoredSecret(gatewayKeys.resolve(GatewaySecrets.GATEWAY_SECRET_KEY));
            key.writeArmoredPublic(gatewayKeys.resolve(GatewaySecrets.GATEWAY_PUBLIC_KEY));
            LOG.warn("generated a new gateway OpenPGP key in {} (demo bootstrap)", gatewayKeys);
        }
        if (!Files.exists(home.councilsDir())) {
            createDemoCouncil(home, DEMO_COUNCIL, "Demo County Council");
        }
    }

    /** Creates a council's configuration and, under demo/, its private keys. */
    public static void createDemoCouncil(GatewayHome home, String code, String name) throws IOException, PGPException {
        Path config = GatewayHome.ensureDirectory(home.councilDir(code));
        Path privateSide = GatewayHome.ensureDirectory(home.demoDir().resolve(code));
        String passphrase = SecretFiles.randomPassphrase();
        SecretFiles.writeIfMissing(privateSide.resolve(DemoPartnerFiles.PGP_PASSPHRASE), passphrase);
        GeneratedPgpKey pgp = new PgpKeyPairGenerator().generate(name + " (demo) <" + code.toLowerCase() + "@council.invalid>",
                passphrase.toCharArray());
        pgp.writeArmoredSecret(privateSide.resolve(DemoPartnerFiles.PGP_SECRET_KEY));
        pgp.writeArmoredPublic(config.resolve(PartnerRegistry.PGP_KEY_FILE));
        KeyPair ssh = SshKeyFiles.generate();
        SshKeyFiles.write(ssh, code.toLowerCase() + "@demo", privateSide.resolve(DemoPartnerFiles.SSH_PRIVATE_KEY));
        Files.writeString(config.resolve(PartnerRegistry.SSH_KEYS_FILE),
                SshKeyFiles.publicLine(ssh, code.toLowerCase() + "@demo") + "\n", StandardCharsets.UTF_8);
        Files.writeString(config.resolve(PartnerRegistry.PROPERTIES_FILE), "name=" + name + "\n", StandardCharsets.UTF_8);
        LOG.warn("created demo council {}: configuration in {}, its private keys in {}", code, config, privateSide);
    }
}
