package p3.shell.internal;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;

/**
 * Gogo behind a line protocol on 127.0.0.1: one command line per connection.
 *
 * <pre>
 * client:  CMD '\n'                       UTF-8, at most maxLineBytes before the '\n' (a '\r' before it is dropped)
 * server:  what CMD printed, then its formatted result, if any
 *          "%%p3-status 0" '\n'            CMD succeeded
 *          "%%p3-status 1 " message '\n'   CMD threw or returned an exception, or the line was rejected
 *          and closes the connection
 * </pre>
 *
 * The status line always starts a line of its own. A line that is empty or too long, or that does
 * not arrive within readTimeoutMs, is rejected with a status 1; a client that leaves before a whole
 * line is rejected without a reply. Rejections are logged and counted, and never stop the server.
 * Anyone on the host may connect; nobody from outside it can.
 */
final class ShellServer implements AutoCloseable {

    static final String STATUS = "%%p3-status";
    /** The session variable that says where a command came from (p3.mesh.shell's audit log reads it). */
    static final String ORIGIN = "p3.origin";

    /** Limits of one server, checked by the caller. */
    record Limits(int maxLineBytes, int readTimeoutMs, int maxSessions) {}

    /** A snapshot of the counters. */
    record Counts(long executed, long failed, long rejected) {}

    private static final Logger LOG = System.getLogger(ShellServer.class.getName());
    private static final InetAddress LOOPBACK = loopback();
    private static final int BACKLOG = 16;
    private static final int DRAIN_LIMIT = 64 << 10;
    private static final int DRAIN_TIMEOUT_MS = 500;

    private final CommandProcessor processor;
    private final Limits limits;
    private final ServerSocket server;
    private final ThreadPoolExecutor sessions;
    private final Thread acceptor;
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    private final AtomicLong executed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile boolean closed;

