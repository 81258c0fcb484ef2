package org.linkgate.validation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The one rule for echoing a name a partner chose (a file name) in a report, a report's name or the audit trail: a
 * short name of letters, digits, dot, dash and underscore is echoed; anything else (a name that could carry personal
 * data, control characters or path tricks) is replaced by {@code unsafe-name-<16 hex>}, never trusted.
 */
public final class PartnerFileNames {

    public static final String UNSAFE_PREFIX = "unsafe-name-";

    /** Names safe to echo back in a report file name, even when they break the contract's pattern. */
    private static final Pattern SAFE_TO_ECHO = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,150}");

    private PartnerFileNames() {
    }

    /** True if the name may appear in a report name and in the report, though it may not be a contract name. */
    public static boolean safeToEcho(String fileName) {
        return fileName != null && SAFE_TO_ECHO.matcher(fileName).matches() && !fileName.contains("..");
    }

    /**
     * The name itself when {@link #safeToEcho safe}, otherwise {@code unsafe-name-} and the first 16 hex digits of
     * the SHA-256 of the name: the same name gets the same stand-in, so a file can still be followed (uploaded,
     * renamed, removed) without its name being recorded.
     */
    public static String forRecord(String fileName) {
        if (safeToEcho(fileName)) {
            return fileName;
        }
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(
                    String.valueOf(fileName).getBytes(StandardCharsets.UTF_8));
            return UNSAFE_PREFIX + HexFormat.of().formatHex(sha).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
