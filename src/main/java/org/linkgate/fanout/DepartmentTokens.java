package org.linkgate.fanout;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.linkgate.pseudonymisation.PseudonymisationKey;
import org.linkgate.pseudonymisation.Pseudonymiser;

/**
 * The id a department sees for a person: lower-case hex HMAC-SHA-256, under the pseudonymisation
 * key, of {@code "dept-v1|" + DEPARTMENT_CODE + "|" + pseudo_id}. Each department gets its own
 * token for the same person, so departments cannot join their extracts, and the linkage-store
 * pseudo_id never leaves the gateway. Not thread-safe (one HMAC per instance): one per extract.
 */
public final class DepartmentTokens {

    /** Version prefix of the hashed string; a new derivation needs a new prefix. */
    public static final String VERSION = "dept-v1";

    /** Department codes as configured (upper-case letters and digits): no separator can hide in one. */
    private static final Pattern DEPARTMENT_CODE = Pattern.compile("[A-Z0-9]{1,16}");

    private final Pseudonymiser hmac;

    public DepartmentTokens(PseudonymisationKey key) {
        this.hmac = new Pseudonymiser(Objects.requireNonNull(key, "key"));
    }

    /**
     * The department's token for one pseudo id. The code is upper-cased, so {@code dfe} and
     * {@code DFE} are one department.
     *
     * @throws IllegalArgumentException if the code is not a department code or the pseudo id is blank
     */
    public String token(String departmentCode, String pseudoId) {
        return hmac.hash(VERSION + "|" + canonicalCode(departmentCode) + "|" + requirePseudoId(pseudoId));
    }

    static String canonicalCode(String departmentCode) {
        Objects.requireNonNull(departmentCode, "departmentCode");
        String code = departmentCode.toUpperCase(Locale.ROOT);
        if (!DEPARTMENT_CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("department code must be 1-16 letters or digits");
        }
        return code;
    }

    private static String requirePseudoId(String pseudoId) {
        if (pseudoId == null || pseudoId.isBlank()) {
            throw new IllegalArgumentException("pseudo id must not be blank");
        }
        return pseudoId;
    }

    @Override
    public String toString() {
        return "DepartmentTokens[" + VERSION + "]";
    }
}