    /** Listens on 127.0.0.1:{@code port} (0 picks a free port) and starts accepting. */
    ShellServer(CommandProcessor processor, int port, Limits limits) throws IOException {
        this.processor = processor;
        this.limits = limits;
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(LOOPBACK, port), BACKLOG);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        this.server = s;
        AtomicInteger threads = new AtomicInteger();
        this.sessions = new ThreadPoolExecutor(0, limits.maxSessions(), 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> daemon(r, "p3-shell-" + threads.incrementAndGet()));
        this.acceptor = daemon(this::acceptLoop, "p3-shell-accept");
        acceptor.start();
        LOG.log(INFO, () -> "p3.shell: remote shell listening on " + address());
    }

    String address() {
        return LOOPBACK.getHostAddress() + ":" + port();
    }

    int port() {
        return server.getLocalPort();
    }

    Counts counts() {
        return new Counts(executed.get(), failed.get(), rejected.get());
    }

    /** Stops listening, ends running commands and closes their connections. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            LOG.log(WARNING, () -> "p3.shell: closing " + address() + " failed: " + e);
        }
        sessions.shutdownNow();
        clients.forEach(ShellServer::closeQuietly);
        try {
            acceptor.join(2_000);
            sessions.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Counts c = counts();
        LOG.log(INFO, () -> "p3.shell: remote shell on " + address() + " closed after " + c.executed() + " commands ("
                + c.failed() + " failed), " + c.rejected() + " connections rejected");
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                LOG.log(WARNING, () -> "p3.shell: accept on " + address() + " failed: " + e);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // e.g. out of file descriptors: do not spin
                continue;
            }
            clients.add(client);
            try {
                sessions.execute(() -> serve(client));
            } catch (RejectedExecutionException e) {
                if (!closed) {
                    String why = "busy: " + limits.maxSessions() + " commands are running";
                    reject(client, why);
                    try {
                        new Reply(client.getOutputStream()).status(why);
                    } catch (IOException gone) {
                        // the client left as well; the rejection is counted
                    }
                }
                closeQuietly(client);
                clients.remove(client);
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            client.setSoTimeout(limits.readTimeoutMs());
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            String line;
            try {
                line = readLine(in);
            } catch (BadLine bad) {
                reject(client, bad.getMessage());
                if (bad.reply) {
                    new Reply(out).status(bad.getMessage());
                    client.shutdownOutput();
                    client.setSoTimeout(DRAIN_TIMEOUT_MS);
                    drain(in);
                }
                return;
            }
            execute(line, out, "remote shell " + client.getRemoteSocketAddress());
        } catch (IOException e) {
            if (!closed) {
                reject(client, "client gone (" + e.getMessage() + ")");
            }
        } finally {
            clients.remove(client);
        }
    }

    private String readLine(InputStream in) throws IOException, BadLine {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        try {
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new BadLine(line.size() == 0 ? "client left without a command line"
                            : "client left in the middle of a command line", false);
                }
                if (line.size() == limits.maxLineBytes()) {
                    throw new BadLine("command line longer than " + limits.maxLineBytes() + " bytes", true);
                }
                line.write(b);
            }
        } catch (SocketTimeoutException e) {
            throw new BadLine("no command line within " + limits.readTimeoutMs() + " ms", true);
        }
        String s = line.toString(UTF_8);
        if (s.endsWith("\r")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.isBlank()) {
            throw new BadLine("empty command line", true);
        }
        return s;
    }

    /** @param origin where the command came from: the session variable {@value #ORIGIN}, which the audit log records */
    private void execute(String line, OutputStream socket, String origin) throws IOException {
        Reply reply = new Reply(new BufferedOutputStream(socket));
        String failure = null;
        try (CommandSession session = processor.createSession(InputStream.nullInputStream(), reply, reply)) {
            session.put(ORIGIN, origin);
            Object result = session.execute(line);
            if (result instanceof Throwable t) {
                failure = describe(t);
            } else if (result != null) {
                reply.write(String.valueOf(session.format(result, Converter.INSPECT)).getBytes(UTF_8));
            }
        } catch (Exception e) {
            failure = describe(e);
        }
        executed.incrementAndGet();
        if (failure != null) {
            failed.incrementAndGet();
        }
        reply.status(failure);
    }

    private void reject(Socket client, String why) {
        long n = rejected.incrementAndGet();
        LOG.log(WARNING, () -> "p3.shell: rejected " + client.getRemoteSocketAddress() + ": " + why + " (" + n
                + " rejected so far)");
    }

    /** Reads what a rejected client still sends, so that it gets the reply rather than a reset. Bounded. */
    private static void drain(InputStream in) {
        try {
            for (int skipped = 0; skipped < DRAIN_LIMIT && in.read() >= 0; skipped++) {
                // discard
            }
        } catch (IOException e) {
            // timeout or reset: done either way
        }
    }

    /** One line, whatever the exception held: the status line must stay a single line. */
    static String describe(Throwable t) {
        String m = t.getMessage();
        String s = m == null || m.isBlank() ? t.getClass().getName() : m;
        return s.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new AssertionError("an IPv4 address has 4 bytes", e);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** A line that is not executed; {@code reply} when the client is still there to read why. */
    private static final class BadLine extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean reply;

        BadLine(String message, boolean reply) {
            super(message, null, false, false);
            this.reply = reply;
        }
    }

    /**
     * The reply to one client: the command's output and error streams, then the status line. Remembers
     * the last byte so that the status starts a line. Not shared between connections.
     */
    private static final class Reply extends OutputStream {
        private final OutputStream out;
        private int last = '\n';

        Reply(OutputStream out) {
            this.out = out;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            out.write(b);
            last = b;
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (len > 0) {
                out.write(b, off, len);
                last = b[off + len - 1];
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            out.flush();
        }

        /** Flushes only: the session must not close the socket before the status is written. */
        @Override
        public void close() throws IOException {
            flush();
        }

        synchronized void status(String failure) throws IOException {
            if (last != '\n') {
                write('\n');
            }
            String status = failure == null ? STATUS + " 0\n" : STATUS + " 1 " + failure + "\n";
            write(status.getBytes(UTF_8));
            flush();
        }
    }
}
