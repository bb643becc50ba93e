package p3.shell;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client of the remote shell ({@code p3.shell.internal.ShellServer}): sends one command line
 * to a runtime's Unix domain socket, streams the output to standard output, and exits with the
 * command's status. What {@code ./p3 shell 'CMD'} runs, since bash cannot open a Unix socket:
 *
 * <pre>
 * java -cp p3.shell.jar p3.shell.ShellClient [--timeout SECONDS] SOCKET 'COMMAND LINE'
 * </pre>
 *
 * Exit status: 0 the command succeeded; 1 it failed (the runtime's message on standard error);
 * 2 wrong arguments; 3 nothing to connect to (no socket, nobody listens, or no permission: the
 * reason on standard error); 4 the runtime closed the connection without a status line, or sent
 * nothing for SECONDS (default 300). Needs nothing but the JDK; not part of the bundle's API.
 */
public final class ShellClient {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int NO_RUNTIME = 3;
    public static final int NO_STATUS = 4;

    private static final Pattern STATUS = Pattern.compile("%%p3-status ([01])(?: (.*))?");
    private static final long DEFAULT_TIMEOUT_SECONDS = 300;

    private ShellClient() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false);
        System.exit(run(args, out, System.err));
    }

    /** Everything {@link #main} does but the exit: the status is returned, the output goes to {@code out}. */
    public static int run(String[] args, OutputStream out, PrintStream err) {
        long timeout = DEFAULT_TIMEOUT_SECONDS;
        int i = 0;
        if (args.length > 0 && args[0].equals("--timeout")) {
            if (args.length < 2 || !args[1].matches("[0-9]{1,9}") || Long.parseLong(args[1]) == 0) {
                err.println("--timeout needs a positive number of seconds");
                return USAGE;
            }
            timeout = Long.parseLong(args[1]);
            i = 2;
        }
        if (args.length - i != 2 || args[i + 1].isBlank()) {
            err.println("usage: java -cp p3.shell.jar p3.shell.ShellClient [--timeout SECONDS] SOCKET 'COMMAND LINE'");
            return USAGE;
        }
        if (args[i + 1].indexOf('\n') >= 0) {
            err.println("the command line must be a single line");
            return USAGE;
        }
        return send(Path.of(args[i]), args[i + 1], TimeUnit.SECONDS.toMillis(timeout), out, err);
    }

    /**
     * @param timeoutMs how long the runtime may stay silent while the command runs
     * @return the exit status
     */
    static int send(Path socket, String command, long timeoutMs, OutputStream out, PrintStream err) {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException | UnsupportedOperationException e) {
            err.println("cannot connect to " + socket + ": " + e.getMessage());
            return NO_RUNTIME;
        }
        try (channel; Selector selector = Selector.open()) {
            ByteBuffer line = ByteBuffer.wrap((command + "\n").getBytes(UTF_8));
            try {
                while (line.hasRemaining()) {
                    channel.write(line); // blocking: a line is small, the server reads it at once
                }
            } catch (IOException e) {
                // the runtime turned the connection away before the line went: its reason is there to read
            }
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            Lines lines = new Lines(out);
            // the runtime may close before it read all we sent (a rejection): the reset that follows the
            // status line does not make the answer incomplete
            IOException broken = read(channel, selector, lines, timeoutMs);
            String last = lines.finish();
            out.flush();
            Matcher m = last == null ? null : STATUS.matcher(last);
            if (m == null || !m.matches()) {
                err.println(broken instanceof SocketTimeoutException ? "no answer from " + socket + " for "
                        + timeoutMs / 1000 + " s"
                        : broken != null ? "the connection to " + socket + " failed: " + broken.getMessage()
                                : "the runtime on " + socket + " closed the connection without a status");
                return NO_STATUS;
            }
            if (m.group(1).equals("0")) {
                return OK;
            }
            err.println(m.group(2) == null ? "the command failed" : m.group(2));
            return FAILED;
        } catch (IOException e) {
            err.println("the connection to " + socket + " failed: " + e.getMessage());
            return NO_STATUS;
        }
    }

    /** Reads the answer to its end; returns what broke it first, null when the runtime closed the connection. */
    private static IOException read(SocketChannel channel, Selector selector, Lines lines, long timeoutMs) {
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        try {
            while (true) {
                buffer.clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    return null;
                }
                if (n == 0) {
                    if (selector.select(timeoutMs) == 0) {
                        return new SocketTimeoutException();
                    }
                    selector.selectedKeys().clear();
                    continue;
                }
                lines.accept(buffer.array(), buffer.position());
            }
        } catch (IOException e) {
            return e;
        }
    }

    /**
     * Passes the output on as it comes, holding back its last line, which is the status line when
     * the runtime closes the connection.
     */
    private static final class Lines {
        /** Longer than any status line. */
        private static final int LONGEST_HELD = 64 << 10;
        private final OutputStream out;
        private final ByteArrayOutputStream held = new ByteArrayOutputStream();
        /** The held bytes end with a '\n': a complete line, printed once anything follows it. */
        private boolean complete;

        Lines(OutputStream out) {
            this.out = out;
        }

        void accept(byte[] bytes, int length) throws IOException {
            for (int i = 0; i < length; i++) {
                if (complete) {
                    held.writeTo(out);
                    held.reset();
                    complete = false;
                }
                held.write(bytes[i]);
                complete = bytes[i] == '\n';
                if (!complete && held.size() >= LONGEST_HELD) {
                    held.writeTo(out); // a long line is no status line: no need to hold it
                    held.reset();
                }
            }
            out.flush();
        }

        /** @return the last line, without its '\n'; null when nothing came */
        String finish() throws IOException {
            if (held.size() == 0) {
                return null;
            }
            String last = held.toString(UTF_8);
            last = last.endsWith("\n") ? last.substring(0, last.length() - 1) : last;
            if (!STATUS.matcher(last).matches()) {
                held.writeTo(out);
            }
            return last;
        }
    }
}
