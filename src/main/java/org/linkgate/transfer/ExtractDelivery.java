package org.linkgate.transfer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;
import org.linkgate.agreement.Department;
import org.linkgate.kernel.GatewayHome;
import org.springframework.stereotype.Component;

/**
 * Puts a finished, encrypted file where a department collects it: by atomic rename into its
 * {@code upload/} folder on the embedded server, or by atomic upload (temporary name, rename,
 * size check) to its own SFTP server with a pinned host key.
 */
@Component
public class ExtractDelivery {

    private final GatewayHome home;

    public ExtractDelivery(GatewayHome home) {
        this.home = home;
    }

    /** True if a file of this name is already at the department (a delivery whose record was lost in a crash). */
    public boolean alreadyDelivered(Department department, String name) {
        if (department.endpoint() instanceof Department.RemoteEndpoint remote) {
            try (RemoteSftpClient client = RemoteSftpClient.connect(remote)) {
                return client.listComplete(remote.uploadDir(), Pattern.compile(Pattern.quote(name))).stream()
                        .anyMatch(f -> f.name().equals(name));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot reach " + department.code(), e);
            }
        }
        return Files.exists(uploadDir(department).resolve(name));
    }

    public void deliver(Department department, Path file, String name) {
        if (department.endpoint() instanceof Department.RemoteEndpoint remote) {
            try (RemoteSftpClient client = RemoteSftpClient.connect(remote)) {
                client.uploadAtomically(file, remote.uploadDir(), name);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot deliver to " + department.code(), e);
            }
            return;
        }
        Path target = uploadDir(department).resolve(name);
        try {
            long size = Files.size(file);
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            if (Files.size(target) != size) {
                throw new IOException("delivered size differs");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot deliver to " + department.code(), e);
        }
    }

    private Path uploadDir(Department department) {
        return GatewayHome.ensureDirectory(home.sftpHome(department.account()).resolve("upload"));
    }
}
