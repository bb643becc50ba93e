package p3.bench.mesh;

import java.io.PrintWriter;
import java.util.Locale;

/** The terminal's progress line: run k of n, what it is, where it stands, elapsed. */
final class Progress {
    private final PrintWriter err;
    private final String head;
    private final long runStart;
    private final long benchStart;
    private final boolean tty = System.console() != null;
    private long lastShown;

    Progress(PrintWriter err, String head, long runStart, long benchStart) {
        this.err = err;
        this.head = head;
        this.runStart = runStart;
        this.benchStart = benchStart;
        if (!tty) {
            err.println(head);
            err.flush();
        }
    }

    void show(String phase) {
        long now = System.nanoTime();
        if (!tty || now - lastShown < 500_000_000L) {
            return;
        }
        lastShown = now;
        err.printf(Locale.ROOT, "\r%s  %-9s %3.0fs (bench %.0fs)   ", head, phase, (now - runStart) / 1e9,
                (now - benchStart) / 1e9);
        err.flush();
    }

    void done(String what) {
        err.printf(Locale.ROOT, "%s%s  %.0fs: %s%n", tty ? "\r" : "  ", tty ? head : "",
                (System.nanoTime() - runStart) / 1e9, what);
        err.flush();
    }
}
