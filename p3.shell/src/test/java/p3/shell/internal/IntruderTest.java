package p3.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import p3.shell.ShellClient;

/**
 * A process of another user cannot use the shell, while the owner's can. The intruder is the real
 * client run as user nobody (setpriv), which takes root: CI runs as root, which ignores file
 * permissions itself, hence another user. Not root, or no setpriv: skipped.
 */
@Timeout(120)
class IntruderTest {

    @TempDir
    Path dir;
    @TempDir
    Path logs;
    private Gogo gogo;
    private ShellServer server;
    private Intruder client;

    @BeforeEach
    void start() throws IOException {
        assumeTrue(Intruder.root(), "running a process as another user takes root");
        assumeTrue(Intruder.setpriv().isPresent(), "no setpriv on this host");
        gogo = new Gogo(0);
        client = new Intruder(dir, logs);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (gogo != null) {
            gogo.close();
        }
    }

    /**
     * The socket's own permission (0600) is the check under test here: its folder and the folders
     * above are traversable by nobody (0711), so nobody reaches the socket file and is refused by its
     * mode. Then the test loosens the socket to 0666: nobody's connection now reaches the server (which
     * shows that the folders let it through, so the first refusal was the socket's), and the server
     * refuses it for its peer credentials, the defence in depth.
     */
    @Test
    void anotherUserCanNeitherConnectNorRunACommand() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        Path folder = Files.createDirectory(dir.resolve("p3"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx--x--x"));
        Path socket = folder.resolve("shell.sock");
        server = new ShellServer(gogo.processor, socket, new ShellServer.Limits(8192, 10_000, 4));
        assertEquals(ShellSocket.SOCKET, Files.getPosixFilePermissions(socket));

        Intruder.Result nobody = client.asNobody(socket, "t:hello intruder");
        assertEquals(ShellClient.NO_RUNTIME, nobody.exit(), nobody.toString());
        assertTrue(nobody.err().contains("Permission denied"), nobody.err());
        assertEquals(new ShellServer.Counts(0, 0, 0), server.counts(), "the connection never reached the server");

        Intruder.Result owner = client.asOwner(socket, "t:hello owner");
        assertEquals(new Intruder.Result(ShellClient.OK, "hello owner\n", ""), owner);

        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        nobody = client.asNobody(socket, "t:hello intruder");
        assertEquals(ShellClient.FAILED, nobody.exit(), nobody.toString());
        assertEquals("", nobody.out());
        assertTrue(nobody.err().startsWith("refused: user nobody is neither the runtime's user"), nobody.err());
        assertEquals(new ShellServer.Counts(1, 0, 1), server.counts(), "refused, and not executed");
    }

    /**
     * As the runtime lays it out by default: a folder the server creates 0700. Here the folder is
     * the check that stops nobody (it cannot even reach the socket file).
     */
    @Test
    void theDefaultFolderKeepsAnotherUserAway() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        Path socket = dir.resolve(".p3/shell.sock");
        server = new ShellServer(gogo.processor, socket, new ShellServer.Limits(8192, 10_000, 4));
        assertEquals(ShellSocket.FOLDER, Files.getPosixFilePermissions(socket.getParent()));

        Intruder.Result nobody = client.asNobody(socket, "t:hello intruder");
        assertEquals(ShellClient.NO_RUNTIME, nobody.exit(), nobody.toString());
        assertTrue(nobody.err().contains("Permission denied"), nobody.err());
        assertEquals(ShellClient.OK, client.asOwner(socket, "t:hello owner").exit());
        assertEquals(new ShellServer.Counts(1, 0, 0), server.counts());
    }
}
