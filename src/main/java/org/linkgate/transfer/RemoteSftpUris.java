package org.linkgate.transfer;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.linkgate.agreement.Department;

/**
 * Camel {@code sftp:} endpoint URIs for departments' own servers, secure by construction (every
 * option name checked against camel-ftp 4.17's catalogue, {@code sftp.json}): host key pinned by
 * the endpoint's known_hosts only, public-key login only, {@code readLock=changed}, downloads to a
 * local work directory, remote file deleted only after the route succeeds, connection failures
 * raised rather than logged.
 *
 * <p>Camel trims leading slashes from the directory (it is always relative to the login
 * directory), so an absolute {@code returnsDir} is refused rather than silently reinterpreted.
 */
public final class RemoteSftpUris {

    /** Interval between the size/mtime checks of {@code readLock=changed}. */
    public static final long READ_LOCK_CHECK_INTERVAL_MS = 1_000;
    /** Give up on a file still changing after this long; it is tried again at the next poll (≥ 2× the interval). */
    public static final long READ_LOCK_TIMEOUT_MS = 20_000;
    /** A file must be at least this old (remote mtime) before it is read. */
    public static final long READ_LOCK_MIN_AGE_MS = 5_000;
    public static final long CONNECT_TIMEOUT_MS = 15_000;
    /** Socket read timeout of the JSch session: a stalled server fails the poll instead of hanging it. */
    public static final long SO_TIMEOUT_MS = 60_000;
    public static final long SERVER_ALIVE_INTERVAL_MS = 15_000;
    public static final int SERVER_ALIVE_COUNT_MAX = 4;

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._@-]{0,63}");
    private static final Pattern DIR_ELEMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

    /**
     * Applied around every include pattern: the name contract ({@link RemoteNames}) as a regex, so
     * Camel drops unsafe names and in-progress {@code .part} uploads before any other I/O, and
     * case-sensitive matching ({@code (?-i)}) although Camel compiles {@code include} with
     * {@code CASE_INSENSITIVE}.
     */
    static final String NAME_CONTRACT_PREFIX =
            "(?-i)(?!\\.)(?![\\s\\S]*(?:[/\\\\\\p{Cntrl}]|\\.\\.))(?![\\s\\S]*\\.part\\z)(?:";

    private RemoteSftpUris() {
    }

    /**
     * A consumer of {@code endpoint.returnsDir()} taking only complete files whose whole name
     * matches {@code includeRegex} (case-sensitive), downloading each into {@code localWorkDir}
     * and deleting the remote file once the exchange completes successfully.
     *
     * @param pollDelayMs milliseconds between polls (at least 1000)
     */
    public static String returnsConsumer(Department.RemoteEndpoint endpoint, String includeRegex, Path localWorkDir,
                                         long pollDelayMs) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(includeRegex, "includeRegex");
        Objects.requireNonNull(localWorkDir, "localWorkDir");
        if (pollDelayMs < 1_000) {
            throw new IllegalArgumentException("pollDelayMs must be at least 1000");
        }
        String include = guardedInclude(includeRegex);

        Map<String, String> options = new LinkedHashMap<>();
        options.put("username", require(USER, endpoint.user(), "user"));
        // Host key: pinned, never the JVM user's ~/.ssh/known_hosts (CAMEL-23404: default is "no").
        options.put("strictHostKeyChecking", "yes");
        options.put("knownHostsFile", raw(absolute(endpoint.knownHosts(), "knownHosts")));
        options.put("useUserKnownHostsFile", "false");
        options.put("autoCreateKnownHostsFile", "false");
        options.put("privateKeyFile", raw(absolute(endpoint.privateKey(), "privateKey")));
        options.put("preferredAuthentications", "publickey");
        // Files still being written are left alone; zero-byte files are consumed (and rejected downstream).
        options.put("readLock", "changed");
        options.put("readLockCheckInterval", Long.toString(READ_LOCK_CHECK_INTERVAL_MS));
        options.put("readLockTimeout", Long.toString(READ_LOCK_TIMEOUT_MS));
        options.put("readLockMinAge", Long.toString(READ_LOCK_MIN_AGE_MS));
        options.put("readLockMinLength", "0");
        options.put("include", raw(include));
        // Content goes to disk, not memory; stepwise=false (CAMEL-14506).
        options.put("streamDownload", "false");
        options.put("localWorkDirectory", raw(absolute(localWorkDir, "localWorkDir")));
        options.put("stepwise", "false");
        // The department's server is theirs: never create directories on it.
        options.put("autoCreate", "false");
        options.put("delete", "true");
        options.put("serverAliveInterval", Long.toString(SERVER_ALIVE_INTERVAL_MS));
        options.put("serverAliveCountMax", Integer.toString(SERVER_ALIVE_COUNT_MAX));
        options.put("connectTimeout", Long.toString(CONNECT_TIMEOUT_MS));
        options.put("soTimeout", Long.toString(SO_TIMEOUT_MS));
        options.put("throwExceptionOnConnectFailed", "true");
        options.put("delay", Long.toString(pollDelayMs));

        StringJoiner query = new StringJoiner("&", "?", "");
        options.forEach((name, value) -> query.add(name + "=" + value));
        return "sftp://" + require(HOST, endpoint.host(), "host") + ":" + port(endpoint.port()) + "/"
                + relativeDirectory(endpoint.returnsDir()) + query;
    }

    /** The include regex Camel is given: the name contract around {@code includeRegex}. */
    static String guardedInclude(String includeRegex) {
        try {
            Pattern.compile(includeRegex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("includeRegex is not a valid regular expression: " + e.getDescription());
        }
        return NAME_CONTRACT_PREFIX + includeRegex + ")";
    }

    /**
     * Camel's {@code RAW(...)} ends at the first {@code )} followed by {@code &} or the end, so a
     * value containing {@code )&} uses {@code RAW{...}} instead.
     */
    static String raw(String value) {
        if (!value.contains(")&")) {
            return "RAW(" + value + ")";
        }
        if (!value.contains("}&")) {
            return "RAW{" + value + "}";
        }
        throw new IllegalArgumentException("value cannot be quoted for a Camel URI: " + RemoteNames.printable(value));
    }

    private static String relativeDirectory(String dir) {
        if (dir == null || dir.isEmpty() || dir.startsWith("/") || dir.endsWith("/")) {
            throw new IllegalArgumentException("returnsDir must be a relative directory: " + RemoteNames.printable(dir));
        }
        for (String element : dir.split("/", -1)) {
            if (!DIR_ELEMENT.matcher(element).matches() || element.equals("..")) {
                throw new IllegalArgumentException("returnsDir has an unacceptable element: " + RemoteNames.printable(dir));
            }
        }
        return dir;
    }

    private static String absolute(Path path, String what) {
        if (path == null) {
            throw new IllegalArgumentException(what + " is required");
        }
        String value = path.toAbsolutePath().normalize().toString();
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException(what + " contains control characters");
            }
        }
        return value;
    }

    private static String require(Pattern pattern, String value, String what) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("endpoint " + what + " is not acceptable: " + RemoteNames.printable(value));
        }
        return value;
    }

    private static int port(int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("endpoint port out of range: " + port);
        }
        return port;
    }
}
