package org.linkgate.agreement;

import java.security.PublicKey;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.openpgp.PGPPublicKeyRing;

/**
 * A council (data controller) as configured in the gateway home: its GSS code, its OpenPGP
 * public key (pinned by fingerprint: only this key's signatures are accepted from it) and the
 * SSH keys that may log in to its drop-zone.
 */
public record Council(
        String code,
        String displayName,
        PGPPublicKeyRing pgpPublicKey,
        String pgpFingerprint,
        List<PublicKey> sshKeys) {

    public Council {
        sshKeys = List.copyOf(sshKeys);
    }

    /** The SFTP account: the GSS code in lower case (CONTRACT). */
    public String account() {
        return code.toLowerCase(Locale.ROOT);
    }
}
