package org.linkgate.ops;

import java.nio.file.Path;
import org.linkgate.kernel.SecretFiles;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * HTTPS ({@code server.ssl.*}, a PKCS#12 keystore in the secrets dir, docs/security.md): before the
 * web server is built, its keystore file must be owner-only like every secret ({@link SecretFiles});
 * a keystore others could read stops the start. Without {@code server.ssl.enabled} nothing is checked.
 */
@Component
public class HttpsKeyStoreCheck implements WebServerFactoryCustomizer<ConfigurableWebServerFactory>, Ordered {

    /** After Spring Boot's own customizer has applied {@code server.ssl}. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void customize(ConfigurableWebServerFactory factory) {
        if (factory instanceof org.springframework.boot.web.server.AbstractConfigurableWebServerFactory configurable) {
            check(configurable.getSsl());
        }
    }

    static void check(Ssl ssl) {
        if (!Ssl.isEnabled(ssl) || ssl.getKeyStore() == null) {
            return;
        }
        String location = ssl.getKeyStore();
        if (location.startsWith("file:")) {
            SecretFiles.requirePrivate(Path.of(location.substring("file:".length())));
        } else if (!location.contains(":")) {
            SecretFiles.requirePrivate(Path.of(location));
        }
        // classpath: keystores are packaged, not secrets of this installation: nothing to check on disk.
    }
}
