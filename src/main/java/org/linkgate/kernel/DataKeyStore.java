package org.linkgate.kernel;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.UUID;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.linkgate.crypto.AesGcm;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Envelope encryption: one random AES-256 data key per dataset, stored only wrapped by the
 * {@link MasterKey}. Destroying a data key (crypto-shredding) leaves its data unreadable.
 */
@Component
public class DataKeyStore {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final JdbcTemplate jdbc;
    private final MasterKey masterKey;
    private final Clock clock;

    public DataKeyStore(JdbcTemplate jdbc, MasterKey masterKey, Clock clock) {
        this.jdbc = jdbc;
        this.masterKey = masterKey;
        this.clock = clock;
    }

    public record DataKey(String id, SecretKey key) {
        @Override
        public String toString() {
            return "DataKey[" + id + "]";
        }
    }

    /** Creates and stores a new data key in the caller's transaction. */
    public DataKey create(String purpose) {
        String id = UUID.randomUUID().toString();
        byte[] material = new byte[32];
        RANDOM.nextBytes(material);
        byte[] wrapped = AesGcm.seal(masterKey.secretKey(), material, aad(id));
        jdbc.update("insert into data_key (id, purpose, wrapped_key, created_at) values (?, ?, ?, ?)",
                id, purpose, wrapped, Timestamp.from(clock.instant()));
        return new DataKey(id, new SecretKeySpec(material, "AES"));
    }

    /** Unwraps a data key; fails if it was destroyed or never existed. */
    public DataKey get(String id) {
        byte[] wrapped;
        try {
            wrapped = jdbc.queryForObject("select wrapped_key from data_key where id = ?", byte[].class, id);
        } catch (EmptyResultDataAccessException e) {
            throw new IllegalStateException("data key " + id + " does not exist");
        }
        if (wrapped == null) {
            throw new IllegalStateException("data key " + id + " has been destroyed");
        }
        return new DataKey(id, new SecretKeySpec(AesGcm.open(masterKey.secretKey(), wrapped, aad(id)), "AES"));
    }

    /** Crypto-shreds a data key: the wrapped key is erased, the row stays as evidence. */
    public void destroy(String id) {
        jdbc.update("update data_key set wrapped_key = null, destroyed_at = ? where id = ?",
                Timestamp.from(clock.instant()), id);
    }

    private static byte[] aad(String id) {
        return ("linkgate-data-key:" + id).getBytes(StandardCharsets.UTF_8);
    }
}
