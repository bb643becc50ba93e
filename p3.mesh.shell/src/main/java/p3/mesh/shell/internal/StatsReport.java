package p3.mesh.shell.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import p3.mesh.ClassStats;
import p3.mesh.FtCounters;
import p3.mesh.MeshPeer;
import p3.mesh.PeerCounters;
import p3.mesh.PeerRole;
import p3.report.base.Figures;
import p3.report.base.Jvm;
import p3.report.base.MeshJson;
import p3.transport.Rejection;

/**
 * The statistics of the peers of a runtime, as a table or as JSON: per class at each client, mesh
 * overhead per peer, and the runtime's CPU time and heap (one JVM hosts all its peers, so these
 * are the runtime's, not one peer's).
 */
final class StatsReport {

    private final List<MeshPeer> peers;
    /** What the runtime's links, cells and discovery refused, by reason (none known: empty). */
    private final Map<Rejection, Long> refusedLinks;

    StatsReport(List<MeshPeer> peers) {
        this(peers, Map.of());
    }

    StatsReport(List<MeshPeer> peers, Map<Rejection, Long> refusedLinks) {
        this.peers = peers;
        this.refusedLinks = refusedLinks;
    }

    /** One line for the running display: each class's received rate, loss so far (a lower bound: see {@link Figures#LOST}) and latency. */
    static String line(List<ClassStats> now, List<ClassStats> before, double seconds) {
        StringBuilder out = new StringBuilder();
        for (ClassStats c : now) {
            long prev = 0;
            for (ClassStats b : before) {
                if (b.trafficClass().equals(c.trafficClass())) {
                    prev = b.received();
                }
            }
            out.append(String.format(Locale.ROOT, "%s %5.0f/s lost>=%d p50 %.2f p99 %.2f ms | ", c.trafficClass(),
                    (c.received() - prev) / seconds, c.lost(), c.p50(), c.p99()));
        }
        return out.length() > 3 ? out.substring(0, out.length() - 3) : "no traffic yet";
    }

    String table() {
        StringBuilder out = new StringBuilder();
        for (MeshPeer p : peers) {
            if (p.role() != PeerRole.CLIENT) {
                continue;
            }
            out.append("client ").append(p.id()).append('\n');
            out.append(String.format(Locale.ROOT, "  %-6s %9s %9s %7s %5s %6s %7s %15s %8s %8s %8s%n", "class", "sent*",
                    "received", "lost*", "dup", "late", "corrupt", "mean+-sd ms", "p50", "p99", "max"));
            for (ClassStats c : p.classStats()) {
                out.append(String.format(Locale.ROOT, "  %-6s %9d %9d %7d %5d %6d %7d %7.2f +- %5.2f %8.2f %8.2f %8.2f%n",
                        c.trafficClass(), c.sent(), c.received(), c.lost(), c.duplicates(), c.late(), c.corrupt(),
                        c.mean(), c.stddev(), c.p50(), c.p99(), c.max()));
            }
            out.append("  * ").append(Figures.NOTE).append('\n');
        }
        long payload = 0;
        long control = 0;
        long payloadFrames = 0;
        long controlFrames = 0;
        long replicas = 0;
        long replicaBytes = 0;
        for (MeshPeer p : peers) {
            PeerCounters k = p.counters();
            payload += k.payloadBytes();
            control += k.controlBytes();
            payloadFrames += k.payloadFrames();
            controlFrames += k.controlFrames();
            FtCounters f = p.ft();
            replicas += f.replicaMessages();
            replicaBytes += f.replicaBytes();
        }
        out.append(String.format(Locale.ROOT,
                "mesh overhead: %d control frames, %d B against %d payload frames, %d B (%.2f%% of bytes)%n",
                controlFrames, control, payloadFrames, payload, payload == 0 ? 0.0 : 100.0 * control / payload));
        out.append(String.format(Locale.ROOT, "replication: %d replicas to cells, %d B (%.2f B per payload byte)%n",
                replicas, replicaBytes, payload == 0 ? 0.0 : (double) replicaBytes / payload));
        long unauthorized = 0;
        long malformed = 0;
        for (MeshPeer p : peers) {
            unauthorized += p.counters().unauthorized();
            malformed += p.counters().malformed();
        }
        out.append(String.format(Locale.ROOT, "refused: %d unauthorized, %d malformed by the peers; by the transport: %s%n",
                unauthorized, malformed, refusedLinks.isEmpty() ? "none" : refusedLinks.entrySet().stream()
                        .map(e -> e.getKey().name().toLowerCase(Locale.ROOT) + " " + e.getValue())
                        .collect(java.util.stream.Collectors.joining(", "))));
        out.append(String.format(Locale.ROOT, "runtime: %d peers, cpu %.1f s, heap %.1f MB%n", peers.size(),
                cpuSeconds(), heapMb()));
        return out.toString();
    }

    /** {@link MeshJson#stats}: one line of JSON. */
    String json() {
        return MeshJson.write(MeshJson.stats(peers));
    }

    /** {@link MeshJson#failures}: one line of JSON. */
    static String failuresJson(List<MeshPeer> peers) {
        return MeshJson.write(MeshJson.failures(peers));
    }

    static double cpuSeconds() {
        return Jvm.cpuSeconds();
    }

    static double heapMb() {
        return Jvm.heapMb();
    }
}
