package org.linkgate.crypto;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * The signatures that hold an OpenPGP certificate together, verified cryptographically rather
 * than trusted for the issuer key id they claim (RFC 9580 5.2.1, 10.1): the primary key's
 * self-certification, each subkey's binding signature by the primary key, and for a subkey bound
 * to sign, the primary-key binding signature ("back-signature") the subkey itself made, embedded in
 * that binding — without it anyone could claim somebody else's signing subkey as their own.
 * A forged or missing binding makes the whole certificate unusable as a partner's key.
 */
public final class PgpKeyBindings {

    private static final BcPGPContentVerifierBuilderProvider VERIFIERS = new BcPGPContentVerifierBuilderProvider();

    private PgpKeyBindings() {
    }

    /**
     * Checks every binding of the certificate; returns it unchanged when all hold.
     *
     * @throws PGPException naming the key whose binding is missing or does not verify
     */
    public static PGPPublicKeyRing requireBound(PGPPublicKeyRing ring) throws PGPException {
        PGPPublicKey primary = ring.getPublicKey();
        if (validSelfCertifications(primary).isEmpty()) {
            throw new PGPException("primary key " + PgpKeys.fingerprint(primary) + " has no valid self-signature");
        }
        for (PGPPublicKey key : ring) {
            if (key.isMasterKey()) {
                continue;
            }
            List<PGPSignature> bindings = validBindings(primary, key);
            if (bindings.isEmpty()) {
                throw new PGPException("subkey " + PgpKeys.fingerprint(key) + " has no valid binding signature by its"
                        + " primary key (missing or forged)");
            }
            for (PGPSignature binding : bindings) {
                if (flags(binding, KeyFlags.SIGN_DATA | KeyFlags.CERTIFY_OTHER) && !hasBackSignature(primary, key, binding)) {
                    throw new PGPException("signing subkey " + PgpKeys.fingerprint(key) + " has no valid primary-key"
                            + " binding signature (back-signature): it may be another key holder's subkey");
                }
            }
        }
        return ring;
    }

    /** The primary key's self-certifications that verify: over a user id (or attribute), or direct-key. */
    static List<PGPSignature> validSelfCertifications(PGPPublicKey primary) {
        List<PGPSignature> valid = new ArrayList<>();
        for (Iterator<byte[]> ids = primary.getRawUserIDs(); ids.hasNext(); ) {
            byte[] id = ids.next();
            for (Iterator<PGPSignature> signatures = primary.getSignaturesForID(id); signatures != null && signatures.hasNext(); ) {
                PGPSignature signature = signatures.next();
                if (isCertification(signature) && signature.getKeyID() == primary.getKeyID()
                        && verifies(() -> {
                            signature.init(VERIFIERS, primary);
                            return signature.verifyCertification(id, primary);
                        })) {
                    valid.add(signature);
                }
            }
        }
        for (Iterator<PGPSignature> signatures = primary.getSignaturesOfType(PGPSignature.DIRECT_KEY); signatures.hasNext(); ) {
            PGPSignature signature = signatures.next();
            if (signature.getKeyID() == primary.getKeyID() && verifies(() -> {
                signature.init(VERIFIERS, primary);
                return signature.verifyCertification(primary);
            })) {
                valid.add(signature);
            }
        }
        return valid;
    }

    /** The subkey's binding signatures made by the primary key that verify. */
    static List<PGPSignature> validBindings(PGPPublicKey primary, PGPPublicKey subkey) {
        List<PGPSignature> valid = new ArrayList<>();
        for (Iterator<PGPSignature> signatures = subkey.getSignaturesOfType(PGPSignature.SUBKEY_BINDING); signatures.hasNext(); ) {
            PGPSignature signature = signatures.next();
            if (signature.getKeyID() == primary.getKeyID() && verifies(() -> {
                signature.init(VERIFIERS, primary);
                return signature.verifyCertification(primary, subkey);
            })) {
                valid.add(signature);
            }
        }
        return valid;
    }

    /**
     * Whether the binding embeds a primary-key binding signature that the subkey made and that verifies.
     * Looked for in both subpacket areas: gpg puts it in the unhashed one, which is sound, as the embedded
     * signature proves itself.
     */
    static boolean hasBackSignature(PGPPublicKey primary, PGPPublicKey subkey, PGPSignature binding) {
        for (PGPSignatureSubpacketVector area : new PGPSignatureSubpacketVector[] {
                binding.getHashedSubPackets(), binding.getUnhashedSubPackets()}) {
            PGPSignatureList embedded;
            try {
                embedded = area == null ? null : area.getEmbeddedSignatures();
            } catch (PGPException e) {
                continue;
            }
            if (embedded == null) {
                continue;
            }
            for (PGPSignature back : embedded) {
                if (back.getSignatureType() == PGPSignature.PRIMARYKEY_BINDING && verifies(() -> {
                    back.init(VERIFIERS, subkey);
                    return back.verifyCertification(primary, subkey);
                })) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean flags(PGPSignature signature, int wanted) {
        return signature.hasSubpackets() && (signature.getHashedSubPackets().getKeyFlags() & wanted) != 0;
    }

    private static boolean isCertification(PGPSignature signature) {
        int type = signature.getSignatureType();
        return type == PGPSignature.DEFAULT_CERTIFICATION || type == PGPSignature.NO_CERTIFICATION
                || type == PGPSignature.CASUAL_CERTIFICATION || type == PGPSignature.POSITIVE_CERTIFICATION;
    }

    @FunctionalInterface
    private interface Check {
        boolean run() throws PGPException;
    }

    /** A signature that cannot even be checked (unknown algorithm, malformed) does not verify. */
    private static boolean verifies(Check check) {
        try {
            return check.run();
        } catch (PGPException | RuntimeException e) {
            return false;
        }
    }
}
