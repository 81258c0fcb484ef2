package org.linkgate.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;

/** Generates SSH key pairs as OpenSSH files ({@code ssh-keygen} format), for demo partners and tests. */
public final class SshKeyFiles {

    private SshKeyFiles() {
    }

    public static KeyPair generate() {
        try {
            // ECDSA P-256: generated in milliseconds, accepted by OpenSSH, MINA SSHD and JSch alike.
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code privateKeyFile} (mode 0600, unencrypted OpenSSH format) and {@code privateKeyFile.pub}. */
    public static void write(KeyPair keyPair, String comment, Path privateKeyFile) {
        try {
            Files.createDirectories(privateKeyFile.getParent());
            Files.deleteIfExists(privateKeyFile);
            Files.createFile(privateKeyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(privateKeyFile)) {
                OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(keyPair, comment, null, out);
            }
            Files.writeString(privateKeyFile.resolveSibling(privateKeyFile.getFileName() + ".pub"),
                    publicLine(keyPair, comment) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code authorized_keys} line of a key. */
    public static String publicLine(KeyPair keyPair, String comment) {
        return PublicKeyEntry.toString(keyPair.getPublic()) + " " + comment;
    }
}
