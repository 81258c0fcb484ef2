package org.linkgate.validation;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One data row of a batch. Values are stripped of surrounding whitespace; an empty value
 * is absent. {@link #toString()} shows only the row number and field count, never values.
 */
public final class CsvRow {

    private final long rowNumber;
    private final int fieldCount;
    private final boolean expectedFieldCount;
    private final Map<String, Integer> schemaIndex;
    private final String[] values;

    CsvRow(long rowNumber, int fieldCount, boolean expectedFieldCount, Map<String, Integer> schemaIndex,
           String[] values) {
        this.rowNumber = rowNumber;
        this.fieldCount = fieldCount;
        this.expectedFieldCount = expectedFieldCount;
        this.schemaIndex = schemaIndex;
        this.values = values;
    }

    /** Spreadsheet-style row number: the header is row 1, the first data row 2. */
    public long rowNumber() {
        return rowNumber;
    }

    /** How many fields the record had. */
    public int fieldCount() {
        return fieldCount;
    }

    /**
     * False when the record had a different number of fields from the header; its values
     * are then unreliable (columns may be shifted) and the row is a {@code field_count} problem.
     */
    public boolean hasExpectedFieldCount() {
        return expectedFieldCount;
    }

    /**
     * The stripped value of a schema column; empty when the value is blank, the column is
     * not in the file, or the record was too short to reach it.
     *
     * @throws IllegalArgumentException if the schema has no such column
     */
    public Optional<String> value(String column) {
        Objects.requireNonNull(column, "column");
        Integer index = schemaIndex.get(column);
        if (index == null) {
            throw new IllegalArgumentException("no column '" + column + "' in the schema");
        }
        return Optional.ofNullable(values[index]);
    }

    @Override
    public String toString() {
        return "CsvRow[row=" + rowNumber + ", fields=" + fieldCount + "]";
    }
}
