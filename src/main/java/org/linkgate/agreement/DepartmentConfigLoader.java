package org.linkgate.agreement;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.linkgate.agreement.PartnerRegistry.InvalidPartnerConfigurationException;
import org.linkgate.crypto.PgpKeys;
import org.linkgate.validation.ClosedColumns;
import org.linkgate.validation.DatasetSchema;
import org.linkgate.validation.DatasetSchemaLoader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads one department folder: {@value #CONFIG_FILE} (safe YAML, no object construction),
 * {@value PartnerRegistry#PGP_KEY_FILE} and, for an embedded endpoint,
 * {@value PartnerRegistry#SSH_KEYS_FILE}. Anything unknown or inconsistent is refused with the
 * folder and the reason.
 */
final class DepartmentConfigLoader {

    static final String CONFIG_FILE = "department.yaml";
    static final Pattern CODE = Pattern.compile("[A-Z]{2,8}");
    static final Pattern DATASET = Pattern.compile("[A-Z0-9]{2,16}");
    private static final Pattern RETURN_SCHEMA = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Set<String> KEYS = Set.of("name", "matchFields", "filter", "returnDueDays", "endpoint", "returns");

    private DepartmentConfigLoader() {
    }

    static Department load(Path dir, Path secretsDir) {
        String code = dir.getFileName().toString();
        if (!CODE.matcher(code).matches()) {
            throw new InvalidPartnerConfigurationException(dir, "folder name must be a department code such as DWP");
        }
        Map<String, Object> yaml = readYaml(dir);
        for (String key : yaml.keySet()) {
            if (!KEYS.contains(key)) {
                throw new InvalidPartnerConfigurationException(dir, "unknown key '" + key + "' in " + CONFIG_FILE);
            }
        }
        List<String> fields = strings(dir, yaml.get("matchFields"), "matchFields");
        for (String field : fields) {
            if (!Department.EXTRACTABLE_FIELDS.contains(field)) {
                throw new InvalidPartnerConfigurationException(dir, "matchFields: '" + field + "' is not an extractable field "
                        + Department.EXTRACTABLE_FIELDS);
            }
        }
        PGPPublicKeyRing pgp;
        try {
            pgp = PgpKeys.readPartnerKey(dir.resolve(PartnerRegistry.PGP_KEY_FILE));
        } catch (IOException | org.bouncycastle.openpgp.PGPException | RuntimeException e) {
            throw new InvalidPartnerConfigurationException(dir, PartnerRegistry.PGP_KEY_FILE
                    + " is missing or not one valid OpenPGP public key"
                    + (e instanceof org.bouncycastle.openpgp.PGPException ? ": " + e.getMessage() : ""));
        }
        Map<String, Object> filter = map(dir, yaml.getOrDefault("filter", Map.of()), "filter");
        List<Department.ReturnDataset> returns = new ArrayList<>();
        for (Object entry : list(dir, yaml.get("returns"), "returns")) {
            Map<String, Object> dataset = map(dir, entry, "returns[]");
            String name = text(dir, dataset.get("dataset"), "returns[].dataset");
            if (!DATASET.matcher(name).matches()) {
                throw new InvalidPartnerConfigurationException(dir, "dataset name '" + name + "' must be 2-16 capitals or digits");
            }
            String schema = text(dir, dataset.get("schema"), "returns[].schema");
            requireClosedSchema(dir, name, schema);
            returns.add(new Department.ReturnDataset(name, schema));
        }
        return new Department(code, String.valueOf(yaml.getOrDefault("name", code)), pgp,
                PgpKeys.fingerprint(pgp.getPublicKey()), fields,
                new Department.AgeFilter(integer(dir, filter.get("minAge")), integer(dir, filter.get("maxAge"))),
                Duration.ofDays(integer(dir, yaml.getOrDefault("returnDueDays", "60"))),
                endpoint(dir, map(dir, yaml.get("endpoint"), "endpoint"), secretsDir), returns);
    }

    /**
     * A return dataset must name a schema of the gateway's own (schemas/returns/) whose every column
     * is closed ({@link ClosedColumns}): a department may return codes, counts and dates, never text.
     */
    private static void requireClosedSchema(Path dir, String dataset, String schema) {
        if (!RETURN_SCHEMA.matcher(schema).matches()) {
            throw new InvalidPartnerConfigurationException(dir, "returns[" + dataset + "].schema '" + schema
                    + "' is not a schema name such as dwp-wpls-v1");
        }
        DatasetSchema loaded;
        try {
            loaded = DatasetSchemaLoader.loadClasspath("schemas/returns/" + schema + ".yaml");
        } catch (RuntimeException e) {
            throw new InvalidPartnerConfigurationException(dir, "returns[" + dataset + "].schema '" + schema
                    + "' is not a return schema of the gateway");
        }
        List<String> open = ClosedColumns.problems(loaded);
        if (!open.isEmpty()) {
            throw new InvalidPartnerConfigurationException(dir, "returns[" + dataset + "].schema '" + schema
                    + "' would let free text back: " + String.join("; ", open));
        }
    }

    static Department.Endpoint endpoint(Path dir, Map<String, Object> endpoint, Path secretsDir) {
        String type = text(dir, endpoint.get("type"), "endpoint.type");
        return switch (type) {
            case "embedded" -> new Department.EmbeddedEndpoint(PartnerRegistry.readSshKeys(dir, dir.resolve(PartnerRegistry.SSH_KEYS_FILE)));
            case "remote" -> {
                Path key = secretsDir.resolve(text(dir, endpoint.get("privateKey"), "endpoint.privateKey"));
                if (Files.isRegularFile(key)) {
                    try {
                        org.linkgate.kernel.SecretFiles.requirePrivate(key);
                    } catch (IllegalStateException e) {
                        throw new InvalidPartnerConfigurationException(dir, e.getMessage());
                    }
                }
                Path knownHosts = dir.resolve(text(dir, endpoint.getOrDefault("knownHosts", "ssh-known-hosts"), "endpoint.knownHosts"));
                if (!Files.isRegularFile(knownHosts)) {
                    throw new InvalidPartnerConfigurationException(dir, "remote endpoint needs its pinned host key in " + knownHosts.getFileName());
                }
                yield new Department.RemoteEndpoint(text(dir, endpoint.get("host"), "endpoint.host"),
                        integer(dir, endpoint.getOrDefault("port", "22")), text(dir, endpoint.get("user"), "endpoint.user"),
                        key, knownHosts, String.valueOf(endpoint.getOrDefault("uploadDir", "upload")),
                        String.valueOf(endpoint.getOrDefault("returnsDir", "returns")));
            }
            default -> throw new InvalidPartnerConfigurationException(dir, "endpoint.type must be embedded or remote");
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readYaml(Path dir) {
        Path file = dir.resolve(CONFIG_FILE);
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            return map(dir, loaded, CONFIG_FILE);
        } catch (IOException e) {
            throw new InvalidPartnerConfigurationException(dir, "missing or unreadable " + CONFIG_FILE);
        } catch (RuntimeException e) {
            if (e instanceof InvalidPartnerConfigurationException invalid) {
                throw invalid;
            }
            throw new InvalidPartnerConfigurationException(dir, CONFIG_FILE + " is not valid YAML");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Path dir, Object value, String what) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new InvalidPartnerConfigurationException(dir, what + " must be a mapping");
        }
        return (Map<String, Object>) map;
    }

    private static List<?> list(Path dir, Object value, String what) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new InvalidPartnerConfigurationException(dir, what + " must be a list");
        }
        return list;
    }

    private static List<String> strings(Path dir, Object value, String what) {
        List<String> result = new ArrayList<>();
        for (Object item : list(dir, value, what)) {
            result.add(text(dir, item, what));
        }
        if (result.isEmpty()) {
            throw new InvalidPartnerConfigurationException(dir, what + " must list at least one field");
        }
        return result;
    }

    private static String text(Path dir, Object value, String what) {
        if (value == null || String.valueOf(value).isBlank()) {
            throw new InvalidPartnerConfigurationException(dir, what + " is required");
        }
        return String.valueOf(value).strip();
    }

    private static Integer integer(Path dir, Object value) {
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(String.valueOf(value).strip());
        } catch (NumberFormatException e) {
            throw new InvalidPartnerConfigurationException(dir, "'" + value + "' is not a whole number");
        }
    }
}
