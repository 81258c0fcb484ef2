package org.linkgate.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import org.apache.sshd.common.file.root.RootedFileSystemProvider;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.fs.WithFileAttributes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deterministic checks of the listing snapshot: vanished entries are left out, links are described, not followed. */
class DropZoneDirectoryStreamTest {

    @TempDir
    Path home;

    private FileSystem rooted;

    @BeforeEach
    void rootAtHome() throws IOException {
        rooted = new RootedFileSystemProvider().newFileSystem(home, Collections.emptyMap());
    }

    @AfterEach
    void close() throws IOException {
        rooted.close();
    }

    @Test
    void entryThatVanishedAfterTheDirectoryReadIsLeftOut() throws IOException {
        Files.write(home.resolve("a.gpg"), new byte[] {1, 2, 3});
        Files.write(home.resolve("c.gpg"), new byte[] {1});
        // As if b.gpg was read from the directory and then moved away by the gateway before its attributes were read.
        List<Path> read = List.of(rooted.getPath("/a.gpg"), rooted.getPath("/b.gpg"), rooted.getPath("/c.gpg"));

        List<Path> listed = list(read);

        assertThat(listed).extracting(Path::toString).containsExactly("/a.gpg", "/c.gpg");
        assertThat(listed).allSatisfy(entry -> assertThat(entry).isInstanceOf(WithFileAttributes.class));
        SftpClient.Attributes a = ((WithFileAttributes) listed.get(0)).getAttributes();
        assertThat(a.isRegularFile()).isTrue();
        assertThat(a.getSize()).isEqualTo(3);
    }

    @Test
    void attributesAreThoseOfTheEntryItselfNeverALinkTarget() throws IOException {
        Path file = Files.write(home.resolve("report.pgp"), new byte[10]);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        FileTime modified = FileTime.fromMillis(1_434_000_000_000L);
        Files.setLastModifiedTime(file, modified);
        Files.createSymbolicLink(home.resolve("link.pgp"), Path.of("/etc/passwd"));
        Files.createDirectory(home.resolve("sub"));

        List<Path> listed = list(List.of(
                rooted.getPath("/report.pgp"), rooted.getPath("/link.pgp"), rooted.getPath("/sub")));

        SftpClient.Attributes report = ((WithFileAttributes) listed.get(0)).getAttributes();
        assertThat(report.isRegularFile()).isTrue();
        assertThat(report.getSize()).isEqualTo(10);
        assertThat(report.getPermissions() & 0777).isEqualTo(0640);
        assertThat(report.getModifyTime()).isEqualTo(modified);
        SftpClient.Attributes link = ((WithFileAttributes) listed.get(1)).getAttributes();
        assertThat(link.isSymbolicLink()).isTrue();
        assertThat(link.isRegularFile()).isFalse();
        assertThat(link.getSize()).isNotEqualTo(Files.size(Path.of("/etc/passwd")));
        assertThat(((WithFileAttributes) listed.get(2)).getAttributes().isDirectory()).isTrue();
    }

    @Test
    void danglingLinkIsListedAsALink() throws IOException {
        Files.createSymbolicLink(home.resolve("dangling.pgp"), home.resolve("nowhere"));
        List<Path> listed = list(List.of(rooted.getPath("/dangling.pgp")));
        assertThat(listed).hasSize(1);
        assertThat(((WithFileAttributes) listed.get(0)).getAttributes().isSymbolicLink()).isTrue();
    }

    @Test
    void iteratesOnceAndEndsCleanly() throws IOException {
        DropZoneDirectoryStream stream = new DropZoneDirectoryStream(fixed(List.of(rooted.getPath("/gone"))));
        Iterator<Path> entries = stream.iterator();
        assertThat(entries.hasNext()).isFalse();
        assertThatThrownBy(entries::next).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(stream::iterator).isInstanceOf(IllegalStateException.class);
        stream.close();
    }

    @Test
    void realDirectoryStreamOfTheRootedFileSystem() throws IOException {
        Files.write(home.resolve("x.gpg"), new byte[] {1});
        List<Path> listed = new ArrayList<>();
        try (DirectoryStream<Path> stream = new DropZoneDirectoryStream(
                Files.newDirectoryStream(rooted.getPath("/")))) {
            stream.forEach(listed::add);
        }
        assertThat(listed).extracting(Path::toString).containsExactly("/x.gpg");
        assertThat(listed.get(0).getFileSystem()).isSameAs(rooted);
        assertThat(listed.get(0)).isInstanceOf(WithFileAttributes.class);
    }

    private static List<Path> list(List<Path> read) throws IOException {
        List<Path> listed = new ArrayList<>();
        try (DirectoryStream<Path> stream = new DropZoneDirectoryStream(fixed(read))) {
            stream.forEach(listed::add);
        }
        return listed;
    }

    private static DirectoryStream<Path> fixed(List<Path> entries) {
        return new DirectoryStream<>() {
            @Override
            public Iterator<Path> iterator() {
                return entries.iterator();
            }

            @Override
            public void close() {
            }
        };
    }
}
