package p3.console.internal;

import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import p3.mesh.ClassStats;
import p3.mesh.FailureRecord;
import p3.mesh.FtCounters;
import p3.mesh.MeshPeer;
import p3.mesh.PeerCounters;
import p3.mesh.PeerRole;
import p3.mesh.PeerState;
import p3.mesh.RebindKind;
import p3.mesh.StrandStats;
import p3.report.base.Figures;
import p3.report.base.Jvm;
import p3.transport.Rejection;
import p3.transport.TransportStats;

/**
 * {@code /metrics}: per class at each client of this runtime, per peer of this runtime, the
 * transport's links, the console itself, and the JVM. Prometheus scrapes each runtime for its own
 * peers. Latencies are in seconds, as Prometheus names them.
 */
final class Metrics {

    private static final String C = "counter";
    private static final String G = "gauge";

    static final PromText.Family SENT = new PromText.Family("p3_class_sent_reported_frames_total", C,
            "Per class at a client: " + Figures.SENT_REPORTED);
    static final PromText.Family RECEIVED = new PromText.Family("p3_class_received_frames_total", C,
            "Per class at a client: " + Figures.RECEIVED);
    static final PromText.Family LOST = new PromText.Family("p3_class_lost_frames", G,
            "Per class at a client: " + Figures.LOST);
    static final PromText.Family DUPLICATES = new PromText.Family("p3_class_duplicate_frames_total", C,
            "Per class at a client: " + Figures.DUPLICATES);
    static final PromText.Family LATE = new PromText.Family("p3_class_late_frames_total", C,
            "Per class at a client: " + Figures.LATE);
    static final PromText.Family CORRUPT = new PromText.Family("p3_class_corrupt_frames_total", C,
            "Per class at a client: " + Figures.CORRUPT);
    static final PromText.Family LATENCY = new PromText.Family("p3_class_latency_seconds", G,
            "Per class at a client, quantile 0.5, 0.99 and 1 (the largest): " + Figures.LATENCY);
    static final PromText.Family LATENCY_MEAN = new PromText.Family("p3_class_latency_mean_seconds", G,
            "Per class at a client, mean: " + Figures.LATENCY);
    static final PromText.Family LATENCY_SD = new PromText.Family("p3_class_latency_stddev_seconds", G,
            "Per class at a client, standard deviation (the report's jitter): " + Figures.LATENCY);

