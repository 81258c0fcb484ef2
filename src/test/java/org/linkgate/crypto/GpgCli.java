package org.linkgate.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the gpg command line in a throw-away GNUPGHOME, for interop tests: import keys, generate,
 * encrypt+sign, decrypt, verify. Non-interactive (batch, loopback pinentry, trust-model always).
 * {@link #close()} stops the agent and deletes the home. Test use only: passphrases go on the command line.
 */
public final class GpgCli implements AutoCloseable {

    private static final String GPG = System.getProperty("linkgate.test.gpg", "gpg");
    private static final long TIMEOUT_SECONDS = 120;

    private final Path home;

    /** Exit code, stdout (status lines with --status-fd 1), stderr. */
    public record Result(int exitCode, String stdout, String stderr) {

        public boolean succeeded() {
            return exitCode == 0;
        }

        /** Status lines ("[GNUPG:] KEYWORD args") without the prefix. */
        public List<String> status() {
            return stdout.lines().filter(l -> l.startsWith("[GNUPG:] "))
                    .map(l -> l.substring("[GNUPG:] ".length())).toList();
        }

        public boolean hasStatus(String prefix) {
            return status().stream().anyMatch(s -> s.startsWith(prefix));
        }
    }

    private GpgCli(Path home) {
        this.home = home;
    }

    /** Whether a working gpg is on the PATH (or at -Dlinkgate.test.gpg). */
    public static boolean isAvailable() {
        try {
            Process process = new ProcessBuilder(GPG, "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A fresh, private GNUPGHOME under the system temp directory (short path: agent sockets live there). */
    public static GpgCli inTempHome() throws IOException {
        return new GpgCli(Files.createTempDirectory("lg-gpg",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
    }

    public Path home() {
        return home;
    }

    /** Imports an armoured or binary key file (public or secret; a secret key needs its passphrase). */
    public void importKey(Path keyFile, char[] passphrase) throws IOException {
        List<String> args = new ArrayList<>(passphraseArgs(passphrase));
        args.addAll(List.of("--import", keyFile.toString()));
        require(run(args), "import key");
    }

    /**
     * Generates a key with {@code gpg --quick-generate-key uid algo usage never} and no passphrase;
     * returns its fingerprint. {@code algo} "default" gives gpg's RSA primary plus encryption subkey.
     */
    public String generateKey(String userId, String algo, String usage) throws IOException {
        Result result = require(run(List.of("--passphrase=", "--quick-generate-key", userId, algo, usage,
                "never")), "generate key");
        return result.status().stream().filter(s -> s.startsWith("KEY_CREATED "))
                .map(s -> s.split(" ")[2]).findFirst()
                .orElseThrow(() -> new IllegalStateException("gpg reported no KEY_CREATED"));
    }

    /** Adds a subkey ({@code gpg --quick-add-key fpr algo usage never}) to an unprotected key. */
    public void addSubkey(String fingerprint, String algo, String usage) throws IOException {
        require(run(List.of("--passphrase=", "--quick-add-key", fingerprint, algo, usage, "never")),
                "add subkey");
    }

    /** The public key ring, ASCII-armoured. */
    public byte[] exportPublicKey(String fingerprint) throws IOException {
        return require(run(List.of("--armor", "--export", fingerprint)), "export").stdout()
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code gpg --encrypt --sign -r recipient -u signer}, plus any extra options (e.g. --armor). */
    public Result encryptAndSign(Path plaintext, Path output, String recipientFingerprint, String signerFingerprint,
            char[] signerPassphrase, String... extraOptions) throws IOException {
        List<String> args = new ArrayList<>(passphraseArgs(signerPassphrase));
        args.addAll(Arrays.asList(extraOptions));
        args.addAll(List.of("--recipient", recipientFingerprint, "--local-user", signerFingerprint,
                "--output", output.toString(), "--encrypt", "--sign", plaintext.toString()));
        return require(run(args), "encrypt and sign");
    }

    /** {@code gpg --decrypt}; the result's status lines tell about decryption and signature. */
    public Result decrypt(Path ciphertext, Path output, char[] passphrase) throws IOException {
        List<String> args = new ArrayList<>(passphraseArgs(passphrase));
        args.addAll(List.of("--output", output.toString(), "--decrypt", ciphertext.toString()));
        return run(args);
    }

    /** {@code gpg --verify signature data}. */
    public Result verifyDetached(Path signature, Path data) throws IOException {
        return run(List.of("--verify", signature.toString(), data.toString()));
    }

    /**
     * Runs gpg with the common non-interactive options and the given arguments. A gpg that exits
     * non-zero having written nothing at all (no status line, no message: it died before it read its
     * input, as seen once on a loaded CI machine) is run once more; any other result is returned as is.
     */
    public Result run(List<String> args) throws IOException {
        Result result = runOnce(args);
        if (!result.succeeded() && result.stdout().isBlank() && result.stderr().isBlank()) {
            System.err.println("gpg exited " + result.exitCode() + " without a word; running it once more: " + args.get(
                    args.size() - 1));
            result = runOnce(args);
        }
        return result;
    }

    private Result runOnce(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(GPG, "--homedir", home.toString(), "--batch", "--no-tty",
                "--yes", "--pinentry-mode", "loopback", "--trust-model", "always", "--status-fd", "1"));
        command.addAll(args);
        Path stdout = Files.createTempFile(home, "out", ".txt");
        Path stderr = Files.createTempFile(home, "err", ".txt");
        Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("gpg timed out: " + args);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for gpg", e);
        }
        try {
            return new Result(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    /** Stops this home's gpg-agent and deletes the home. */
    @Override
    public void close() throws IOException {
        try {
            Process kill = new ProcessBuilder("gpgconf", "--homedir", home.toString(), "--kill", "all")
                    .redirectErrorStream(true).start();
            kill.getInputStream().readAllBytes();
            kill.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            // Without gpgconf the agent exits on its own once its socket directory is gone.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> paths = Files.walk(home)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static List<String> passphraseArgs(char[] passphrase) {
        // One argument, "--passphrase=<p>": as two, a generated passphrase that starts with '-' is read as an option.
        return passphrase == null ? List.of() : List.of("--passphrase=" + new String(passphrase));
    }

    private static Result require(Result result, String what) {
        if (!result.succeeded()) {
            throw new IllegalStateException("gpg " + what + " failed (exit " + result.exitCode() + "): "
                    + result.stderr());
        }
        return result;
    }
}
