package org.linkgate.incident;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.linkgate.agreement.Council;
import org.linkgate.agreement.Department;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.sftp.SftpLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Looks for files where they should not be in the embedded SFTP homes (route
 * {@code sftp-layout-check}). The drop-zone policy lets a partner write regular files only into its
 * writable folder ({@code inbound/}, {@code returns/}), and the gateway puts only OpenPGP files
 * ({@code *.pgp}) into the readable one ({@code outbound/}, {@code upload/}) and creates nothing
 * else; so anything beside those two folders, any directory or link inside them, or a non-OpenPGP
 * file in the readable folder was written past the policy (e.g. on the host) and opens an
 * incident, one per path while it is open. Such entries are left in place for investigation;
 * their names are never recorded (they may be hostile), only a hash of the path.
 */
@Component("dropZoneSweep")
public class DropZoneSweep {

    private static final Logger LOG = LoggerFactory.getLogger(DropZoneSweep.class);
    private final PartnerRegistry registry;
    private final GatewayHome home;
    private final Incidents incidents;

    public DropZoneSweep(PartnerRegistry registry, GatewayHome home, Incidents incidents) {
        this.registry = registry;
        this.home = home;
        this.incidents = incidents;
    }

    /** One misplaced entry: the partner, the area it was found in, and a hash of its path. */
    public record Finding(String partner, String area, String pathHash) {
    }

    /** Sweeps every embedded home; returns what it found (each opened or counted on an incident). */
    public List<Finding> check() {
        List<Finding> found = new ArrayList<>();
        for (Council council : registry.councils()) {
            sweep(council.code(), council.account(), SftpLayout.COUNCIL, found);
        }
        for (Department department : registry.departments()) {
            if (!(department.endpoint() instanceof Department.RemoteEndpoint)) {
                sweep(department.code(), department.account(), SftpLayout.DEPARTMENT, found);
            }
        }
        for (org.linkgate.agreement.Recipient recipient : registry.recipients()) {
            if (!(recipient.endpoint() instanceof Department.RemoteEndpoint)) {
                sweep(recipient.code(), recipient.account(), SftpLayout.DEPARTMENT, found);
            }
        }
        for (Finding finding : found) {
            incidents.openOnce("UNEXPECTED_FILE|" + finding.partner() + "|" + finding.pathHash(),
                    IncidentCategory.UNEXPECTED_FILE, finding.partner(), "sftp:" + finding.pathHash().substring(0, 16),
                    "an entry the drop-zone layout never allows was found in the SFTP home of " + finding.partner()
                            + " (" + finding.area() + "); it was left in place for investigation");
        }
        return found;
    }

    private void sweep(String partner, String account, SftpLayout layout, List<Finding> found) {
        Path root = home.sftpHome(account);
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Set<String> allowed = Set.of(layout.partnerWritableDirectory(), layout.partnerReadableDirectory());
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!allowed.contains(name) || !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    found.add(finding(partner, "home", root, entry));
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot sweep the SFTP home of {}: {}", partner, e.getClass().getSimpleName());
            return;
        }
        inside(partner, root, layout.partnerWritableDirectory(), false, found);
        inside(partner, root, layout.partnerReadableDirectory(), true, found);
    }

    private void inside(String partner, Path root, String folder, boolean gatewayWritesOnly, List<Finding> found) {
        Path dir = root.resolve(folder);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                boolean regular = Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS);
                if (!regular || (gatewayWritesOnly && !entry.getFileName().toString().endsWith(".pgp"))) {
                    found.add(finding(partner, folder + "/", root, entry));
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot sweep {}/ of {}: {}", folder, partner, e.getClass().getSimpleName());
        }
    }

    private static Finding finding(String partner, String area, Path root, Path entry) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(root.relativize(entry).toString()
                    .getBytes(StandardCharsets.UTF_8));
            return new Finding(partner, area, HexFormat.of().formatHex(hash));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
