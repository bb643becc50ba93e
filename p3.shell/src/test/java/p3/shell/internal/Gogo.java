package p3.shell.internal;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;

/** The real Gogo runtime outside OSGi, with the test commands of scope {@code t}. */
final class Gogo implements AutoCloseable {

    /** Commands of scope {@code t}. Public: Gogo calls them by reflection. */
    public static final class Commands {
        /** {@link #block} waits on it; the test releases it. */
        final CountDownLatch release = new CountDownLatch(1);
        /** Counted down each time {@link #block} starts. */
        final CountDownLatch blocked;

        Commands(int blockers) {
            blocked = new CountDownLatch(blockers);
        }

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

        public Object origin(CommandSession session) {
            return session.get(ShellServer.ORIGIN);
        }

        public String block() throws InterruptedException {
            blocked.countDown();
            return release.await(10, TimeUnit.SECONDS) ? "released" : "not released";
        }
    }

    /**
     * The JVM's own streams, as they were before any Gogo of these tests. A session that outlives
     * its Gogo's close (a command interrupted while the server closed, say) puts Gogo's thread
     * stream back into {@code System.out} when it ends ({@code ThreadIOImpl.checkIO}); the next
     * Gogo would then refuse to start ("Thread Print Stream already set"), so each one starts from these.
     */
    private static final InputStream IN = System.in;
    private static final PrintStream OUT = System.out;
    private static final PrintStream ERR = System.err;

    final ThreadIOImpl threadIO;
    final CommandProcessorImpl processor;
    final Commands commands;

    Gogo(int blockers) {
        System.setIn(IN);
        System.setOut(OUT);
        System.setErr(ERR);
        threadIO = new ThreadIOImpl();
        threadIO.start();
        processor = new CommandProcessorImpl(threadIO);
        commands = new Commands(blockers);
        processor.addCommand("t", commands);
    }

    @Override
    public void close() {
        commands.release.countDown();
        processor.stop();
        threadIO.stop();
    }
}
