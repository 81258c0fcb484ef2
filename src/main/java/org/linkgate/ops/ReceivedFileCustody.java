package org.linkgate.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.springframework.stereotype.Component;

/**
 * Where received files end: the archive (processed or rejected with a report) or quarantine
 * (with an alert), as {@code <id>.pgp} under the partner's folder, still encrypted to the
 * gateway key. A file in a drop-zone is moved out atomically; a local copy of a remote file is
 * copied (the remote original is removed by the route once the outcome is recorded).
 */
@Component
public class ReceivedFileCustody {

    private final GatewayHome home;

    public ReceivedFileCustody(GatewayHome home) {
        this.home = home;
    }

    /** Returns the archived file's path relative to the gateway home. */
    public String archive(String partnerCode, String id, Path file, boolean copy) {
        return place(home.archive(partnerCode), id, file, copy);
    }

    /** Returns the quarantined file's path relative to the gateway home. */
    public String quarantine(String partnerCode, String id, Path file, boolean copy) {
        return place(home.quarantine(partnerCode), id, file, copy);
    }

    private String place(Path dir, String id, Path file, boolean copy) {
        Path target = GatewayHome.ensureDirectory(dir).resolve(id + ".pgp");
        try {
            if (copy) {
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot place received file " + id + " in " + dir.getFileName(), e);
        }
        return home.root().relativize(target).toString();
    }
}
