package org.linkgate.kernel;

import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the master key (which wraps every data key) comes from: the environment variable
 * {@value #ENVIRONMENT_VARIABLE} (base64 of 32 bytes; e.g. from a Kubernetes Secret) if set, otherwise
 * {@code master.key} in the secrets dir. Either way it is kept apart from the data it protects: a secrets
 * dir inside the gateway home is reported at start-up, since a copy of the home would then carry the key.
 */
public final class MasterKeySource {

    public static final String ENVIRONMENT_VARIABLE = "LINKGATE_MASTER_KEY";
    private static final Logger LOG = LoggerFactory.getLogger(MasterKeySource.class);

    private MasterKeySource() {
    }

    public static MasterKey load(GatewayHome home, Map<String, String> environment) {
        String fromEnvironment = environment.get(ENVIRONMENT_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            byte[] material;
            try {
                material = Base64.getDecoder().decode(fromEnvironment.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(ENVIRONMENT_VARIABLE + " is not base64");
            }
            if (material.length != MasterKey.BYTES) {
                throw new IllegalStateException(ENVIRONMENT_VARIABLE + " must hold " + MasterKey.BYTES + " bytes");
            }
            return new MasterKey(material);
        }
        Path file = home.secretsDir().resolve(GatewaySecrets.MASTER_KEY);
        if (home.secretsDir().startsWith(home.root())) {
            LOG.warn("master key read from {} inside the gateway home: set linkgate.secrets-dir to a mount apart"
                    + " from the data, or {}, outside a demo", file, ENVIRONMENT_VARIABLE);
        }
        return new MasterKey(SecretFiles.readKey(file, MasterKey.BYTES));
    }
}
