package org.linkgate.validation;

/**
 * A dataset schema file could not be read or is invalid. The message names the place in
 * the file (e.g. {@code columns[3].rules[0]}) and the problem; schema files hold no
 * personal data, so echoing them is safe.
 */
public class SchemaLoadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SchemaLoadException(String message) {
        super(message);
    }

    public SchemaLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
