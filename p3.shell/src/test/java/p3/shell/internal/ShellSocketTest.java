package p3.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The socket's folder and file: owner-only, checked, never left with loose permissions or behind. */
@Timeout(30)
class ShellSocketTest {

    @TempDir
    Path dir;

    @Test
    void aMissingFolderIsCreatedOwnerOnlyAndTheSocketIsTheOwnersAlone() throws IOException {
        Path file = dir.resolve("a/b/shell.sock");
        try (ShellSocket s = ShellSocket.open(file)) {
            assertEquals(ShellSocket.FOLDER, Files.getPosixFilePermissions(file.getParent()));
            assertEquals(ShellSocket.SOCKET, Files.getPosixFilePermissions(file));
            assertEquals(Files.getOwner(dir), Files.getOwner(file));
            assertEquals(file, s.file);
            try (Stream<Path> left = Files.list(file.getParent())) {
                assertEquals(java.util.List.of(file), left.toList(), "no staging folder left");
            }
            SocketChannel.open(UnixDomainSocketAddress.of(file)).close();
        }
        assertFalse(Files.exists(file), "close removes the socket");
        assertTrue(Files.isDirectory(file.getParent()), "and leaves the folder");
    }

    @Test
    void anExistingFolderReadableByOthersIsFineTheSocketStaysOwnerOnly() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("p3"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (ShellSocket s = ShellSocket.open(folder.resolve("shell.sock"))) {
            assertEquals(ShellSocket.SOCKET, Files.getPosixFilePermissions(s.file));
            assertEquals(PosixFilePermissions.fromString("rwxr-xr-x"), Files.getPosixFilePermissions(folder),
                    "an existing folder is not changed");
        }
    }

    @Test
    void aFolderWritableByOthersIsRefused() throws IOException {
        for (String mode : new String[] {"rwxrwxr-x", "rwx---rwx", "rwxrwxrwx"}) {
            Path folder = Files.createDirectories(dir.resolve(mode));
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString(mode));
            IOException e = assertThrows(IOException.class, () -> ShellSocket.open(folder.resolve("shell.sock")));
            assertTrue(e.getMessage().contains("writable by others"), e.getMessage());
            try (Stream<Path> left = Files.list(folder)) {
                assertEquals(0, left.count(), "nothing made in a refused folder");
            }
        }
    }

    @Test
    void aFolderOfAnotherUserIsRefused() throws IOException {
        assumeTrue(Intruder.root(), "only root can give a folder to another user");
        Path folder = Files.createDirectories(dir.resolve("theirs"));
        Files.setOwner(folder, FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        IOException e = assertThrows(IOException.class, () -> ShellSocket.open(folder.resolve("shell.sock")));
        assertTrue(e.getMessage().contains("belongs to nobody"), e.getMessage());
        try (Stream<Path> left = Files.list(folder)) {
            assertEquals(0, left.count(), "the staging folder is removed");
        }
    }

    @Test
    void aSocketLeftByADeadRuntimeIsReplaced() throws IOException {
        Path file = dir.resolve("shell.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(file));
        } // closed: the file stays, nobody listens
        assertTrue(Files.exists(file));
        try (ShellSocket s = ShellSocket.open(file)) {
            SocketChannel.open(UnixDomainSocketAddress.of(file)).close();
            assertEquals(ShellSocket.SOCKET, Files.getPosixFilePermissions(file));
        }
    }

    @Test
    void aLiveSocketAndOtherFilesAreNotReplaced() throws IOException {
        Path file = dir.resolve("shell.sock");
        try (ShellSocket first = ShellSocket.open(file)) {
            IOException e = assertThrows(IOException.class, () -> ShellSocket.open(file));
            assertTrue(e.getMessage().contains("another runtime listens on"), e.getMessage());
            SocketChannel.open(UnixDomainSocketAddress.of(file)).close(); // the first one still answers
        }
        Path text = Files.writeString(dir.resolve("notes.txt"), "keep me");
        IOException e = assertThrows(IOException.class, () -> ShellSocket.open(text));
        assertTrue(e.getMessage().contains("is not a socket"), e.getMessage());
        assertEquals("keep me", Files.readString(text));
    }

    @Test
    void closeLeavesASocketThatReplacedItsOwn() throws IOException {
        Path file = dir.resolve("shell.sock");
        ShellSocket s = ShellSocket.open(file);
        Files.delete(file);
        try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            other.bind(UnixDomainSocketAddress.of(file));
            s.close();
            assertTrue(Files.exists(file), "another runtime's socket stays");
        }
    }
}
