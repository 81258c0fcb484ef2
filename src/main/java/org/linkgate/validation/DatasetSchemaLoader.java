package org.linkgate.validation;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads a dataset schema from YAML into an immutable {@link DatasetSchema}. Input: a YAML
 * document ({@code dataset}, {@code version}, {@code columns}); output: the schema;
 * failure: {@link SchemaLoadException} naming the offending key, including unknown keys
 * and unknown rule names (fail closed). Adding a dataset version means adding a file.
 *
 * <p>Every scalar is read as a string (no YAML 1.1 implicit booleans, dates or octal), so
 * {@code not_before: 1900-01-01} and {@code one_of: [0, 1]} mean exactly what they say.
 */
public final class DatasetSchemaLoader {

    private static final Set<String> TOP_KEYS = Set.of("dataset", "version", "description", "columns");
    private static final Set<String> COLUMN_KEYS = Set.of("name", "required", "value", "maxLength", "rules", "description");
    private static final int MAX_SCHEMA_CODE_POINTS = 1_000_000;

    private DatasetSchemaLoader() {
    }

    /**
     * Loads a schema from a classpath resource, e.g. {@code "schemas/council-batch-v1.yaml"}.
     *
     * @throws SchemaLoadException if the resource is missing or invalid
     */
    public static DatasetSchema loadClasspath(String resource) {
        String path = resource.startsWith("/") ? resource.substring(1) : resource;
        ClassLoader loader = DatasetSchemaLoader.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new SchemaLoadException("schema resource not found: " + path);
            }
            return load(in);
        } catch (IOException e) {
            throw new SchemaLoadException("cannot read schema resource " + path, e);
        }
    }

    /**
     * Loads a schema from a UTF-8 YAML stream; the stream is not closed.
     *
     * @throws SchemaLoadException if the document is not a valid schema
     */
    public static DatasetSchema load(InputStream in) {
        Object document;
        try {
            Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
            document = yaml().load(reader);
        } catch (YAMLException e) {
            throw new SchemaLoadException("schema is not valid YAML", e);
        }
        return toSchema(document);
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(20);
        options.setCodePointLimit(MAX_SCHEMA_CODE_POINTS);
        DumperOptions dumperOptions = new DumperOptions();
        return new Yaml(new SafeConstructor(options), new Representer(dumperOptions), dumperOptions,
                options, new StringsOnlyResolver());
    }

    private static DatasetSchema toSchema(Object document) {
        Map<?, ?> top = map(document, "schema");
        checkKeys(top, TOP_KEYS, "schema");
        String datasetId = string(top.get("dataset"), "dataset");
        int version = positiveInt(top.get("version"), "version");
        List<?> columnNodes = list(top.get("columns"), "columns");
        List<ColumnSpec> columns = new ArrayList<>();
        for (int i = 0; i < columnNodes.size(); i++) {
            columns.add(toColumn(columnNodes.get(i), "columns[" + i + "]"));
        }
        try {
            return new DatasetSchema(datasetId, version, columns);
        } catch (IllegalArgumentException e) {
            throw new SchemaLoadException("schema: " + e.getMessage(), e);
        }
    }

    private static ColumnSpec toColumn(Object node, String where) {
        Map<?, ?> column = map(node, where);
        checkKeys(column, COLUMN_KEYS, where);
        String name = string(column.get("name"), where + ".name");
        boolean required = bool(column.get("required"), where + ".required");
        String value = string(column.get("value"), where + ".value");
        boolean mandatory = switch (value) {
            case "mandatory" -> true;
            case "optional" -> false;
            default -> throw new SchemaLoadException(where + ".value: expected 'mandatory' or 'optional'");
        };
        OptionalInt maxLength = column.containsKey("maxLength")
                ? OptionalInt.of(positiveInt(column.get("maxLength"), where + ".maxLength"))
                : OptionalInt.empty();
        List<?> ruleNodes = column.containsKey("rules") ? list(column.get("rules"), where + ".rules") : List.of();
        List<RuleSpec> rules = new ArrayList<>();
        for (int i = 0; i < ruleNodes.size(); i++) {
            rules.add(toRule(ruleNodes.get(i), where + ".rules[" + i + "]"));
        }
        try {
            return new ColumnSpec(name, required, mandatory, maxLength, rules);
        } catch (IllegalArgumentException e) {
            throw new SchemaLoadException(where + ": " + e.getMessage(), e);
        }
    }

    /** A rule is a bare name ({@code iso_date}) or a one-entry map ({@code not_before: 1900-01-01}). */
    private static RuleSpec toRule(Object node, String where) {
        String name;
        List<String> args = new ArrayList<>();
        if (node instanceof String s) {
            name = s;
        } else if (node instanceof Map<?, ?> m && m.size() == 1) {
            Map.Entry<?, ?> entry = m.entrySet().iterator().next();
            name = string(entry.getKey(), where);
            Object value = entry.getValue();
            if (value instanceof List<?> l) {
                for (int i = 0; i < l.size(); i++) {
                    args.add(string(l.get(i), where + "." + name + "[" + i + "]"));
                }
            } else {
                args.add(string(value, where + "." + name));
            }
        } else {
            throw new SchemaLoadException(where + ": expected a rule name or a single 'rule: argument' entry");
        }
        try {
            return new RuleSpec(name, args);
        } catch (IllegalArgumentException e) {
            throw new SchemaLoadException(where + ": " + e.getMessage(), e);
        }
    }

    private static void checkKeys(Map<?, ?> map, Set<String> allowed, String where) {
        for (Object key : map.keySet()) {
            if (!(key instanceof String s) || !allowed.contains(s)) {
                throw new SchemaLoadException(where + ": unknown key '" + key + "' (allowed: "
                        + allowed.stream().sorted().toList() + ")");
            }
        }
    }

    private static Map<?, ?> map(Object node, String where) {
        if (node instanceof Map<?, ?> m) {
            return m;
        }
        throw new SchemaLoadException(where + ": expected a mapping");
    }

    private static List<?> list(Object node, String where) {
        if (node instanceof List<?> l) {
            return l;
        }
        throw new SchemaLoadException(where + ": expected a list");
    }

    private static String string(Object node, String where) {
        if (node instanceof String s && !s.isBlank()) {
            return s;
        }
        throw new SchemaLoadException(where + ": expected a non-empty value");
    }

    private static boolean bool(Object node, String where) {
        String s = string(node, where);
        return switch (s) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new SchemaLoadException(where + ": expected true or false");
        };
    }

    private static int positiveInt(Object node, String where) {
        String s = string(node, where);
        try {
            int value = Integer.parseInt(s);
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            throw new SchemaLoadException(where + ": expected a whole number of at least 1", e);
        }
        throw new SchemaLoadException(where + ": expected a whole number of at least 1");
    }

    /** Resolves only nulls implicitly; every other plain scalar stays a string. */
    private static final class StringsOnlyResolver extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.NULL, NULL, "~nN\0");
            addImplicitResolver(Tag.NULL, EMPTY, null);
        }
    }
}