    static final PromText.Family STATE = new PromText.Family("p3_peer_state", G,
            "1 for the state a peer of this runtime is in: JOINING, BOUND, REBINDING, LEFT or CRASHED");
    static final PromText.Family BOUND = new PromText.Family("p3_peer_bound", G,
            "1 while the peer is bound (in its cell and to its parent), else 0");
    static final PromText.Family LINKS = new PromText.Family("p3_peer_links", G,
            "Links the peer has open now: up to its parents, pre-bound to a backup parent, down to its children");
    static final PromText.Family FAILURES = new PromText.Family("p3_peer_failures_detected_total", C,
            "Failures of a parent, child or cell-mate that the peer detected, by what revealed them (link or view)");
    static final PromText.Family LAST_DETECTED = new PromText.Family(
            "p3_peer_last_failure_detected_timestamp_seconds", G,
            "When the peer last detected a failure, in seconds since the epoch (absent before the first)");
    static final PromText.Family REBINDS = new PromText.Family("p3_peer_rebinds_total", C,
            "Rebinds after a parent failed, by kind: fast (another peer of the same cell) or slow (the whole join)");
    static final PromText.Family REBIND_SECONDS = new PromText.Family("p3_peer_rebind_seconds", "summary",
            "Time from detecting a parent's failure to being bound again, by kind");
    static final PromText.Family HELD = new PromText.Family("p3_peer_ft_held_messages", G,
            "FT messages in the peer's pending store now: its own and its cell-mates' replicas");
    static final PromText.Family HELD_BYTES = new PromText.Family("p3_peer_ft_held_bytes", G,
            "What the peer's pending store holds, in bytes: payloads and the store's overhead per message");
    static final PromText.Family EXPIRED = new PromText.Family("p3_peer_ft_expired_total", C,
            "Held FT messages given up unacknowledged after the subscription lease: their client was gone or cut off");
    static final PromText.Family DROPPED_AT_SOURCE = new PromText.Family("p3_peer_ft_dropped_at_source_total", C,
            "A sensor's own FT messages given up, oldest first, when its memory was full");
    static final PromText.Family RETRANSMIT_SECONDS = new PromText.Family("p3_peer_ft_retransmit_timeout_seconds", G,
            "How long an FT message sent now waits for its acknowledgement before it goes again, learned from round trips");
    static final PromText.Family STRATEGY = new PromText.Family("p3_peer_ft_strategy", G,
            "1 for the fault-tolerance strategy in use (none without a strategy bundle; memory or no memory on a"
                    + " sensor; - on a client)");
    static final PromText.Family REPLICAS = new PromText.Family("p3_peer_ft_replica_messages_total", C,
            "Replicas and checkpoints the peer sent to its cell");
    static final PromText.Family REPLICA_BYTES = new PromText.Family("p3_peer_ft_replica_bytes_total", C,
            "Bytes of replicas and checkpoints sent to the cell: the replication overhead");
    static final PromText.Family ACKED = new PromText.Family("p3_peer_ft_acknowledged_total", C,
            "Held FT messages removed by an acknowledgement");
    static final PromText.Family RESENT = new PromText.Family("p3_peer_ft_resent_total", C,
            "FT messages sent again, after a rebind or a timeout");
    static final PromText.Family TAKEN_OVER = new PromText.Family("p3_peer_ft_taken_over_total", C,
            "FT messages taken over from a failed cell-mate or a lost child cell and sent again");
    static final PromText.Family PAYLOAD_FRAMES = new PromText.Family("p3_peer_payload_frames_total", C,
            "Traffic frames the peer sent");
    static final PromText.Family PAYLOAD_BYTES = new PromText.Family("p3_peer_payload_bytes_total", C,
            "Traffic bytes the peer sent");
    static final PromText.Family CONTROL_FRAMES = new PromText.Family("p3_peer_control_frames_total", C,
            "Control frames of the mesh the peer sent (mesh overhead)");
    static final PromText.Family CONTROL_BYTES = new PromText.Family("p3_peer_control_bytes_total", C,
            "Control bytes of the mesh the peer sent (mesh overhead)");
    static final PromText.Family REJECTED = new PromText.Family("p3_peer_rejected_total", C,
            "What the peer refused or could not do, by reason: unroutable, malformed (control messages),"
                    + " strand_refused (its queue was full), strand_failed (a task threw), ft_not_held (store full: refused, held below)");
    static final PromText.Family STRAND_DEPTH = new PromText.Family("p3_peer_strand_queue_depth", G,
            "Tasks waiting on the peer's strand now");
    static final PromText.Family STALLED = new PromText.Family("p3_peer_strand_stalled", G,
            "1 when the peer's strand has had work and not turned for longer than the watchdog allows");

    static final PromText.Family T_FRAMES_SENT = new PromText.Family("p3_transport_frames_sent_total", C,
            "Frames the runtime's links sent");
    static final PromText.Family T_BYTES_SENT = new PromText.Family("p3_transport_bytes_sent_total", C,
            "Bytes the runtime's links sent");
    static final PromText.Family T_FRAMES_RECEIVED = new PromText.Family("p3_transport_frames_received_total", C,
            "Frames the runtime's links received");
    static final PromText.Family T_BYTES_RECEIVED = new PromText.Family("p3_transport_bytes_received_total", C,
            "Bytes the runtime's links received");
    static final PromText.Family T_REFUSED = new PromText.Family("p3_transport_frames_refused_total", C,
            "Frames a link refused to send because it was full or closed");
    static final PromText.Family T_OPENED = new PromText.Family("p3_transport_links_opened_total", C,
            "Links opened");
    static final PromText.Family T_CLOSED = new PromText.Family("p3_transport_links_closed_total", C,
            "Links closed");
    static final PromText.Family T_REJECTIONS = new PromText.Family("p3_transport_rejections_total", C,
            "Bad input from the network that the links refused, by reason");

    static final PromText.Family ACTIONS = new PromText.Family("p3_console_actions_total", C,
            "Actions asked of the console, by outcome: ok, failed, refused (no or a wrong operator token: 403), or"
                    + " malformed (the body is not a JSON object of at most 4 KB: 400)");
    static final PromText.Family STREAMS = new PromText.Family("p3_console_event_streams", G,
            "Pages following the mesh live now");
    static final PromText.Family STREAMS_REFUSED = new PromText.Family("p3_console_event_streams_refused_total", C,
            "Event streams turned away (too many open) or dropped (their client could not be written to), by reason");
    static final PromText.Family SAMPLE_FAILURES = new PromText.Family("p3_console_sample_failures_total", C,
            "Samples of the mesh that threw (logged; the next sample came all the same)");

