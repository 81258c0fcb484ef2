package org.linkgate.returns;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of a department's return file, {@code <DEPT>_<DATASET>_<EXTRACT_ID>.csv.<pgp|gpg|asc>}
 * (CONTRACT "File names"): department code {@code [A-Z]{2,8}}, dataset {@code [A-Z0-9]{2,16}}, extract
 * id 32 lower-case hex digits. Parse it before the name is used for anything else: a name that does
 * not match exactly, including one with a path or extra dots, is refused.
 */
public record ReturnFileName(String department, String dataset, String extractId, String extension) {

    private static final int MAX_LENGTH = 255;
    private static final Pattern DEPARTMENT = Pattern.compile("[A-Z]{2,8}");
    private static final Pattern DATASET = Pattern.compile("[A-Z0-9]{2,16}");
    private static final Pattern EXTRACT_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern EXTENSION = Pattern.compile("pgp|gpg|asc");
    private static final Pattern NAME =
            Pattern.compile("([A-Z]{2,8})_([A-Z0-9]{2,16})_([0-9a-f]{32})\\.csv\\.(pgp|gpg|asc)");

    /**
     * @throws IllegalArgumentException if a part does not have its required form
     */
    public ReturnFileName {
        require(DEPARTMENT, department, "department");
        require(DATASET, dataset, "dataset");
        require(EXTRACT_ID, extractId, "extractId");
        require(EXTENSION, extension, "extension");
    }

    /** The parts of {@code fileName}, or empty when it is not exactly a return file name. */
    public static Optional<ReturnFileName> parse(String fileName) {
        if (fileName == null || fileName.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new ReturnFileName(m.group(1), m.group(2), m.group(3), m.group(4)));
    }

    /** The file name these parts make. */
    public String fileName() {
        return department + "_" + dataset + "_" + extractId + ".csv." + extension;
    }

    private static void require(Pattern pattern, String value, String part) {
        Objects.requireNonNull(value, part);
        if (!pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("return file name: " + part + " does not have the required form");
        }
    }
}
