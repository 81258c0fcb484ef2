package org.linkgate.inbound;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.linkgate.crypto.PgpVerificationException;
import org.linkgate.crypto.VerifiedPlaintext;

/**
 * One file on its way through the lifecycle: carried in exchange property {@value #PROPERTY} from
 * {@code claim} to {@code archive}. Holds ids, the parsed name and the side's working state — never
 * a row or a value from the file — and the streams opened on it, closed when the exchange ends.
 */
public final class InboundContext implements AutoCloseable {

    /** The exchange property holding this context. */
    public static final String PROPERTY = "LinkgateInbound";

    /** What is left to do for the file. */
    public enum Next {
        /** Open, verify and process it. */
        PROCESS,
        /** Its outcome is recorded: send the report (if not sent) and keep it. */
        REPORT,
        /** Nothing: it is quarantined or was finished before. */
        END
    }

    private final InboundSide side;
    private final String partner;
    private final Path file;
    private final String receivedName;
    private final String sourceKey;
    private final long startedNanos = System.nanoTime();
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private Optional<?> name = Optional.empty();
    private InboundFile entry;
    private Next next = Next.PROCESS;
    private String signer;
    private VerifiedPlaintext plaintext;
    private Object work;

    public InboundContext(InboundSide side, String partner, Path file, String receivedName, String sourceKey) {
        this.side = side;
        this.partner = partner;
        this.file = file;
        this.receivedName = receivedName;
        this.sourceKey = sourceKey;
    }

    public InboundSide side() { return side; }

    /** The sender's code (GSS code or department code). */
    public String partner() { return partner; }

    /** The file in gateway-only custody (work/inbound/&lt;PARTNER&gt;/). */
    public Path file() { return file; }

    /** The name the partner gave the file; echo it only when {@link #echoable()}. */
    public String receivedName() { return receivedName; }

    public String sourceKey() { return sourceKey; }

    public long startedNanos() { return startedNanos; }

    /** True when the received name may appear in a report and a report name. */
    public boolean echoable() {
        return name.isPresent() || FileNames.safeToEcho(receivedName);
    }

    /** The name as the side parsed it, if it follows the contract. */
    @SuppressWarnings("unchecked")
    public <N> Optional<N> name() { return (Optional<N>) name; }

    void name(Optional<?> parsed) { this.name = parsed; }

    /** The ledger row of this file. */
    public InboundFile entry() { return entry; }

    void entry(InboundFile entry) { this.entry = entry; }

    public Next next() { return next; }

    void next(Next next) { this.next = next; }

    /** Fingerprint of the key that signed the file, once verified. */
    public Optional<String> signer() { return Optional.ofNullable(signer); }

    void signer(String signer) { this.signer = signer; }

    /** The side's working state for this file (its pass over the rows). */
    @SuppressWarnings("unchecked")
    public <T> T work() { return (T) work; }

    public void work(Object work) { this.work = work; }

    void plaintext(VerifiedPlaintext message, InputStream raw) {
        this.plaintext = message;
        resources.push(raw);
    }

    /**
     * Reads what the stages left of the plaintext and checks the trailing signature once more: the
     * content was verified before it was opened, and this proves the stages read that same content.
     */
    public void finishReading() throws IOException {
        if (plaintext == null) {
            return;
        }
        plaintext.plaintext().transferTo(OutputStream.nullOutputStream());
        try {
            plaintext.verify();
        } catch (PgpVerificationException e) {
            throw new IllegalStateException("file " + entry.id() + " no longer verifies after it was verified", e);
        }
    }

    /** Closes a stream or reader opened on this file when the exchange ends. */
    public <T extends AutoCloseable> T closeLater(T resource) {
        resources.push(resource);
        return resource;
    }

    @Override
    public void close() {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                // Closing a read-only stream of a file in custody cannot lose anything.
            }
        }
    }
}
