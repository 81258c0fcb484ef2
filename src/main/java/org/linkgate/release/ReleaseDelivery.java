package org.linkgate.release;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;
import org.linkgate.agreement.Department;
import org.linkgate.agreement.Recipient;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.transfer.RemoteSftpClient;
import org.linkgate.transfer.UploadReceipt;
import org.springframework.stereotype.Component;

/**
 * Puts a built release where the recipient collects it, size checked: on the embedded server it is
 * copied to a hidden {@code upload/.<name>.part}, forced to disk and renamed to its name; on the
 * recipient's own server it is uploaded under a temporary name and renamed, with the host key
 * pinned ({@link RemoteSftpClient#uploadAtomically}). The staged file stays until the release is
 * recorded as sent, so a crash in between loses nothing and {@link #alreadyDelivered} stops a
 * second copy.
 */
@Component
public class ReleaseDelivery {

    private final GatewayHome home;

    public ReleaseDelivery(GatewayHome home) {
        this.home = home;
    }

    /** True if a file of this name and size is already at the recipient. */
    public boolean alreadyDelivered(Recipient recipient, String name, long size) {
        if (recipient.endpoint() instanceof Department.RemoteEndpoint remote) {
            try (RemoteSftpClient client = RemoteSftpClient.connect(remote)) {
                return client.listComplete(remote.uploadDir(), Pattern.compile(Pattern.quote(name))).stream()
                        .anyMatch(f -> f.name().equals(name) && f.size() == size);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot reach " + recipient.code(), e);
            }
        }
        Path target = uploadDir(recipient).resolve(name);
        try {
            return Files.isRegularFile(target) && Files.size(target) == size;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check the upload folder of " + recipient.code(), e);
        }
    }

    /** Delivers {@code staged} as {@code name}; fails if the delivered size is not {@code size}. */
    public void deliver(Recipient recipient, Path staged, String name, long size) {
        try {
            if (Files.size(staged) != size) {
                throw new IOException("staged release has changed size");
            }
            if (recipient.endpoint() instanceof Department.RemoteEndpoint remote) {
                try (RemoteSftpClient client = RemoteSftpClient.connect(remote)) {
                    UploadReceipt receipt = client.uploadAtomically(staged, remote.uploadDir(), name);
                    if (receipt.size() != size) {
                        throw new IOException("delivered size differs");
                    }
                }
                return;
            }
            Path upload = uploadDir(recipient);
            Path target = upload.resolve(name);
            if (Files.exists(target)) {
                throw new IOException("a file of that name is already in the upload folder; refusing to overwrite");
            }
            Path part = upload.resolve("." + name + ".part");
            Files.copy(staged, part, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            if (Files.size(part) != size) {
                Files.deleteIfExists(part);
                throw new IOException("delivered size differs");
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot deliver to " + recipient.code(), e);
        }
    }

    private Path uploadDir(Recipient recipient) {
        return GatewayHome.ensureDirectory(home.sftpHome(recipient.account()).resolve("upload"));
    }
}