    static final PromText.Family CPU = new PromText.Family("process_cpu_seconds_total", C,
            "CPU time of the runtime's JVM (all its peers), in seconds; -1 where the JDK does not tell");
    static final PromText.Family HEAP_USED = new PromText.Family("jvm_memory_heap_used_bytes", G,
            "Heap in use in the runtime's JVM");
    static final PromText.Family HEAP_MAX = new PromText.Family("jvm_memory_heap_max_bytes", G,
            "Largest heap the runtime's JVM may have (-1 when not bounded)");

    private Metrics() {
    }

    /**
     * @param transport the links' counters, or null where no transport runs
     * @param streams   event streams open now
     */
    static String write(List<MeshPeer> peers, TransportStats transport, ConsoleCounters counters, int streams) {
        PromText t = new PromText();
        for (MeshPeer p : peers) {
            if (p.role() == PeerRole.CLIENT) {
                classes(t, p);
            }
        }
        for (MeshPeer p : peers) {
            peer(t, p);
        }
        if (transport != null) {
            transport(t, transport);
        }
        t.sample(ACTIONS, counters.actionsOk.get(), "outcome", "ok");
        t.sample(ACTIONS, counters.actionsFailed.get(), "outcome", "failed");
        t.sample(ACTIONS, counters.actionsRefused.get(), "outcome", "refused");
        t.sample(ACTIONS, counters.badRequests.get(), "outcome", "malformed");
        t.sample(STREAMS, streams);
        t.sample(STREAMS_REFUSED, counters.streamsRefused.get(), "reason", "too_many");
        t.sample(STREAMS_REFUSED, counters.streamsDropped.get(), "reason", "dropped");
        t.sample(SAMPLE_FAILURES, counters.sampleFailures.get());
        t.sample(CPU, Jvm.cpuSeconds());
        MemoryUsage heap = Jvm.heap();
        t.sample(HEAP_USED, heap.getUsed());
        t.sample(HEAP_MAX, heap.getMax());
        return t.toString();
    }

    private static void classes(PromText t, MeshPeer client) {
        for (ClassStats c : client.classStats()) {
            String[] l = { "client", client.id(), "class", c.trafficClass() };
            t.sample(SENT, c.sent(), l);
            t.sample(RECEIVED, c.received(), l);
            t.sample(LOST, c.lost(), l);
            t.sample(DUPLICATES, c.duplicates(), l);
            t.sample(LATE, c.late(), l);
            t.sample(CORRUPT, c.corrupt(), l);
            t.sample(LATENCY, c.p50() / 1e3, "client", client.id(), "class", c.trafficClass(), "quantile", "0.5");
            t.sample(LATENCY, c.p99() / 1e3, "client", client.id(), "class", c.trafficClass(), "quantile", "0.99");
            t.sample(LATENCY, c.max() / 1e3, "client", client.id(), "class", c.trafficClass(), "quantile", "1");
            t.sample(LATENCY_MEAN, c.mean() / 1e3, l);
            t.sample(LATENCY_SD, c.stddev() / 1e3, l);
        }
    }

