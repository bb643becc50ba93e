package p3.shell.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The line protocol, in front of the real Gogo runtime (outside OSGi). */
class ShellServerTest {

    /** Commands of scope {@code t}. Public: Gogo calls them by reflection. */
    public static final class Commands {
        public void hello(String name) {
            System.out.println("hello " + name);
        }

        public void partial() {
            System.out.print("no newline");
        }

        public int answer() {
            return 42;
        }

        public void fail() {
            throw new IllegalStateException("broken\nin two lines");
        }

        public Exception failure() {
            return new IllegalArgumentException("returned, not thrown");
        }
    }

    private final ThreadIOImpl threadIO = new ThreadIOImpl();
    private CommandProcessorImpl processor;
    private ShellServer server;

    @BeforeEach
    void start() throws IOException {
        threadIO.start();
        processor = new CommandProcessorImpl(threadIO);
        processor.addCommand("t", new Commands());
        server = new ShellServer(processor, 0, new ShellServer.Limits(64, 2_000, 2));
    }

    @AfterEach
    void stop() {
        server.close();
        processor.stop();
        threadIO.stop();
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
    void badLinesAreRejectedAndTheServerGoesOn() throws IOException {
        assertEquals(List.of("%%p3-status 1 empty command line"), send(" \n"));
        assertEquals(List.of("%%p3-status 1 command line longer than 64 bytes"), send("x".repeat(100) + "\n"));
        try (Socket gone = connect()) {
            gone.getOutputStream().write("hello half a li".getBytes(UTF_8));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.counts().rejected() == 3);
        assertEquals(List.of("hello again", "%%p3-status 0"), send("hello again\n"));
    }

    @Test
    void silentClientsTimeOut() throws IOException {
        try (Socket silent = connect()) {
            silent.setSoTimeout(5_000);
            String reply = new String(silent.getInputStream().readAllBytes(), UTF_8);
            assertEquals("%%p3-status 1 no command line within 2000 ms\n", reply);
        }
        assertEquals(1, server.counts().rejected());
    }

    @Test
    void closeStopsListening() {
        int port = server.port();
        server.close();
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
    }

    private Socket connect() throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), server.port());
    }

    private List<String> send(String raw) throws IOException {
        try (Socket s = connect()) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write(raw.getBytes(UTF_8));
            return new String(s.getInputStream().readAllBytes(), UTF_8).lines().toList();
        }
    }
}
