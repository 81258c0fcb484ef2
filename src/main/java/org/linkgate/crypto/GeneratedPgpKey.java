package org.linkgate.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;

/**
 * A freshly generated OpenPGP key: the passphrase-protected secret ring and its public ring.
 * Writers produce ASCII armour that {@code gpg --import} accepts.
 */
public record GeneratedPgpKey(PGPSecretKeyRing secret, PGPPublicKeyRing publicRing) {

    public GeneratedPgpKey {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(publicRing, "publicRing");
    }

    /** Upper-case hex fingerprint of the primary key. */
    public String fingerprint() {
        return PgpKeys.fingerprint(publicRing.getPublicKey());
    }

    /** Writes the public ring, armoured, to a new or replaced file. */
    public void writeArmoredPublic(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            PgpKeys.writeArmored(publicRing, out);
        }
    }

    /** Writes the (still passphrase-protected) secret ring, armoured, to a new or replaced file. */
    public void writeArmoredSecret(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            PgpKeys.writeArmored(secret, out);
        }
    }

    @Override
    public String toString() {
        return "GeneratedPgpKey[" + fingerprint() + "]";
    }
}
