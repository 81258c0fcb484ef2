package org.linkgate.intake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.linkgate.demo.DemoBootstrap;
import org.linkgate.kernel.GatewayHome;
import org.springframework.test.context.DynamicPropertyRegistry;

/** A throw-away gateway home with generated keys, the demo council and any extra councils. */
public final class GatewayTestHome {

    private GatewayTestHome() {
    }

    public static Path create(String... extraCouncils) {
        try {
            Path dir = Files.createTempDirectory("linkgate-it-");
            GatewayHome home = new GatewayHome(dir, dir.resolve("secrets"));
            DemoBootstrap.prepare(home);
            for (String code : extraCouncils) {
                DemoBootstrap.createDemoCouncil(home, code, "Test council " + code);
            }
            DemoBootstrap.writeDemoAgreement(home);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (org.bouncycastle.openpgp.PGPException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rewrites the home's demo agreement to list every partner now configured (after a test adds one). */
    public static void refreshAgreement(Path dir) {
        try {
            DemoBootstrap.writeDemoAgreement(new GatewayHome(dir, dir.resolve("secrets")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Points the gateway at the home, on ephemeral ports, polling fast. */
    public static void register(DynamicPropertyRegistry registry, Path home) {
        registry.add("linkgate.home", home::toString);
        registry.add("linkgate.bootstrap-demo", () -> "false");
        registry.add("linkgate.sftp.port", () -> "0");
        registry.add("linkgate.sftp.bind-host", () -> "127.0.0.1");
        registry.add("linkgate.intake.poll-interval", () -> "200ms");
        registry.add("linkgate.intake.stable-for", () -> "300ms");
        registry.add("server.port", () -> "0");
    }
}
