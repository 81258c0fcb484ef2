package org.linkgate.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH {@code sshd} for tests: listens on 127.0.0.1 on a free port, uses a host key
 * generated for this instance and its own {@code sshd_config} under a temporary directory (no
 * system configuration is read or changed), accepts only public-key logins of the current OS user
 * whose keys were {@link #authorize authorized}, and offers SFTP only. The SFTP session starts in
 * {@link #baseDir()} ({@code internal-sftp -d}), so relative paths such as {@code returns} resolve
 * there.
 *
 * <p>Running {@code sshd} as root needs its privilege-separation directory {@code /run/sshd};
 * when it is missing, {@link #start()} creates it (what the service unit's {@code
 * RuntimeDirectory} would do). Use {@link #available()} with {@code assumeTrue} to skip tests
 * where openssh-server is not installed.
 */
public final class OpenSshServer implements AutoCloseable {

    public static final Path SSHD = Path.of("/usr/sbin/sshd");
    public static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");
    private static final Path PRIVSEP_DIR = Path.of("/run/sshd");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final int START_ATTEMPTS = 3;

    private final Path dir;
    private final Path baseDir;
    private final Path hostKey;
    private final Path authorizedKeys;
    private final Path config;
    private final Path log;
    private Process process;
    private int port = -1;

    /** Creates the temporary directory and a fresh ed25519 host key; {@link #start()} launches sshd. */
    public OpenSshServer() throws IOException {
        dir = Files.createTempDirectory("openssh-server-");
        baseDir = Files.createDirectories(dir.resolve("base"));
        hostKey = dir.resolve("ssh_host_ed25519_key");
        authorizedKeys = Files.createFile(dir.resolve("authorized_keys"));
        config = dir.resolve("sshd_config");
        log = dir.resolve("sshd.log");
        generateKey(hostKey, "linkgate-test-host");
    }

    /** Whether {@code sshd} and {@code ssh-keygen} are installed (openssh-server and openssh-client). */
    public static boolean available() {
        return Files.isExecutable(SSHD) && Files.isExecutable(SSH_KEYGEN);
    }

    /**
     * Generates an unencrypted ed25519 key pair with {@code ssh-keygen} ({@code privateKeyFile},
     * mode 0600, and {@code privateKeyFile.pub}) and returns the public key line.
     */
    public static String generateKey(Path privateKeyFile, String comment) throws IOException {
        Files.createDirectories(privateKeyFile.toAbsolutePath().getParent());
        Files.deleteIfExists(privateKeyFile);
        Files.deleteIfExists(publicKeyFile(privateKeyFile));
        run(List.of(SSH_KEYGEN.toString(), "-q", "-t", "ed25519", "-N", "", "-C", comment,
                "-f", privateKeyFile.toString()));
        return Files.readString(publicKeyFile(privateKeyFile), StandardCharsets.US_ASCII).trim();
    }

    /** Starts sshd on a free port and returns once it answers with an SSH banner. */
    public synchronized OpenSshServer start() throws IOException {
        if (process != null) {
            throw new IllegalStateException("already started");
        }
        ensurePrivilegeSeparationDirectory();
        IOException last = null;
        // The free port is found by binding and releasing it; another process may take it in between.
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int candidate = freePort();
            writeConfig(candidate);
            Process started = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            try {
                awaitBanner(started, candidate);
                process = started;
                port = candidate;
                return this;
            } catch (IOException e) {
                stop(started);
                last = e;
            }
        }
        throw new IOException("sshd did not start after " + START_ATTEMPTS + " attempts; log:\n" + log(), last);
    }

    public int port() {
        if (port < 0) {
            throw new IllegalStateException("not started");
        }
        return port;
    }

    public String host() {
        return "127.0.0.1";
    }

    /** The {@code known_hosts} line pinning this server: {@code [127.0.0.1]:port ssh-ed25519 AAAA…}. */
    public String knownHostsLine() throws IOException {
        String[] pub = Files.readString(publicKeyFile(hostKey), StandardCharsets.US_ASCII).trim().split("\\s+");
        return "[" + host() + "]:" + port() + " " + pub[0] + " " + pub[1];
    }

    /** Writes a known_hosts file holding only {@link #knownHostsLine()}. */
    public Path writeKnownHosts(Path file) throws IOException {
        return Files.writeString(file, knownHostsLine() + "\n", StandardCharsets.US_ASCII);
    }

    /** Allows logins with this public key ({@code ssh-ed25519 AAAA… comment}); takes effect for new logins. */
    /** Withdraws every authorized key: the server then refuses all logins, as if access was revoked. */
    public synchronized void revokeAll() throws IOException {
        Files.writeString(authorizedKeys, "", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    }

    public synchronized void authorize(String publicKeyLine) throws IOException {
        String line = publicKeyLine.strip();
        if (line.isEmpty() || line.contains("\n") || line.contains("\r")) {
            throw new IllegalArgumentException("one public key line expected");
        }
        Files.writeString(authorizedKeys, line + "\n", StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
    }

    /** The directory SFTP sessions start in. */
    public Path baseDir() {
        return baseDir;
    }

    /** The user tests log in as: the current OS user. */
    public String user() {
        return System.getProperty("user.name");
    }

    /** What sshd wrote to stderr, for assertion messages. */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Stops sshd and its per-connection children, waits for them, and deletes the temporary directory. */
    @Override
    public synchronized void close() throws IOException {
        if (process != null) {
            stop(process);
            process = null;
        }
        deleteTree(dir);
    }

    private void writeConfig(int listenPort) throws IOException {
        List<String> lines = new ArrayList<>(List.of(
                "ListenAddress " + host(),
                "Port " + listenPort,
                "HostKey " + hostKey,
                "PidFile none",
                "UsePAM no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "HostbasedAuthentication no",
                "PubkeyAuthentication yes",
                "AuthorizedKeysFile " + authorizedKeys,
                "AuthorizedPrincipalsFile none",
                "StrictModes no",
                "PermitRootLogin prohibit-password",
                "AllowUsers " + user(),
                "AllowTcpForwarding no",
                "AllowAgentForwarding no",
                "AllowStreamLocalForwarding no",
                "X11Forwarding no",
                "PermitTTY no",
                "PermitUserRC no",
                "LogLevel VERBOSE",
                "Subsystem sftp internal-sftp -d " + baseDir,
                "ForceCommand internal-sftp -d " + baseDir));
        Files.write(config, lines, StandardCharsets.US_ASCII);
    }

    private static void ensurePrivilegeSeparationDirectory() throws IOException {
        if (!"root".equals(System.getProperty("user.name")) || Files.isDirectory(PRIVSEP_DIR)) {
            return;
        }
        Files.createDirectories(PRIVSEP_DIR, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }

    private void awaitBanner(Process started, int listenPort) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!started.isAlive()) {
                throw new IOException("sshd exited with " + started.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host(), listenPort), 500);
                socket.setSoTimeout(2_000);
                byte[] banner = new byte[8];
                InputStream in = socket.getInputStream();
                int read = in.readNBytes(banner, 0, banner.length);
                if (read >= 4 && new String(banner, 0, 4, StandardCharsets.US_ASCII).equals("SSH-")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            sleep(100);
        }
        throw new IOException("sshd not answering on port " + listenPort + " within " + START_TIMEOUT);
    }

    private static void stop(Process p) {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : children) {
                child.onExit().get(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Path publicKeyFile(Path privateKeyFile) {
        return privateKeyFile.resolveSibling(privateKeyFile.getFileName() + ".pub");
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(command.get(0) + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted running " + command.get(0), e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
