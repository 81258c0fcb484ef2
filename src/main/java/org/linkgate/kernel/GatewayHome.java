package org.linkgate.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Set;

/**
 * The directory layout of the gateway home. Every path the gateway reads or writes is
 * named here or next to the reader that owns it (docs/configuration.md lists them all).
 */

public class GatewayHome {

    /** Mode of every directory the gateway creates. */
    public static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private final Path root;
    private final Path secrets;

    public GatewayHome(LinkgateProperties properties) {
        this(properties.home(), properties.resolvedSecretsDir());
    }

    public GatewayHome(Path root, Path secrets) {
        this.root = root.toAbsolutePath().normalize();
        this.secrets = secrets.toAbsolutePath().normalize();
    }

    public Path root() { return root; }

    /** Secrets: pseudonymisation key, master key, gateway key passphrase, SSH host key. */
    public Path secretsDir() { return secrets; }

    /** The gateway's own OpenPGP key pair (the passphrase is in the secrets dir). */
    public Path gatewayKeyDir() { return root.resolve("config/gateway"); }

    /** One folder per council: {@code config/councils/<GSS>/}. */
    public Path councilsDir() { return root.resolve("config/councils"); }

    public Path councilDir(String gss) { return councilsDir().resolve(gss.toUpperCase(Locale.ROOT)); }

    /** One folder per department: {@code config/departments/<CODE>/}. */
    public Path departmentsDir() { return root.resolve("config/departments"); }

    public Path departmentDir(String code) { return departmentsDir().resolve(code.toUpperCase(Locale.ROOT)); }

    /** One folder per recipient of released linked data (the sponsor): {@code config/recipients/<CODE>/}. */
    public Path recipientsDir() { return root.resolve("config/recipients"); }

    public Path recipientDir(String code) { return recipientsDir().resolve(code.toUpperCase(Locale.ROOT)); }

    /** Root of all SFTP homes served by the embedded server. */
    public Path sftpRoot() { return root.resolve("sftp"); }

    /** A council's SFTP home; its account name is the GSS code in lower case. */
    public Path sftpHome(String account) { return sftpRoot().resolve(account.toLowerCase(Locale.ROOT)); }

    public Path inbound(String gss) { return sftpHome(gss).resolve("inbound"); }

    public Path outbound(String gss) { return sftpHome(gss).resolve("outbound"); }

    /**
     * Files taken out of a partner's drop-zone and awaiting their outcome: gateway-only, so what is
     * hashed is what is processed (a partner cannot reach or change a file here). Files leave it
     * sealed, for the archive or quarantine.
     */
    public Path inboundCustody(String partnerCode) {
        return root.resolve("work/inbound").resolve(partnerCode.toUpperCase(Locale.ROOT));
    }

    /** Received files, sealed under a data key each (ReceivedFileCustody), kept until retention ends. */
    public Path archive(String gss) { return root.resolve("archive").resolve(gss.toUpperCase(Locale.ROOT)); }

    /** Files that could not be processed; an alert is raised for each. */
    public Path quarantine(String gss) { return root.resolve("quarantine").resolve(gss.toUpperCase(Locale.ROOT)); }

    /**
     * Where outgoing files are written before being renamed into a partner's folder. Same file
     * system as the SFTP homes, so the rename is atomic, and invisible to partners, so a listing
     * never meets a file that vanishes mid-listing.
     */
    public Path outgoingStaging() { return root.resolve("work/outgoing"); }

    /** Signed destruction certificates ({@code <id>.json} and {@code <id>.json.asc}), kept with the audit trail. */
    public Path destructionCertificatesDir() { return root.resolve("retention/certificates"); }

    /** Demo partners' private material (the partner side of the demo); absent in production. */
    public Path demoDir() { return root.resolve("demo"); }

    /**
     * Creates the directory and any missing parents owner-only (0700), whatever the process umask:
     * what the gateway keeps is for the gateway alone. Existing directories are left as they are.
     */
    public static Path ensureDirectory(Path dir) {
        try {
            if (Files.isDirectory(dir)) {
                return dir;
            }
            if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                return Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create directory " + dir, e);
        }
    }
}
