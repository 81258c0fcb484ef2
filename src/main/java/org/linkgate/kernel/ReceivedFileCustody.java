package org.linkgate.kernel;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.linkgate.crypto.SegmentedAead;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Where received files end: the archive (processed or rejected with a report) or quarantine
 * (with an alert), as {@code <id>.pgp.sealed} under the partner's folder. The received OpenPGP file
 * is sealed ({@link SegmentedAead}) under a data key of its own, recorded in {@code kept_file}, so
 * the retention job can crypto-shred it: once its key is destroyed neither the file nor any copy of
 * it can be read, even with the gateway's OpenPGP key and the master key. A file in a drop-zone is
 * removed once its sealed copy is in place; a local copy of a remote file is left to the route.
 */
@Component
public class ReceivedFileCustody {

    /** Suffix of a kept file: the received OpenPGP message, sealed under its own data key. */
    public static final String SUFFIX = ".pgp.sealed";
    static final String KEY_PURPOSE = "kept-file";
    private final GatewayHome home;
    private final DataKeyStore dataKeys;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    public ReceivedFileCustody(GatewayHome home, DataKeyStore dataKeys, JdbcTemplate jdbc,
                               TransactionTemplate transactions, Clock clock) {
        this.home = home;
        this.dataKeys = dataKeys;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Returns the archived file's path relative to the gateway home. */
    public String archive(String partnerCode, String id, Path file, boolean copy) {
        return place("ARCHIVE", home.archive(partnerCode), partnerCode, id, file, copy);
    }

    /** Returns the quarantined file's path relative to the gateway home. */
    public String quarantine(String partnerCode, String id, Path file, boolean copy) {
        return place("QUARANTINE", home.quarantine(partnerCode), partnerCode, id, file, copy);
    }

    /** A kept (sealed) file not yet destroyed: where it lies, relative to the home, and its data key. */
    public record Kept(String id, String place, String path, String dataKeyId) {
    }

    /** The files kept for one received file (archive, quarantine), oldest first. */
    public List<Kept> kept(String subjectId) {
        return jdbc.query("select id, place, path, data_key_id from kept_file where subject_id = ? and destroyed_at is null"
                        + " order by created_at, id",
                (rs, n) -> new Kept(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)), subjectId);
    }

    /** Records that a received file's kept copies are destroyed (their files deleted, their keys shredded). */
    public void markDestroyed(String subjectId, Instant at) {
        jdbc.update("update kept_file set destroyed_at = ? where subject_id = ? and destroyed_at is null",
                Timestamp.from(at), subjectId);
    }

    /**
     * Opens a kept file (path relative to the home, as recorded) while its data key lives: the
     * received OpenPGP message as it arrived. Fails if the key was destroyed or the file was changed.
     */
    public InputStream open(String relativePath) throws IOException {
        Path file = home.root().resolve(relativePath).normalize();
        if (!file.startsWith(home.root())) {
            throw new IllegalArgumentException("kept file path leaves the gateway home");
        }
        return SegmentedAead.decrypting(Files.newInputStream(file), keyId -> dataKeys.get(keyId).key());
    }

    private String place(String place, Path dir, String partnerCode, String id, Path file, boolean copy) {
        Path target = GatewayHome.ensureDirectory(dir).resolve(id + SUFFIX);
        Path part = dir.resolve("." + id + SUFFIX + ".part");
        String relative = home.root().relativize(target).toString();
        // Key and record first: a crash after this leaves a row whose file is missing or replaced,
        // which the destruction job handles; never a sealed file whose key nobody knows to destroy.
        DataKeyStore.DataKey key = transactions.execute(tx -> {
            DataKeyStore.DataKey created = dataKeys.create(KEY_PURPOSE);
            jdbc.update("insert into kept_file (id, partner_code, subject_id, place, path, data_key_id, created_at)"
                            + " values (?, ?, ?, ?, ?, ?, ?)", UUID.randomUUID().toString(), partnerCode, id, place,
                    relative, created.id(), Timestamp.from(clock.instant()));
            return created;
        });
        try {
            seal(file, part, key);
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (!copy) {
                Files.delete(file);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // a leftover .part is sealed: unreadable without its key
            }
            throw new UncheckedIOException("cannot place received file " + id + " in " + dir.getFileName(), e);
        }
        return relative;
    }

    private static void seal(Path file, Path part, DataKeyStore.DataKey key) throws IOException {
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             InputStream in = Files.newInputStream(file)) {
            OutputStream synced = new FilterOutputStream(Channels.newOutputStream(channel)) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    // On disk before it replaces anything or the received file is removed.
                    channel.force(true);
                    super.close();
                }
            };
            try (OutputStream sealing = SegmentedAead.encrypting(synced, key.id(), key.key())) {
                in.transferTo(sealing);
            }
        }
    }
}
