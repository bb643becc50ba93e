package p3.mesh.shell.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import p3.mesh.ClassStats;
import p3.mesh.FailureRecord;
import p3.mesh.MeshPeer;
import p3.mesh.FtCounters;
import p3.mesh.PeerCounters;
import p3.mesh.PeerRole;

/**
 * The statistics of the peers of a runtime, as a table or as JSON: per class at each client, mesh
 * overhead per peer, and the runtime's CPU time and heap (one JVM hosts all its peers, so these
 * are the runtime's, not one peer's).
 */
final class StatsReport {

    private final List<MeshPeer> peers;

    StatsReport(List<MeshPeer> peers) {
        this.peers = peers;
    }

    /** One line for the running display: each class's received rate, loss and latency. */
    static String line(List<ClassStats> now, List<ClassStats> before, double seconds) {
        StringBuilder out = new StringBuilder();
        for (ClassStats c : now) {
            long prev = 0;
            for (ClassStats b : before) {
                if (b.trafficClass().equals(c.trafficClass())) {
                    prev = b.received();
                }
            }
            out.append(String.format(Locale.ROOT, "%s %5.0f/s lost %d p50 %.2f p99 %.2f ms | ", c.trafficClass(),
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
            out.append(String.format(Locale.ROOT, "  %-6s %9s %9s %7s %5s %6s %7s %15s %8s %8s %8s%n", "class", "sent",
                    "received", "lost", "dup", "late", "corrupt", "mean+-sd ms", "p50", "p99", "max"));
            for (ClassStats c : p.classStats()) {
                out.append(String.format(Locale.ROOT, "  %-6s %9d %9d %7d %5d %6d %7d %7.2f +- %5.2f %8.2f %8.2f %8.2f%n",
                        c.trafficClass(), c.sent(), c.received(), c.lost(), c.duplicates(), c.late(), c.corrupt(),
                        c.mean(), c.stddev(), c.p50(), c.p99(), c.max()));
            }
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
        out.append(String.format(Locale.ROOT, "runtime: %d peers, cpu %.1f s, heap %.1f MB%n", peers.size(),
                cpuSeconds(), heapMb()));
        return out.toString();
    }

    String json() {
        StringBuilder out = new StringBuilder("{\"clients\":[");
        List<String> clients = new ArrayList<>();
        for (MeshPeer p : peers) {
            if (p.role() != PeerRole.CLIENT) {
                continue;
            }
            List<String> classes = new ArrayList<>();
            for (ClassStats c : p.classStats()) {
                classes.add(String.format(Locale.ROOT,
                        "\"%s\":{\"sent\":%d,\"received\":%d,\"lost\":%d,\"duplicates\":%d,\"late\":%d,\"corrupt\":%d,"
                                + "\"latency_ms\":{\"mean\":%.3f,\"stddev\":%.3f,\"p50\":%.3f,\"p99\":%.3f,\"max\":%.3f}}",
                        c.trafficClass(), c.sent(), c.received(), c.lost(), c.duplicates(), c.late(), c.corrupt(),
                        c.mean(), c.stddev(), c.p50(), c.p99(), c.max()));
            }
            clients.add("{\"peer\":\"" + p.id() + "\",\"classes\":{" + String.join(",", classes) + "}}");
        }
        out.append(String.join(",", clients)).append("],\"peers\":[");
        List<String> each = new ArrayList<>();
        for (MeshPeer p : peers) {
            PeerCounters k = p.counters();
            FtCounters f = p.ft();
            each.add(String.format(Locale.ROOT,
                    "{\"peer\":\"%s\",\"role\":\"%s\",\"cell\":\"%s\",\"state\":\"%s\",\"parents\":[%s],"
                            + "\"control_bytes\":%d,\"payload_bytes\":%d,\"control_messages\":%d,\"payload_messages\":%d,"
                            + "\"unroutable\":%d,\"ft\":{\"strategy\":\"%s\",\"held\":%d,\"replica_messages\":%d,\"replica_bytes\":%d,"
                            + "\"acknowledged\":%d,\"resent\":%d,\"taken_over\":%d,\"not_held\":%d}}",
                    p.id(), p.role().name().toLowerCase(Locale.ROOT), p.cell(), p.state(), quoted(p.parents()),
                    k.controlBytes(), k.payloadBytes(), k.controlFrames(), k.payloadFrames(), k.unroutable(),
                    f.strategy(), f.held(), f.replicaMessages(), f.replicaBytes(), f.acknowledged(), f.resent(), f.takenOver(), f.notHeld()));
        }
        out.append(String.join(",", each)).append(String.format(Locale.ROOT, "],\"cpu_s\":%.3f,\"heap_mb\":%.1f}",
                cpuSeconds(), heapMb()));
        return out.toString();
    }

    /** {@code "a","b"}: peer ids need no escaping (letters, digits, - _ .). */
    private static String quoted(List<String> ids) {
        List<String> out = new ArrayList<>();
        for (String id : ids) {
            out.add("\"" + id + "\"");
        }
        return String.join(",", out);
    }

    /**
     * Every failure the peers saw, as JSON: {@code {"failures":[{"observer", "failed", "how",
     * "detected_nanos", "rebind" (FAST, SLOW or null), "bound_nanos"}]}}. Times are
     * {@link System#nanoTime()}, which the processes of one host share.
     */
    static String failuresJson(List<MeshPeer> peers) {
        List<String> each = new ArrayList<>();
        for (MeshPeer p : peers) {
            for (FailureRecord f : p.failures()) {
                each.add(String.format(Locale.ROOT,
                        "{\"observer\":\"%s\",\"failed\":\"%s\",\"how\":\"%s\",\"detected_nanos\":%d,"
                                + "\"rebind\":%s,\"bound_nanos\":%d}",
                        f.observer(), f.failed(), f.how(), f.detectedNanos(),
                        f.rebind() == null ? "null" : "\"" + f.rebind() + "\"", f.boundNanos()));
            }
        }
        return "{\"failures\":[" + String.join(",", each) + "]}";
    }

    /** The process's CPU time in seconds, or -1 where the JDK's extension is not visible. */
    static double cpuSeconds() {
        try {
            java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
                return sun.getProcessCpuTime() / 1e9;
            }
        } catch (LinkageError e) {
            // not exported to this bundle
        }
        return -1;
    }

    static double heapMb() {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        return mem.getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }
}
