package org.linkgate.inbound;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.PartnerHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The first step of every inbound file: a complete file in a partner's drop-zone (or the local
 * copy of one collected from a partner's own server) is copied into gateway-only custody
 * ({@link GatewayHome#inboundCustody}) and only then removed from the drop-zone. A copy, not a
 * rename: a partner's upload handle still open on the drop-zone file could go on writing into a
 * renamed one, whereas the custody copy is a file no partner can reach, so what is hashed next is
 * what is processed. The custody name starts with a key of the uploaded file's identity, so a
 * take-in repeated after a crash lands on the same name and the ledger recognises it.
 * Failures: I/O errors propagate and the drop-zone file stays for the next poll.
 */
@Component("dropZoneTakeIn")
public class DropZoneTakeIn {

    /** Between the source key and the received name in a custody file name. */
    static final String SEPARATOR = "--";
    /** Stands for a received name that breaks the echo rule (it starts with a dot, so no safe name collides). */
    static final String UNSAFE_NAME = ".unsafe";
    /** Custody file names: what the processing routes take. */
    public static final String CUSTODY_NAME_PATTERN = "[0-9a-f]{32}" + SEPARATOR + ".+";
    private static final Pattern CUSTODY_NAME = Pattern.compile("([0-9a-f]{32})" + SEPARATOR + "(.+)");
    private static final Logger LOG = LoggerFactory.getLogger(DropZoneTakeIn.class);
    private final GatewayHome home;

    public DropZoneTakeIn(GatewayHome home) {
        this.home = home;
    }

    /** Called by the {@code dropzone-*} and {@code collect-*} routes for each complete file. */
    public void takeIn(Exchange exchange) {
        String partner = exchange.getIn().getHeader(PartnerHeaders.COUNCIL, String.class);
        if (partner == null) {
            partner = exchange.getIn().getHeader(PartnerHeaders.DEPARTMENT, String.class);
        }
        String localCopy = exchange.getIn().getHeader(Exchange.FILE_LOCAL_WORK_PATH, String.class);
        boolean remote = localCopy != null;
        Path source = Path.of(remote ? localCopy : exchange.getIn().getHeader(PartnerHeaders.FILE_PATH, String.class));
        String name = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, source.getFileName().toString(), String.class);
        String identity = remote
                ? "remote|" + name + "|" + exchange.getIn().getHeader(Exchange.FILE_LENGTH) + "|"
                        + exchange.getIn().getHeader(Exchange.FILE_LAST_MODIFIED)
                : "local|" + name + "|" + localIdentity(source);
        takeIn(partner, source, name, identity, !remote);
    }

    /**
     * Copies {@code source} into the partner's custody under a name made from {@code identity} and
     * returns it; removes {@code source} when {@code removeSource}. A custody file of that name
     * already there (a repeated take-in) is kept as it is.
     */
    public Path takeIn(String partner, Path source, String receivedName, String identity, boolean removeSource) {
        String key = sourceKey(partner, identity);
        Path dir = GatewayHome.ensureDirectory(home.inboundCustody(partner));
        Path target = dir.resolve(key + SEPARATOR + (FileNames.safeToEcho(receivedName) ? receivedName : UNSAFE_NAME));
        try {
            if (!Files.exists(target)) {
                Path partial = dir.resolve(key + ".tmp");
                Files.copy(source, partial, StandardCopyOption.REPLACE_EXISTING);
                try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            }
            if (removeSource) {
                Files.deleteIfExists(source);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take a file from " + partner + " into custody", e);
        }
        LOG.info("took a file from {} into custody as {}", partner, key);
        return target;
    }

    /** The source key and received name of a custody file, or empty if the name is not one of ours. */
    public static Optional<CustodyName> parse(String custodyFileName) {
        Matcher m = CUSTODY_NAME.matcher(custodyFileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new CustodyName(m.group(1), m.group(2)));
    }

    /** A custody file's name: the take-in's key and the partner's name (or {@link #UNSAFE_NAME}). */
    public record CustodyName(String sourceKey, String receivedName) {
        public boolean nameUnsafe() {
            return UNSAFE_NAME.equals(receivedName);
        }
    }

    /** The key a take-in of this identity gets: the first 32 hex digits of a SHA-256 over partner and identity. */
    public static String sourceKey(String partner, String identity) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(("take-in-v1|" + partner + "|" + identity).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The identity of an uploaded file: inode, change time, size and modification time. Any write
     * or a new upload under the same name changes it; a repeated take-in of the same file does not.
     */
    private static String localIdentity(Path file) {
        try {
            BasicFileAttributes basic = Files.readAttributes(file, BasicFileAttributes.class);
            String unix;
            try {
                unix = Files.getAttribute(file, "unix:ino") + "|" + Files.getAttribute(file, "unix:ctime");
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                unix = String.valueOf(basic.fileKey());
            }
            return unix + "|" + basic.size() + "|" + basic.lastModifiedTime().toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the attributes of a file to take in", e);
        }
    }
}
