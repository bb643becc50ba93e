package p3.shell.internal;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
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

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Gogo behind a line protocol on a Unix domain socket: one command line per connection.
 *
 * <pre>
 * client:  CMD '\n'                       UTF-8, at most maxLineBytes before the '\n' (a '\r' before it is dropped)
 * server:  what CMD printed, then its formatted result, if any
 *          "%%p3-status 0" '\n'            CMD succeeded
 *          "%%p3-status 1 " message '\n'   CMD threw or returned an exception, or the connection was rejected
 *          and closes the connection
 * </pre>
 *
 * The status line always starts a line of its own. A line that is empty or too long, or that does
 * not arrive within readTimeoutMs, is rejected with a status 1; a client that leaves before a whole
 * line is rejected without a reply. Rejections are counted, logged at a bounded rate
 * ({@link RejectionLog}), and never stop the server.
 *
 * <p>Who may connect: the socket is the runtime user's alone ({@link ShellSocket}: folder and socket
 * owner-only), which is the gate. Where the platform tells the peer's credentials (Linux:
 * {@code SO_PEERCRED}), a peer that is neither the runtime's user nor root is refused as well
 * (defence in depth, should the socket's permissions ever be loosened), and the peer's user name
 * goes into the session's origin, which the audit log records.
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
    private static final int DRAIN_LIMIT = 64 << 10;
    private static final int DRAIN_TIMEOUT_MS = 500;

    private final CommandProcessor processor;
    private final Limits limits;
    /** The path as it was given (relative to the working folder, or absolute): for logs and the origin. */
    private final String shown;
    private final ShellSocket socket;
    private final ThreadPoolExecutor sessions;
    private final Thread acceptor;
    private final Set<SocketChannel> clients = ConcurrentHashMap.newKeySet();
    private final AtomicLong executed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final RejectionLog rejections = new RejectionLog(System::nanoTime,
            line -> LOG.log(WARNING, "p3.shell: {0}", line));
    private volatile boolean closed;

    /** Listens on the Unix domain socket {@code path} (see {@link ShellSocket}) and starts accepting. */
    ShellServer(CommandProcessor processor, Path path, Limits limits) throws IOException {
        this.processor = processor;
        this.limits = limits;
        this.shown = path.toString();
        this.socket = ShellSocket.open(path);
        AtomicInteger threads = new AtomicInteger();
        this.sessions = new ThreadPoolExecutor(0, limits.maxSessions(), 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> daemon(r, "p3-shell-" + threads.incrementAndGet()));
        this.acceptor = daemon(this::acceptLoop, "p3-shell-accept");
        acceptor.start();
        LOG.log(INFO, () -> "p3.shell: remote shell listening on " + socket.file + " (for " + socket.owner.getName()
                + " alone)");
    }

    /** The socket's absolute path. */
    Path path() {
        return socket.file;
    }

    Counts counts() {
        return new Counts(executed.get(), failed.get(), rejected.get());
    }

    /** Stops listening, removes the socket, ends running commands and closes their connections. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            LOG.log(WARNING, () -> "p3.shell: closing " + socket.file + " failed: " + e);
        }
        sessions.shutdownNow();
        clients.forEach(ShellServer::closeQuietly);
        try {
            acceptor.join(2_000);
            sessions.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        rejections.flush();
        Counts c = counts();
        LOG.log(INFO, () -> "p3.shell: remote shell on " + socket.file + " closed after " + c.executed()
                + " commands (" + c.failed() + " failed), " + c.rejected() + " connections rejected");
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel client;
            try {
                client = socket.channel.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                LOG.log(WARNING, () -> "p3.shell: accept on " + socket.file + " failed: " + e);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // e.g. out of file descriptors: do not spin
                continue;
            }
            clients.add(client);
            try {
                sessions.execute(() -> serve(client));
            } catch (RejectedExecutionException e) {
                if (!closed) {
                    busy(client);
                }
                closeQuietly(client);
                clients.remove(client);
            }
        }
    }

    /**
     * Turns a connection away when maxSessions commands run: a reply, written without waiting (on the
     * acceptor's thread), after reading what the client has sent so far, so that closing does not
     * reset the connection before the client reads the reply (the client tolerates one that does).
     */
    private void busy(SocketChannel client) {
        String why = "busy: " + limits.maxSessions() + " commands are running";
        reject(Peer.of(client, socket), why);
        try {
            client.configureBlocking(false);
            client.read(ByteBuffer.allocate(limits.maxLineBytes() + 2));
            client.write(ByteBuffer.wrap((STATUS + " 1 " + why + "\n").getBytes(UTF_8)));
        } catch (IOException gone) {
            // the client left as well; the rejection is counted
        }
    }

    private void serve(SocketChannel client) {
        Peer peer = Peer.of(client, socket);
        try (Connection c = new Connection(client)) {
            String line;
            try {
                if (!peer.allowed()) {
                    throw new BadLine("refused: user " + peer.user() + " is neither the runtime's user ("
                            + socket.owner.getName() + ") nor root", true);
                }
                line = readLine(c);
            } catch (BadLine bad) {
                reject(peer, bad.getMessage());
                if (bad.reply) {
                    new Reply(c.output()).status(bad.getMessage());
                    client.shutdownOutput();
                    c.drain();
                }
                return;
            }
            execute(line, c.output(), "shell " + shown + " (user " + (peer.user() == null ? "not known" : peer.user())
                    + ")");
        } catch (IOException e) {
            if (!closed) {
                reject(peer, "client gone (" + e.getMessage() + ")");
            }
        } finally {
            clients.remove(client);
        }
    }

    private String readLine(Connection c) throws IOException, BadLine {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limits.readTimeoutMs());
        ByteBuffer buffer = ByteBuffer.allocate(512);
        try {
            while (true) {
                buffer.clear();
                if (c.read(buffer, deadline) < 0) {
                    throw new BadLine(line.size() == 0 ? "client left without a command line"
                            : "client left in the middle of a command line", false);
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    if (b == '\n') {
                        return check(line.toString(UTF_8)); // what follows the line is ignored
                    }
                    if (line.size() == limits.maxLineBytes()) {
                        throw new BadLine("command line longer than " + limits.maxLineBytes() + " bytes", true);
                    }
                    line.write(b);
                }
            }
        } catch (SocketTimeoutException e) {
            throw new BadLine("no command line within " + limits.readTimeoutMs() + " ms", true);
        }
    }

    private static String check(String line) throws BadLine {
        String s = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        if (s.isBlank()) {
            throw new BadLine("empty command line", true);
        }
        return s;
    }

    /** @param origin where the command came from: the session variable {@value #ORIGIN}, which the audit log records */
    private void execute(String line, OutputStream client, String origin) throws IOException {
        Reply reply = new Reply(new BufferedOutputStream(client));
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

    private void reject(Peer peer, String why) {
        long n = rejected.incrementAndGet();
        rejections.rejected("a connection of " + (peer.user() == null ? "an unknown user" : "user " + peer.user())
                + " on " + socket.file + ": " + why, n);
    }

    /** One line, whatever the exception held: the status line must stay a single line. */
    static String describe(Throwable t) {
        String m = t.getMessage();
        String s = m == null || m.isBlank() ? t.getClass().getName() : m;
        return s.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void closeQuietly(SocketChannel s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /**
     * Who is at the other end, as the kernel says ({@code SO_PEERCRED}).
     *
     * @param user    the user's name, null where the platform does not tell
     * @param allowed the runtime's user or root; true when not known (the socket's permissions decide then)
     */
    record Peer(String user, boolean allowed) {
        static Peer of(SocketChannel client, ShellSocket socket) {
            try {
                if (client.supportedOptions().contains(ExtendedSocketOptions.SO_PEERCRED)) {
                    UnixDomainPrincipal p = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
                    UserPrincipal u = p.user();
                    return new Peer(u.getName(), socket.allowed(u));
                }
            } catch (IOException | UnsupportedOperationException e) {
                // not told: the file permissions alone decide
            }
            return new Peer(null, true);
        }
    }

    /**
     * One client's channel, non-blocking behind a selector of its own so that a read has a deadline
     * and {@link #close()} of the server (which interrupts the session's thread) ends any wait. Not
     * shared: one session thread uses it.
     */
    private final class Connection implements AutoCloseable {
        private final SocketChannel channel;
        private final Selector selector;
        private final SelectionKey key;
        private final OutputStream output = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Connection.this.write(ByteBuffer.wrap(b, off, len));
            }
        };

        Connection(SocketChannel channel) throws IOException {
            this.channel = channel;
            this.selector = Selector.open();
            try {
                channel.configureBlocking(false);
                this.key = channel.register(selector, 0);
            } catch (IOException e) {
                selector.close();
                throw e;
            }
        }

        OutputStream output() {
            return output;
        }

        /** @return bytes read, or -1 at the end of the stream */
        int read(ByteBuffer buffer, long deadline) throws IOException {
            key.interestOps(SelectionKey.OP_READ);
            while (true) {
                int n = channel.read(buffer);
                if (n != 0) {
                    return n;
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new SocketTimeoutException();
                }
                await(left);
            }
        }

        void write(ByteBuffer buffer) throws IOException {
            key.interestOps(SelectionKey.OP_WRITE);
            while (buffer.hasRemaining()) {
                if (channel.write(buffer) == 0) {
                    await(0); // a client that reads slowly is waited for, as long as the server runs
                }
            }
        }

        /** Reads what a rejected client still sends, so that it gets the reply rather than a reset. Bounded. */
        void drain() {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MS);
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            try {
                for (int drained = 0; drained < DRAIN_LIMIT;) {
                    buffer.clear();
                    int n = read(buffer, deadline);
                    if (n < 0) {
                        return;
                    }
                    drained += n;
                }
            } catch (IOException e) {
                // timeout or reset: done either way
            }
        }

        private void await(long millis) throws IOException {
            selector.select(millis);
            selector.selectedKeys().clear();
            if (closed || Thread.currentThread().isInterrupted()) {
                throw new ClosedChannelException();
            }
        }

        @Override
        public void close() throws IOException {
            try {
                selector.close();
            } finally {
                channel.close();
            }
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
