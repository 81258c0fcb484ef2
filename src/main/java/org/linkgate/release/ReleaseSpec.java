package org.linkgate.release;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.linkgate.agreement.Department;
import org.linkgate.validation.ColumnSpec;
import org.linkgate.validation.DatasetSchema;
import org.linkgate.validation.DatasetSchemaLoader;
import org.linkgate.validation.RuleType;

/**
 * What a recipient's releases hold, from the {@code release} mapping of its {@code recipient.yaml}:
 * the person-level {@code variables} (names of {@link ReleaseVariable}), the linked {@code datasets}
 * ({@code DEPT/DATASET}, as the departments return them) and {@code maxSuppressedShare}, the share of
 * rows k-anonymity may suppress before a release is refused instead (default 0.05). Anything unknown
 * stops start-up with the file and the key path, e.g. {@code release.variables[3]}.
 */
public record ReleaseSpec(List<ReleaseVariable> variables, List<LinkedDataset> datasets, double maxSuppressedShare) {

    public static final double DEFAULT_MAX_SUPPRESSED_SHARE = 0.05;
    private static final Set<String> KEYS = Set.of("variables", "datasets", "maxSuppressedShare");
    private static final Pattern DATASET_REF = Pattern.compile("([A-Z]{2,8})/([A-Z0-9]{2,16})");

    public ReleaseSpec {
        variables = List.copyOf(variables);
        datasets = List.copyOf(datasets);
    }

    /** The quasi-identifiers among the variables, in specification order. */
    public List<ReleaseVariable> quasiIdentifiers() {
        return variables.stream().filter(ReleaseVariable::quasiIdentifier).toList();
    }

    /**
     * One department's returned dataset in a release: its columns as the gateway's return schema
     * declares them (without the department's token), and which of them are dates, released as a month.
     */
    public record LinkedDataset(String department, String dataset, String schema, List<String> columns,
                                Set<String> monthColumns) {
        public LinkedDataset {
            columns = List.copyOf(columns);
            monthColumns = Set.copyOf(monthColumns);
        }

        /** Its file in the release zip, e.g. {@code DWP_WPLS.csv}. */
        public String fileName() {
            return department + "_" + dataset + ".csv";
        }
    }

    /** The specification is unusable; the message names the file and the key path. */
    public static final class InvalidReleaseSpecException extends IllegalStateException {
        InvalidReleaseSpecException(Path file, String keyPath, String reason) {
            super("invalid release specification in " + file + ": " + keyPath + ": " + reason);
        }
    }

    /**
     * Reads and checks a specification.
     *
     * @param departments the configured departments by code, for the datasets
     * @throws InvalidReleaseSpecException naming {@code file} and the key path of the first problem
     */
    public static ReleaseSpec parse(Map<String, Object> spec, Path file, Function<String, Department> departments) {
        Objects.requireNonNull(spec, "spec");
        for (String key : spec.keySet()) {
            if (!KEYS.contains(key)) {
                throw new InvalidReleaseSpecException(file, "release." + key, "unknown key (allowed: " + KEYS + ")");
            }
        }
        List<?> variableNames = list(spec.get("variables"), file, "release.variables");
        if (variableNames.isEmpty()) {
            throw new InvalidReleaseSpecException(file, "release.variables", "must list at least one variable");
        }
        Set<ReleaseVariable> variables = new LinkedHashSet<>();
        for (int i = 0; i < variableNames.size(); i++) {
            String path = "release.variables[" + i + "]";
            String name = String.valueOf(variableNames.get(i)).strip();
            String refused = ReleaseVariable.REFUSED.get(name);
            if (refused != null) {
                throw new InvalidReleaseSpecException(file, path, "'" + name + "' may not be released: " + refused);
            }
            ReleaseVariable variable = ReleaseVariable.byKey(name).orElseThrow(() -> new InvalidReleaseSpecException(
                    file, path, "'" + name + "' is not a release variable; known: " + knownVariables()));
            if (!variables.add(variable)) {
                throw new InvalidReleaseSpecException(file, path, "'" + name + "' is listed twice");
            }
        }
        List<LinkedDataset> datasets = new ArrayList<>();
        List<?> refs = list(spec.get("datasets"), file, "release.datasets");
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < refs.size(); i++) {
            String path = "release.datasets[" + i + "]";
            String ref = String.valueOf(refs.get(i)).strip();
            var matcher = DATASET_REF.matcher(ref);
            if (!matcher.matches()) {
                throw new InvalidReleaseSpecException(file, path, "'" + ref + "' must be DEPARTMENT/DATASET, e.g. DWP/WPLS");
            }
            if (!seen.add(ref)) {
                throw new InvalidReleaseSpecException(file, path, "'" + ref + "' is listed twice");
            }
            Department department = departments.apply(matcher.group(1));
            if (department == null) {
                throw new InvalidReleaseSpecException(file, path, "department " + matcher.group(1) + " is not configured");
            }
            Department.ReturnDataset dataset = department.returnDataset(matcher.group(2)).orElseThrow(() ->
                    new InvalidReleaseSpecException(file, path, department.code() + " returns no dataset "
                            + matcher.group(2)));
            datasets.add(linked(department.code(), dataset));
        }
        double share = DEFAULT_MAX_SUPPRESSED_SHARE;
        Object shareValue = spec.get("maxSuppressedShare");
        if (shareValue != null) {
            try {
                share = Double.parseDouble(String.valueOf(shareValue).strip());
            } catch (NumberFormatException e) {
                share = -1;
            }
            if (!(share >= 0 && share < 1)) {
                throw new InvalidReleaseSpecException(file, "release.maxSuppressedShare", "must be a number from 0 to"
                        + " below 1, e.g. 0.05");
            }
        }
        return new ReleaseSpec(List.copyOf(variables), datasets, share);
    }

    private static LinkedDataset linked(String department, Department.ReturnDataset dataset) {
        DatasetSchema schema = DatasetSchemaLoader.loadClasspath("schemas/returns/" + dataset.schema() + ".yaml");
        List<String> columns = new ArrayList<>();
        Set<String> months = new LinkedHashSet<>();
        for (ColumnSpec column : schema.columns()) {
            if (column.name().equals("pseudo_id")) {
                continue; // the department's token: replaced by the release's own id
            }
            columns.add(column.name());
            if (column.rules().stream().anyMatch(r -> r.type() == RuleType.ISO_DATE)) {
                months.add(column.name());
            }
        }
        return new LinkedDataset(department, dataset.name(), dataset.schema(), columns, months);
    }

    private static List<?> list(Object value, Path file, String path) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new InvalidReleaseSpecException(file, path, "must be a list");
        }
        return list;
    }

    private static List<String> knownVariables() {
        return java.util.Arrays.stream(ReleaseVariable.values()).map(ReleaseVariable::key).toList();
    }
}
