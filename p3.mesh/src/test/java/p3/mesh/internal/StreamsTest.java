package p3.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import p3.transport.Frame;
import p3.transport.TrafficClass;

/** A sensor's streams on their own pacing thread: the lease, and stops that a renewal must not undo. */
class StreamsTest {

    static final long LEASE_MS = 200;

    final ScheduledThreadPoolExecutor pacing = new ScheduledThreadPoolExecutor(1);
    final List<Frame> sent = new CopyOnWriteArrayList<>();
    final List<Control> reports = new CopyOnWriteArrayList<>();
    final Streams streams = new Streams(new Streams.Mesh() {
        @Override
        public String id() {
            return "sensor1";
        }

        @Override
        public String cell() {
            return "01";
        }

        @Override
        public boolean send(Frame frame) {
            sent.add(frame);
            return true;
        }

        @Override
        public void sendControl(String peer, String cell, Control c) {
            reports.add(c);
        }
    }, pacing, TimeUnit.MILLISECONDS.toNanos(LEASE_MS));

    @AfterEach
    void stop() throws InterruptedException {
        pacing.shutdownNow();
        assertThat(pacing.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aStreamWhoseLeaseEndsStopsAndAskingAgainRestartsItWithItsNumbering() {
        streams.added(TrafficClass.EVENT, InProcessMesh.service("event", 200, 16, false));
        streams.subscribe("client", "0", TrafficClass.EVENT, true);
        await().atMost(Duration.ofSeconds(5)).until(() -> streams.running() == 1 && !sent.isEmpty());

        // not asked again: the next report round (every second) finds the lease over
        await().atMost(Duration.ofSeconds(5)).until(() -> streams.running() == 0);
        assertThat(streams.leasesEnded.sum()).isEqualTo(1);
        long last = sent.get(sent.size() - 1).sequence();

        streams.subscribe("client", "0", TrafficClass.EVENT, true);
        await().atMost(Duration.ofSeconds(5)).until(() -> sent.get(sent.size() - 1).sequence() > last);
        assertThat(sent.stream().mapToLong(Frame::sequence).filter(s -> s == last + 1).count())
                .as("the numbering goes on, so that the client counts the gap as lost").isEqualTo(1);
    }

    @Test
    void aRenewalDoesNotRestartAStreamStoppedOnPurpose() {
        streams.added(TrafficClass.EVENT, InProcessMesh.service("event", 200, 16, false));
        streams.subscribe("client", "0", TrafficClass.EVENT, true);
        await().atMost(Duration.ofSeconds(5)).until(() -> !sent.isEmpty());

        streams.stopAll();
        await().atMost(Duration.ofSeconds(5)).until(() -> streams.running() == 0
                && reports.stream().anyMatch(c -> c.kind() == Control.Kind.SOURCE_STATS));
        // the client goes on renewing, well within the lease
        await().during(Duration.ofMillis(3 * LEASE_MS)).atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> renewed() && streams.running() == 0);

        // its class loaded again: the stream resumes
        streams.added(TrafficClass.EVENT, InProcessMesh.service("event", 200, 16, false));
        await().atMost(Duration.ofSeconds(5)).until(() -> streams.running() == 1);
    }

    /**
     * A count travels without custody, like any control message: the one sent when the sources
     * stopped was lost once on a path being rebuilt, and the client never learnt the last count
     * (seen in CI). So it goes again every second while the client asks.
     */
    @Test
    void aStoppedStreamsCountGoesOnWhileItsClientAsksAndEndsWithItsLease() {
        streams.added(TrafficClass.EVENT, InProcessMesh.service("event", 200, 16, false));
        streams.subscribe("client", "0", TrafficClass.EVENT, true);
        await().atMost(Duration.ofSeconds(5)).until(() -> !sent.isEmpty());
        streams.stopAll();
        await().atMost(Duration.ofSeconds(5)).until(() -> stats() == 1);
        long count = reports.get(0).id();

        // the report round comes every second; the client renews well within the 200 ms lease meanwhile
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> renewed() && stats() >= 2);
        assertThat(streams.running()).as("a renewal does not restart it").isZero();
        assertThat(reports.stream().filter(c -> c.kind() == Control.Kind.SOURCE_STATS).mapToLong(Control::id))
                .as("the same count again").containsOnly(count);

        // the client stops asking: its lease ends, and with it the counts
        await().atMost(Duration.ofSeconds(5)).until(() -> streams.describeSources().get(0).contains("expired"));
        assertThat(streams.leasesEnded.sum()).as("a stopped stream's lease ends without stopping anything").isZero();
    }

    /** The client's renewal, as every third of a lease. @return true */
    private boolean renewed() {
        streams.subscribe("client", "0", TrafficClass.EVENT, true);
        return true;
    }

    private long stats() {
        return reports.stream().filter(c -> c.kind() == Control.Kind.SOURCE_STATS).count();
    }

    /** A client that asks from another cell (it moved, or first asked while between parents) is streamed to there. */
    @Test
    void aRenewalMovesTheStreamToWhereItsClientAsksFrom() {
        streams.added(TrafficClass.EVENT, InProcessMesh.service("event", 200, 16, false));
        streams.subscribe("client", "0", TrafficClass.EVENT, true);
        await().atMost(Duration.ofSeconds(5)).until(() -> !sent.isEmpty());

        streams.subscribe("client", "01", TrafficClass.EVENT, true);
        await().atMost(Duration.ofSeconds(5)).until(() -> sent.get(sent.size() - 1).targetCell().equals("01"));
        assertThat(streams.running()).as("the same stream, not a second one").isEqualTo(1);
    }
}
