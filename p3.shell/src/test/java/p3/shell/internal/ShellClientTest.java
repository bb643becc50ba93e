package p3.shell.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import p3.shell.ShellClient;

/** The client of ./p3 shell against the real server: output, and the exit status for each outcome. */
@Timeout(30)
class ShellClientTest {

    @TempDir
    Path dir;
    private Gogo gogo;
    private ShellServer server;
    private Path socket;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws IOException {
        gogo = new Gogo(0);
        socket = dir.resolve(".p3/shell.sock");
        server = new ShellServer(gogo.processor, socket, new ShellServer.Limits(64, 2_000, 2));
    }

    @AfterEach
    void stop() {
        server.close();
        gogo.close();
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return ShellClient.run(args, out, new PrintStream(err, true, UTF_8));
    }

    @Test
    void theOutputWithoutTheStatusLineAndExitZero() {
        assertEquals(ShellClient.OK, run(socket.toString(), "t:hello p3"));
        assertEquals("hello p3\n", out.toString(UTF_8));
        assertEquals("", err.toString(UTF_8));

        assertEquals(ShellClient.OK, run("--timeout", "5", socket.toString(), "partial"));
        assertEquals("no newline\n", out.toString(UTF_8), "the server ends the output's line before the status");
    }

    @Test
    void aFailedCommandExitsOneWithTheRuntimesMessage() {
        assertEquals(ShellClient.FAILED, run(socket.toString(), "t:fail"));
        assertEquals("", out.toString(UTF_8));
        assertEquals("broken in two lines\n", err.toString(UTF_8));

        assertEquals(ShellClient.FAILED, run(socket.toString(), "x".repeat(100)));
        assertEquals("command line longer than 64 bytes\n", err.toString(UTF_8));
    }

    @Test
    void nothingListeningExitsThree() {
        server.close();
        assertEquals(ShellClient.NO_RUNTIME, run(socket.toString(), "lb"));
        assertTrue(err.toString(UTF_8).startsWith("cannot connect to " + socket + ": "), err.toString(UTF_8));
    }

    @Test
    void anAnswerWithoutStatusExitsFour() throws Exception {
        Path other = dir.resolve("other.sock");
        try (ServerSocketChannel fake = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            fake.bind(UnixDomainSocketAddress.of(other));
            CompletableFuture<Void> answer = CompletableFuture.runAsync(() -> {
                try (SocketChannel c = fake.accept()) {
                    c.read(ByteBuffer.allocate(64)); // "lb\n"
                    c.write(ByteBuffer.wrap("half an answer\n".getBytes(UTF_8)));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals(ShellClient.NO_STATUS, run(other.toString(), "lb"));
            answer.get();
        }
        assertEquals("half an answer\n", out.toString(UTF_8));
        assertTrue(err.toString(UTF_8).contains("without a status"), err.toString(UTF_8));
    }

    @Test
    void wrongArgumentsExitTwo() {
        assertEquals(ShellClient.USAGE, run(socket.toString()));
        assertEquals(ShellClient.USAGE, run("--timeout", "x", socket.toString(), "lb"));
        assertEquals(ShellClient.USAGE, run(socket.toString(), "lb\nlb"));
        assertEquals(ShellClient.USAGE, run(socket.toString(), " "));
    }
}