    private static void peer(PromText t, MeshPeer p) {
        String role = p.role().name().toLowerCase(Locale.ROOT);
        String[] l = { "peer", p.id(), "role", role };
        PeerState state = p.state();
        for (PeerState s : PeerState.values()) {
            t.sample(STATE, s == state ? 1 : 0, "peer", p.id(), "role", role, "state", s.name());
        }
        t.sample(BOUND, state == PeerState.BOUND ? 1 : 0, l);
        t.sample(LINKS, p.links().size(), l);

        List<FailureRecord> failures = p.failures();
        long byLink = 0;
        long lastDetected = Long.MIN_VALUE;
        long[] rebinds = new long[RebindKind.values().length];
        double[] rebindSeconds = new double[RebindKind.values().length];
        for (FailureRecord f : failures) {
            if ("link".equals(f.how())) {
                byLink++;
            }
            lastDetected = Math.max(lastDetected, f.detectedNanos());
            if (f.rebind() != null && f.boundNanos() != 0) {
                rebinds[f.rebind().ordinal()]++;
                rebindSeconds[f.rebind().ordinal()] += f.rebindMillis() / 1e3;
            }
        }
        t.sample(FAILURES, byLink, "peer", p.id(), "role", role, "how", "link");
        t.sample(FAILURES, failures.size() - byLink, "peer", p.id(), "role", role, "how", "view");
        if (lastDetected != Long.MIN_VALUE) {
            t.sample(LAST_DETECTED, epochSeconds(lastDetected), l);
        }
        for (RebindKind k : RebindKind.values()) {
            String kind = k.name().toLowerCase(Locale.ROOT);
            t.sample(REBINDS, rebinds[k.ordinal()], "peer", p.id(), "role", role, "kind", kind);
        }
        for (RebindKind k : RebindKind.values()) {
            String kind = k.name().toLowerCase(Locale.ROOT);
            t.sample(REBIND_SECONDS, "_sum", rebindSeconds[k.ordinal()], "peer", p.id(), "role", role, "kind", kind);
            t.sample(REBIND_SECONDS, "_count", rebinds[k.ordinal()], "peer", p.id(), "role", role, "kind", kind);
        }

        FtCounters f = p.ft();
        t.sample(HELD, f.held(), l);
        t.sample(STRATEGY, 1, "peer", p.id(), "role", role, "strategy", f.strategy());
        t.sample(REPLICAS, f.replicaMessages(), l);
        t.sample(REPLICA_BYTES, f.replicaBytes(), l);
        t.sample(ACKED, f.acknowledged(), l);
        t.sample(RESENT, f.resent(), l);
        t.sample(TAKEN_OVER, f.takenOver(), l);
        t.sample(HELD_BYTES, f.heldBytes(), l);
        t.sample(EXPIRED, f.expired(), l);
        t.sample(DROPPED_AT_SOURCE, f.droppedAtSource(), l);
        t.sample(RETRANSMIT_SECONDS, f.retransmitTimeoutMs() / 1000.0, l);

        PeerCounters k = p.counters();
        t.sample(PAYLOAD_FRAMES, k.payloadFrames(), l);
        t.sample(PAYLOAD_BYTES, k.payloadBytes(), l);
        t.sample(CONTROL_FRAMES, k.controlFrames(), l);
        t.sample(CONTROL_BYTES, k.controlBytes(), l);

        StrandStats s = p.strand();
        t.sample(REJECTED, k.unroutable(), "peer", p.id(), "role", role, "reason", "unroutable");
        t.sample(REJECTED, k.malformed(), "peer", p.id(), "role", role, "reason", "malformed");
        t.sample(REJECTED, k.unauthorized(), "peer", p.id(), "role", role, "reason", "unauthorized");
        t.sample(REJECTED, s.refused(), "peer", p.id(), "role", role, "reason", "strand_refused");
        t.sample(REJECTED, s.failed(), "peer", p.id(), "role", role, "reason", "strand_failed");
        t.sample(REJECTED, f.notHeld(), "peer", p.id(), "role", role, "reason", "ft_not_held");
        t.sample(STRAND_DEPTH, s.depth(), l);
        t.sample(STALLED, s.stalled() ? 1 : 0, l);
    }

    private static void transport(PromText t, TransportStats s) {
        t.sample(T_FRAMES_SENT, s.framesSent());
        t.sample(T_BYTES_SENT, s.bytesSent());
        t.sample(T_FRAMES_RECEIVED, s.framesReceived());
        t.sample(T_BYTES_RECEIVED, s.bytesReceived());
        t.sample(T_REFUSED, s.framesRefused());
        t.sample(T_OPENED, s.linksOpened());
        t.sample(T_CLOSED, s.linksClosed());
        Map<Rejection, Long> seen = s.rejections();
        for (Rejection r : Rejection.values()) {
            t.sample(T_REJECTIONS, seen.getOrDefault(r, 0L), "reason", r.name().toLowerCase(Locale.ROOT));
        }
    }

    /** A {@link System#nanoTime()} of the past as seconds since the epoch. */
    static double epochSeconds(long nanoTime) {
        long ageNanos = System.nanoTime() - nanoTime;
        return (System.currentTimeMillis() - ageNanos / 1_000_000.0) / 1e3;
    }
}
