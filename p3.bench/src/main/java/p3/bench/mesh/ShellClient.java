package p3.bench.mesh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One command line through a runtime's remote Gogo shell (module p3.shell) on 127.0.0.1: the
 * client sends the line, the runtime answers with what the command printed and its result, then a
 * status line {@code %%p3-status 0} or {@code %%p3-status 1 MESSAGE}, and closes the connection.
 */
final class ShellClient {

    private static final Pattern STATUS = Pattern.compile("%%p3-status ([01])(?: (.*))?");
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

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
     * @param timeout for the connection, and for each read of the answer
     * @throws IOException when nothing listens, or the runtime closed the connection without a status
     */
    static Reply run(int port, String command, Duration timeout) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(LOOPBACK, port), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            OutputStream out = s.getOutputStream();
            out.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
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
