package org.linkgate.inbound;

import java.util.regex.Pattern;

/** The rule for echoing a partner's file name back in a report and a report's name. */
public final class FileNames {

    /** Names safe to echo back in a report file name, even when they break the contract's pattern. */
    private static final Pattern SAFE_TO_ECHO = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,150}");

    private FileNames() {
    }

    /** True if the name may appear in a report name and in the report, though it may not be a contract name. */
    public static boolean safeToEcho(String fileName) {
        return fileName != null && SAFE_TO_ECHO.matcher(fileName).matches() && !fileName.contains("..");
    }
}
