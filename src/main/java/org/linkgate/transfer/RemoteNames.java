package org.linkgate.transfer;

/**
 * The file-name contract for department servers: a name is a single path element, visible (no
 * leading dot), without {@code ..}, separators or control characters. Remote names are untrusted
 * (CAMEL-23765, CAMEL-24487: {@code ../} in a listed name escaped the work directory), so they are
 * checked before any other I/O is done with them.
 */
final class RemoteNames {

    /** Suffix of a file still being uploaded; never listed as complete. */
    static final String PARTIAL_SUFFIX = ".part";

    private static final int MAX_NAME_LENGTH = 255;

    private RemoteNames() {
    }

    static boolean isSafeFileName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH
                || name.startsWith(".") || name.contains("..")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || Character.isISOControl(c)) {
                return false;
            }
        }
        return true;
    }

    static String requireSafeFileName(String name) {
        if (!isSafeFileName(name)) {
            throw new IllegalArgumentException("not an acceptable remote file name: " + printable(name));
        }
        return name;
    }

    /** A directory: non-blank, no control characters, no {@code .} or {@code ..} elements. */
    static String requireSafeDirectory(String dir) {
        if (dir == null || dir.isBlank()) {
            throw new IllegalArgumentException("remote directory is blank");
        }
        for (int i = 0; i < dir.length(); i++) {
            char c = dir.charAt(i);
            if (c == '\\' || Character.isISOControl(c)) {
                throw new IllegalArgumentException("not an acceptable remote directory: " + printable(dir));
            }
        }
        for (String element : dir.split("/")) {
            if (element.equals(".") || element.equals("..")) {
                throw new IllegalArgumentException("not an acceptable remote directory: " + printable(dir));
            }
        }
        return dir;
    }

    static String join(String dir, String name) {
        String base = dir;
        while (base.length() > 1 && base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base.equals("/") ? "/" + name : base + "/" + name;
    }

    /** A name safe to put in a log line or message: control characters escaped, length capped. */
    static String printable(String name) {
        if (name == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length() && out.length() < 120; i++) {
            char c = name.charAt(i);
            out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return "'" + out + (name.length() > 120 ? "…" : "") + "'";
    }
}
