package p3.shell.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The line protocol on a real Unix domain socket, in front of the real Gogo runtime (outside OSGi). */
@Timeout(30)
class ShellServerTest {

    @TempDir
    Path dir;
    private Path socket;
    private Gogo gogo;
    private ShellServer server;

    @BeforeEach
    void start() throws IOException {
        gogo = new Gogo(2);
        socket = dir.resolve("p3/shell.sock");
        server = new ShellServer(gogo.processor, socket, new ShellServer.Limits(64, 2_000, 2));
    }

    @AfterEach
    void stop() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (gogo != null) {
                gogo.close();
            }
        }
    }

    @Test
    void outputThenSuccess() throws IOException {
        assertEquals(List.of("hello p3", "%%p3-status 0"), send("t:hello p3\n"));
        assertEquals(List.of("hello crlf", "%%p3-status 0"), send("hello crlf\r\n"));
        assertEquals(List.of("42", "%%p3-status 0"), send("answer\n"));
        assertEquals(new ShellServer.Counts(3, 0, 0), server.counts());
    }

    @Test
    void statusStartsALine() throws IOException {
        assertEquals(List.of("no newline", "%%p3-status 0"), send("partial\n"));
    }

    @Test
    void failuresGiveStatusOneAndAOneLineMessage() throws IOException {
        assertEquals(List.of("%%p3-status 1 broken in two lines"), send("fail\n"));
        assertEquals(List.of("%%p3-status 1 returned, not thrown"), send("failure\n"));
        assertEquals(List.of("%%p3-status 1 Command not found: nosuchcmd"), send("nosuchcmd\n"));
        assertEquals(new ShellServer.Counts(3, 3, 0), server.counts());
    }

    @Test
    void theOriginNamesTheSocketAndThePeersUser() throws IOException {
        String me = Files.getOwner(server.path()).getName();
        assertEquals(List.of("shell " + socket + " (user " + me + ")", "%%p3-status 0"), send("t:origin\n"));
    }

    @Test
    void badLinesAreRejectedAndTheServerGoesOn() throws IOException {
        assertEquals(List.of("%%p3-status 1 empty command line"), send(" \n"));
        assertEquals(List.of("%%p3-status 1 command line longer than 64 bytes"), send("x".repeat(100) + "\n"));
        try (SocketChannel gone = connect()) {
            gone.write(ByteBuffer.wrap("hello half a li".getBytes(UTF_8)));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.counts().rejected() == 3);
        assertEquals(List.of("hello again", "%%p3-status 0"), send("hello again\n"));
        assertEquals(new ShellServer.Counts(1, 0, 3), server.counts());
    }

    @Test
    void silentClientsTimeOut() throws IOException {
        try (SocketChannel silent = connect()) {
            String reply = new String(Channels.newInputStream(silent).readAllBytes(), UTF_8);
            assertEquals("%%p3-status 1 no command line within 2000 ms\n", reply);
        }
        assertEquals(1, server.counts().rejected());
    }

    @Test
    void connectionsBeyondMaxSessionsAreTurnedAway() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            List<CompletableFuture<List<String>>> running = List.of(
                    CompletableFuture.supplyAsync(() -> sendUnchecked("t:block\n"), clients),
                    CompletableFuture.supplyAsync(() -> sendUnchecked("t:block\n"), clients));
            assertTrue(gogo.commands.blocked.await(10, TimeUnit.SECONDS), "both sessions run");

            assertEquals(List.of("%%p3-status 1 busy: 2 commands are running"), send("answer\n"));

            gogo.commands.release.countDown();
            for (CompletableFuture<List<String>> r : running) {
                assertEquals(List.of("released", "%%p3-status 0"), r.get(10, TimeUnit.SECONDS));
            }
            assertEquals(new ShellServer.Counts(2, 0, 1), server.counts());
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void closeStopsListeningAndRemovesTheSocket() {
        server.close();
        assertFalse(Files.exists(socket));
        assertThrows(IOException.class, () -> connect().close());
    }

    @Test
    void closeEndsARunningCommandsConnection() throws Exception {
        try (SocketChannel c = connect()) {
            c.write(ByteBuffer.wrap("t:block\n".getBytes(UTF_8)));
            await().atMost(Duration.ofSeconds(10)).until(() -> gogo.commands.blocked.getCount() == 1);
            server.close();
            // the connection ends (EOF or reset) without waiting for the command
            try {
                Channels.newInputStream(c).readAllBytes();
            } catch (IOException reset) {
                // as good as an end of stream
            }
        }
    }

    private SocketChannel connect() throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(socket));
    }

    /**
     * The answer's lines. A server that turns a connection away may close it before it read all the
     * client sent, or before the client sent it: the write fails, or a reset follows the answer, as
     * good as an end of stream (as for p3.shell.ShellClient).
     */
    private List<String> send(String raw) throws IOException {
        try (SocketChannel s = connect()) {
            try {
                s.write(ByteBuffer.wrap(raw.getBytes(UTF_8)));
            } catch (IOException turnedAway) {
                // the reason is there to read
            }
            return readAll(s).lines().toList();
        }
    }

    private static String readAll(SocketChannel s) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        try {
            while (s.read(buffer.clear()) >= 0) {
                all.write(buffer.array(), 0, buffer.position());
            }
        } catch (IOException reset) {
            if (all.size() == 0) {
                throw reset;
            }
        }
        return all.toString(UTF_8);
    }

    private List<String> sendUnchecked(String raw) {
        try {
            return send(raw);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
