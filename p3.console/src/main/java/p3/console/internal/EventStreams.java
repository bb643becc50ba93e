package p3.console.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.servlet.AsyncContext;
import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.ServletOutputStream;

import p3.report.base.RateLimitedLog;

/**
 * The pages that follow the mesh live, as server-sent events: each open stream gets every event the
 * sampling thread sends. At most {@code max} at once; a client that cannot be written to is dropped.
 * Events are small (a few KB every half second), so the blocking writes of the sampling thread
 * go to the sockets' buffers.
 */
final class EventStreams {

    private static final Logger LOG = System.getLogger(EventStreams.class.getName());

    private final int max;
    private final ConsoleCounters counters;
    private final List<AsyncContext> open = new CopyOnWriteArrayList<>();
    private final RateLimitedLog refusals = new RateLimitedLog(LOG, 10_000);

    EventStreams(int max, ConsoleCounters counters) {
        this.max = max;
        this.counters = counters;
    }

    /** @return whether the stream was taken; false when too many are open (counted and logged) */
    boolean add(AsyncContext stream, String firstEvent) {
        if (open.size() >= max) {
            long n = counters.streamsRefused.incrementAndGet();
            refusals.log(Level.WARNING, () -> "p3 console: an event stream turned away, " + max
                    + " are open (" + n + " turned away so far)");
            return false;
        }
        stream.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                open.remove(stream);
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                open.remove(stream);
            }

            @Override
            public void onError(AsyncEvent event) {
                open.remove(stream);
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                // one start per stream
            }
        });
        if (send(stream, firstEvent)) {
            open.add(stream);
        }
        return true;
    }

    /** Sends one event ({@code event: NAME} and {@code data: JSON}) to every open stream. */
    void broadcast(String event) {
        for (AsyncContext s : open) {
            if (!send(s, event)) {
                open.remove(s);
            }
        }
    }

    int size() {
        return open.size();
    }

    /** Ends every stream: the console stops. */
    void closeAll() {
        for (AsyncContext s : open) {
            complete(s);
        }
        open.clear();
    }

    static String event(String name, String json) {
        return "event: " + name + "\ndata: " + json + "\n\n";
    }

    private boolean send(AsyncContext s, String event) {
        try {
            synchronized (s) {
                ServletOutputStream out = s.getResponse().getOutputStream();
                out.write(event.getBytes(UTF_8));
                out.flush();
            }
            return true;
        } catch (IOException | RuntimeException e) {
            long n = counters.streamsDropped.incrementAndGet();
            refusals.log(Level.INFO, () -> "p3 console: an event stream dropped (" + e + "; " + n + " so far)");
            complete(s);
            return false;
        }
    }

    private static void complete(AsyncContext s) {
        try {
            s.complete();
        } catch (RuntimeException e) {
            // already completed by the container
        }
    }
}
