package org.linkgate.validation;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A versioned dataset layout: its id (e.g. {@code council-batch}), version and columns in
 * declaration order. Loaded from YAML by {@link DatasetSchemaLoader}; immutable.
 *
 * @throws IllegalArgumentException from the constructor for a bad id, version or duplicate column
 */
public record DatasetSchema(String datasetId, int version, List<ColumnSpec> columns) {

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,63}");

    public DatasetSchema {
        Objects.requireNonNull(datasetId, "datasetId");
        columns = List.copyOf(columns);
        if (!ID.matcher(datasetId).matches()) {
            throw new IllegalArgumentException("dataset id '" + datasetId + "' must be lower case letters, digits and '-'");
        }
        if (version < 1) {
            throw new IllegalArgumentException("dataset version must be at least 1");
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("dataset '" + datasetId + "' has no columns");
        }
        var seen = new HashSet<String>();
        for (ColumnSpec column : columns) {
            if (!seen.add(column.name())) {
                throw new IllegalArgumentException("column '" + column.name() + "' is declared twice");
            }
        }
    }

    /** The column with this exact name, if the schema declares it. */
    public Optional<ColumnSpec> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** All column names in declaration order. */
    public List<String> columnNames() {
        return columns.stream().map(ColumnSpec::name).toList();
    }

    /** Columns that must appear in the header. */
    public List<String> requiredColumns() {
        return columns.stream().filter(ColumnSpec::required).map(ColumnSpec::name).toList();
    }

    /**
     * Columns whose values must be unique within a file. {@link RowValidator} does not
     * check this (it would have to hold every value of a file of millions of rows); the
     * caller must, e.g. with a unique constraint in the linkage store.
     */
    public List<String> uniqueColumns() {
        return columns.stream().filter(ColumnSpec::unique).map(ColumnSpec::name).toList();
    }

    Map<String, Integer> columnIndex() {
        var index = new HashMap<String, Integer>();
        for (int i = 0; i < columns.size(); i++) {
            index.put(columns.get(i).name(), i);
        }
        return Map.copyOf(index);
    }
}
