package p3.bench.mesh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One command line through a runtime's remote Gogo shell (module p3.shell) on its Unix domain
 * socket: the client sends the line, the runtime answers with what the command printed and its
 * result, then a status line {@code %%p3-status 0} or {@code %%p3-status 1 MESSAGE}, and closes the
 * connection.
 */
final class ShellClient {

    private static final Pattern STATUS = Pattern.compile("%%p3-status ([01])(?: (.*))?");

    private ShellClient() {
    }

    /**
     * What a command answered.
     *
     * @param output  what it printed and returned, status line excluded
     * @param failure null when it succeeded, else the runtime's message
     */
    record Reply(String output, String failure) {
        boolean ok() {
            return failure == null;
        }
    }

    /**
     * @param timeout for each read of the answer
     * @throws IOException when nothing listens, or the runtime closed the connection without a status
     */
    static Reply run(Path socket, String command, Duration timeout) throws IOException {
        try (SocketChannel s = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                Selector selector = Selector.open()) {
            ByteBuffer line = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8));
            try {
                while (line.hasRemaining()) {
                    s.write(line);
                }
            } catch (IOException turnedAway) {
                // the runtime closed first (a rejection): its reason is there to read
            }
            s.configureBlocking(false);
            s.register(selector, SelectionKey.OP_READ);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            try {
                for (int n; (n = s.read(buffer.clear())) >= 0;) {
                    if (n > 0) {
                        answer.write(buffer.array(), 0, n);
                    } else if (selector.select(timeout.toMillis()) == 0) {
                        throw new SocketTimeoutException("no answer within " + timeout.toMillis() + " ms");
                    } else {
                        selector.selectedKeys().clear();
                    }
                }
            } catch (IOException e) {
                // a reset that follows a complete answer (the runtime closed before reading all) is no error
                if (!(e instanceof SocketTimeoutException) && answer.size() > 0) {
                    return parse(answer.toString(StandardCharsets.UTF_8));
                }
                throw e;
            }
            return parse(answer.toString(StandardCharsets.UTF_8));
        }
    }

    /** @throws IOException when the answer does not end with a status line */
    static Reply parse(String answer) throws IOException {
        String text = answer.endsWith("\n") ? answer.substring(0, answer.length() - 1) : answer;
        int cut = text.lastIndexOf('\n');
        String last = text.substring(cut + 1);
        Matcher m = STATUS.matcher(last);
        if (!m.matches()) {
            throw new IOException("the runtime closed the connection without a status line; it answered: "
                    + abbreviate(answer));
        }
        String output = cut < 0 ? "" : text.substring(0, cut + 1);
        String failure = m.group(1).equals("0") ? null : m.group(2) == null ? "the command failed" : m.group(2);
        return new Reply(output, failure);
    }

    static String abbreviate(String s) {
        String one = s.strip().replaceAll("\\s*\\n\\s*", " | ");
        return one.length() <= 300 ? one : one.substring(0, 300) + "...";
    }
}
