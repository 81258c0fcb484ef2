package org.linkgate.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Set;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.PgpEncryptSigner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Exports the committed chain head as {@link SignedHead} signed by the gateway key, and checks one
 * exported earlier: signature by the gateway's signing key over the exact head text, then the JSON.
 * Fails with {@link SignedHead.InvalidSignedHeadException} saying which check failed.
 */
@Component
public class AuditHeadSigner {

    /** Longer inputs are refused before parsing: a head is under 150 bytes, its signature under 1 KiB. */
    static final int MAX_HEAD_CHARS = 1024;
    static final int MAX_SIGNATURE_CHARS = 16 * 1024;
    private static final Set<String> FIELDS = Set.of("seq", "hash", "exportedAt");

    private final JdbcTemplate jdbc;
    private final GatewayPgpKey gatewayKey;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    public AuditHeadSigner(JdbcTemplate jdbc, GatewayPgpKey gatewayKey, Clock clock) {
        this.jdbc = jdbc;
        this.gatewayKey = gatewayKey;
        this.clock = clock;
    }

    /** A head as exported: where the chain stood, and when. */
    public record ExportedHead(long seq, String hash, Instant exportedAt) {
    }

    /** The last committed link of the chain, signed. */
    public SignedHead export() {
        AuditLog.ChainHead head = jdbc.queryForObject("select seq, hash from audit_chain_head where id = 1",
                (rs, n) -> new AuditLog.ChainHead(rs.getLong(1), rs.getString(2)));
        // Built by hand so the signed text is fixed: field order, no spaces, values that need no escaping.
        String text = "{\"seq\":" + head.seq() + ",\"hash\":\"" + head.hash() + "\",\"exportedAt\":\""
                + clock.instant().truncatedTo(ChronoUnit.MILLIS) + "\"}";
        try {
            return new SignedHead(text, new PgpEncryptSigner().signDetachedArmored(
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), gatewayKey));
        } catch (IOException | PGPException e) {
            throw new IllegalStateException("cannot sign the audit chain head", e);
        }
    }

    /** The head, once its signature by the gateway's signing key and its form are checked. */
    public ExportedHead verified(SignedHead signed) throws SignedHead.InvalidSignedHeadException {
        if (signed.head().length() > MAX_HEAD_CHARS || signed.signature().length() > MAX_SIGNATURE_CHARS) {
            throw new SignedHead.InvalidSignedHeadException("exported head or signature too long");
        }
        byte[] text = signed.head().getBytes(StandardCharsets.UTF_8);
        if (!signatureValid(signed.signature(), text)) {
            throw new SignedHead.InvalidSignedHeadException("no valid signature by the gateway key "
                    + gatewayKey.signingPublicKeyFingerprint() + " over the exported head");
        }
        return parse(signed.head());
    }

    private boolean signatureValid(String armoured, byte[] data) throws SignedHead.InvalidSignedHeadException {
        PGPPublicKey key = gatewayKey.signingPublicKey();
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(
                armoured.getBytes(StandardCharsets.US_ASCII)))) {
            Object packet = new JcaPGPObjectFactory(in).nextObject();
            if (!(packet instanceof PGPSignatureList signatures)) {
                throw new SignedHead.InvalidSignedHeadException("the signature is not an OpenPGP detached signature");
            }
            for (Iterator<PGPSignature> it = signatures.iterator(); it.hasNext(); ) {
                PGPSignature signature = it.next();
                if (signature.getKeyID() != key.getKeyID()
                        || signature.getSignatureType() != PGPSignature.BINARY_DOCUMENT) {
                    continue;
                }
                signature.init(new JcaPGPContentVerifierBuilderProvider(), key);
                signature.update(data);
                if (signature.verify()) {
                    return true;
                }
            }
            return false;
        } catch (IOException | PGPException | RuntimeException e) {
            throw new SignedHead.InvalidSignedHeadException("unreadable signature: " + e.getClass().getSimpleName(), e);
        }
    }

    private ExportedHead parse(String text) throws SignedHead.InvalidSignedHeadException {
        try {
            JsonNode node = json.readTree(text);
            if (node == null || !node.isObject() || node.size() != FIELDS.size()) {
                throw new SignedHead.InvalidSignedHeadException("exported head must be {seq, hash, exportedAt}");
            }
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                if (!FIELDS.contains(names.next())) {
                    throw new SignedHead.InvalidSignedHeadException("exported head must be {seq, hash, exportedAt}");
                }
            }
            JsonNode seq = node.get("seq");
            JsonNode hash = node.get("hash");
            JsonNode exportedAt = node.get("exportedAt");
            if (!seq.isIntegralNumber() || !seq.canConvertToLong() || seq.asLong() < 0
                    || !hash.isTextual() || !AuditChainHash.isHash(hash.asText()) || !exportedAt.isTextual()) {
                throw new SignedHead.InvalidSignedHeadException("exported head has a malformed seq, hash or exportedAt");
            }
            return new ExportedHead(seq.asLong(), hash.asText(), Instant.parse(exportedAt.asText()));
        } catch (IOException | DateTimeParseException e) {
            throw new SignedHead.InvalidSignedHeadException("exported head is not valid JSON", e);
        }
    }
}
