package org.linkgate.validation;

/**
 * Caps that keep memory bounded when reading a hostile batch: the most characters in one
 * field and in one record (raw, including quotes and delimiters, excluding the line
 * ending) and the most fields in one record. Breaking one rejects the file.
 *
 * @throws IllegalArgumentException from the constructor unless
 *                                  {@code 1 <= maxFieldChars <= maxRecordChars} and {@code maxColumns >= 1}
 */
public record CsvLimits(int maxFieldChars, int maxRecordChars, int maxColumns) {

    /** 4,096 characters per field, 65,536 per record, 64 columns. */
    public static final CsvLimits DEFAULTS = new CsvLimits(4096, 65_536, 64);

    public CsvLimits {
        if (maxFieldChars < 1 || maxRecordChars < maxFieldChars || maxColumns < 1) {
            throw new IllegalArgumentException(
                    "limits need 1 <= maxFieldChars <= maxRecordChars and maxColumns >= 1");
        }
    }
}
