package org.linkgate.agreement;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.linkgate.agreement.PartnerRegistry.InvalidPartnerConfigurationException;
import org.linkgate.crypto.PgpKeys;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads one recipient folder, {@code config/recipients/<CODE>/}: {@value #CONFIG_FILE} (safe YAML:
 * {@code name}, {@code endpoint} as for a department, {@code release}), {@value PartnerRegistry#PGP_KEY_FILE}
 * and, for an embedded endpoint, {@value PartnerRegistry#SSH_KEYS_FILE}. Unknown keys are refused
 * with the folder and the key.
 */
final class RecipientConfigLoader {

    static final String CONFIG_FILE = "recipient.yaml";
    private static final Set<String> KEYS = Set.of("name", "endpoint", "release");

    private RecipientConfigLoader() {
    }

    @SuppressWarnings("unchecked")
    static Recipient load(Path dir, Path secretsDir) {
        String code = dir.getFileName().toString();
        if (!DepartmentConfigLoader.CODE.matcher(code).matches()) {
            throw new InvalidPartnerConfigurationException(dir, "folder name must be a party code such as DCLG");
        }
        Path file = dir.resolve(CONFIG_FILE);
        Object loaded;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (IOException e) {
            throw new InvalidPartnerConfigurationException(dir, "missing or unreadable " + CONFIG_FILE);
        } catch (RuntimeException e) {
            throw new InvalidPartnerConfigurationException(dir, CONFIG_FILE + " is not valid YAML");
        }
        if (!(loaded instanceof Map<?, ?> map)) {
            throw new InvalidPartnerConfigurationException(dir, CONFIG_FILE + " must be a mapping");
        }
        Map<String, Object> yaml = new LinkedHashMap<>();
        map.forEach((k, v) -> yaml.put(String.valueOf(k), v));
        for (String key : yaml.keySet()) {
            if (!KEYS.contains(key)) {
                throw new InvalidPartnerConfigurationException(dir, "unknown key '" + key + "' in " + CONFIG_FILE);
            }
        }
        PGPPublicKeyRing pgp;
        try {
            pgp = PgpKeys.readPartnerKey(dir.resolve(PartnerRegistry.PGP_KEY_FILE));
        } catch (IOException | org.bouncycastle.openpgp.PGPException | RuntimeException e) {
            throw new InvalidPartnerConfigurationException(dir, PartnerRegistry.PGP_KEY_FILE
                    + " is missing or not one valid OpenPGP public key");
        }
        if (!(yaml.get("endpoint") instanceof Map<?, ?> endpoint)) {
            throw new InvalidPartnerConfigurationException(dir, "endpoint must be a mapping");
        }
        Object release = yaml.get("release");
        if (!(release instanceof Map<?, ?> spec)) {
            throw new InvalidPartnerConfigurationException(dir, "release must be a mapping (the release specification)");
        }
        Map<String, Object> releaseSpec = new LinkedHashMap<>();
        spec.forEach((k, v) -> releaseSpec.put(String.valueOf(k), v));
        return new Recipient(code, String.valueOf(yaml.getOrDefault("name", code)), pgp,
                PgpKeys.fingerprint(pgp.getPublicKey()),
                DepartmentConfigLoader.endpoint(dir, (Map<String, Object>) endpoint, secretsDir), releaseSpec, file);
    }
}
