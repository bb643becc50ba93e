package p3.report.base;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import p3.mesh.ClassStats;
import p3.mesh.Deliveries;
import p3.mesh.FailureRecord;
import p3.mesh.FtCounters;
import p3.mesh.MeshPeer;
import p3.mesh.PeerCounters;
import p3.mesh.PeerRole;
import p3.mesh.StrandStats;

/**
 * The JSON documents of a runtime's peers, written with Jackson: {@code p3:stats --json} and
 * {@code p3:failures --json} print them, and the console serves the same under {@code /api/}.
 * Keys are snake_case; times are {@link System#nanoTime()}, which the processes of one host share.
 */
public final class MeshJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private MeshJson() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** One line of JSON. */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("p3: a tree of JSON nodes did not write: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * {@code {"clients":[{"peer", "classes":{CLASS:{"sent_reported", "received", "lost", "duplicates",
     * "late", "corrupt", "latency_ms":{"mean", "stddev", "p50", "p99", "max"}}}}], "peers":[{"peer",
     * "role", "cell", "state", "parents", "control_bytes", "payload_bytes", "control_messages",
     * "payload_messages", "unroutable", "ft":{...}}], "cpu_s", "heap_mb", "meaning":{...}}}: per class
     * at each client, what each peer sent, and the runtime's CPU time and heap.
     */
    public static ObjectNode stats(List<MeshPeer> peers) {
        ObjectNode root = object();
        ArrayNode clients = root.putArray("clients");
        for (MeshPeer p : peers) {
            if (p.role() != PeerRole.CLIENT) {
                continue;
            }
            ObjectNode client = clients.addObject();
            client.put("peer", p.id());
            ObjectNode classes = client.putObject("classes");
            for (ClassStats c : p.classStats()) {
                classes.set(c.trafficClass(), classStats(c));
            }
        }
        ArrayNode each = root.putArray("peers");
        for (MeshPeer p : peers) {
            PeerCounters k = p.counters();
            ObjectNode o = each.addObject();
            o.put("peer", p.id());
            o.put("role", role(p));
            o.put("cell", p.cell() == null ? null : p.cell().toString());
            o.put("state", p.state().name());
            ArrayNode parents = o.putArray("parents");
            p.parents().forEach(parents::add);
            o.put("control_bytes", k.controlBytes());
            o.put("payload_bytes", k.payloadBytes());
            o.put("control_messages", k.controlFrames());
            o.put("payload_messages", k.payloadFrames());
            o.put("unroutable", k.unroutable());
            o.set("ft", ft(p.ft()));
        }
        root.put("cpu_s", round(Jvm.cpuSeconds()));
        root.put("heap_mb", round(Jvm.heapMb()));
        ObjectNode meaning = root.putObject("meaning");
        meaning.put("sent_reported", Figures.SENT_REPORTED);
        meaning.put("lost", Figures.LOST);
        return root;
    }

    /**
     * {@code {"clients":[{"peer", "classes":[{"class", "slot_nanos", "streams":[{"source", "sent",
     * "distinct", "deliveries", "out_of_order", "holes":[[first, last, missing, sent_nanos]],
     * "holes_left_off"}], "slots":[[start_nanos, frames, max_delay_us, out_of_order]]}]}]}}: what each
     * client delivered, for a checker; a hole's {@code sent_nanos} is -1 for a stream's tail.
     */
    public static ObjectNode deliveries(List<MeshPeer> clients) {
        ObjectNode root = object();
        ArrayNode each = root.putArray("clients");
        for (MeshPeer p : clients) {
            ObjectNode client = each.addObject();
            client.put("peer", p.id());
            ArrayNode classes = client.putArray("classes");
            for (Deliveries d : p.deliveries()) {
                ObjectNode c = classes.addObject();
                c.put("class", d.trafficClass());
                c.put("slot_nanos", d.slotNanos());
                ArrayNode streams = c.putArray("streams");
                for (Deliveries.Stream s : d.streams()) {
                    ObjectNode o = streams.addObject();
                    o.put("source", s.source());
                    o.put("sent", s.sent());
                    o.put("distinct", s.distinct());
                    o.put("deliveries", s.deliveries());
                    o.put("out_of_order", s.outOfOrder());
                    ArrayNode holes = o.putArray("holes");
                    for (Deliveries.Hole h : s.holes()) {
                        holes.addArray().add(h.first()).add(h.last()).add(h.missing()).add(h.sentNanos());
                    }
                    o.put("holes_left_off", s.holesLeftOff());
                }
                ArrayNode slots = c.putArray("slots");
                for (Deliveries.Slot s : d.slots()) {
                    slots.addArray().add(s.startNanos()).add(s.frames()).add(s.maxDelayMicros()).add(s.outOfOrder());
                }
            }
        }
        return root;
    }

    static ObjectNode classStats(ClassStats c) {
        ObjectNode o = object();
        o.put("sent_reported", c.sent());
        o.put("received", c.received());
        o.put("lost", c.lost());
        o.put("duplicates", c.duplicates());
        o.put("late", c.late());
        o.put("corrupt", c.corrupt());
        ObjectNode l = o.putObject("latency_ms");
        l.put("mean", round(c.mean()));
        l.put("stddev", round(c.stddev()));
        l.put("p50", round(c.p50()));
        l.put("p99", round(c.p99()));
        l.put("max", round(c.max()));
        return o;
    }

    static ObjectNode ft(FtCounters f) {
        ObjectNode o = object();
        o.put("strategy", f.strategy());
        o.put("held", f.held());
        o.put("replica_messages", f.replicaMessages());
        o.put("replica_bytes", f.replicaBytes());
        o.put("acknowledged", f.acknowledged());
        o.put("resent", f.resent());
        o.put("taken_over", f.takenOver());
        o.put("not_held", f.notHeld());
        o.put("held_bytes", f.heldBytes());
        o.put("expired", f.expired());
        o.put("dropped_at_source", f.droppedAtSource());
        o.put("retransmit_timeout_ms", f.retransmitTimeoutMs());
        return o;
    }

    /**
     * {@code {"failures":[{"observer", "failed", "how", "detected_nanos", "rebind" (FAST, SLOW or null),
     * "bound_nanos", "rebind_ms" (-1 while not bound again)}]}}.
     */
    public static ObjectNode failures(List<MeshPeer> peers) {
        ObjectNode root = object();
        ArrayNode each = root.putArray("failures");
        for (MeshPeer p : peers) {
            for (FailureRecord f : p.failures()) {
                ObjectNode o = each.addObject();
                o.put("observer", f.observer());
                o.put("failed", f.failed());
                o.put("how", f.how());
                o.put("detected_nanos", f.detectedNanos());
                o.put("rebind", f.rebind() == null ? null : f.rebind().name());
                o.put("bound_nanos", f.boundNanos());
                o.put("rebind_ms", round(f.rebindMillis()));
            }
        }
        return root;
    }

    /**
     * {@code {"peers":[{"peer", "role", "cell", "state", "parents", "links", "strand":{"depth",
     * "run", "failed", "refused", "stalled"}}]}}: the peers of this runtime.
     */
    public static ObjectNode peers(List<MeshPeer> peers) {
        ObjectNode root = object();
        ArrayNode each = root.putArray("peers");
        for (MeshPeer p : peers) {
            ObjectNode o = each.addObject();
            o.put("peer", p.id());
            o.put("role", role(p));
            o.put("cell", p.cell() == null ? null : p.cell().toString());
            o.put("state", p.state().name());
            ArrayNode parents = o.putArray("parents");
            p.parents().forEach(parents::add);
            o.put("links", p.links().size());
            StrandStats s = p.strand();
            ObjectNode strand = o.putObject("strand");
            strand.put("depth", s.depth());
            strand.put("run", s.run());
            strand.put("failed", s.failed());
            strand.put("refused", s.refused());
            strand.put("stalled", s.stalled());
        }
        return root;
    }

    /** {@code {"seen_by", "peers":[{"cell", "peer", "role", "parent"}]}}: see {@link TreeEntry#of}. */
    public static ObjectNode tree(List<MeshPeer> peers) {
        TreeEntry.Tree t = TreeEntry.of(peers);
        ObjectNode root = object();
        root.put("seen_by", t.seenBy());
        ArrayNode each = root.putArray("peers");
        for (TreeEntry e : t.entries()) {
            ObjectNode o = each.addObject();
            o.put("cell", e.cell());
            o.put("peer", e.peer());
            o.put("role", e.role());
            o.put("parent", e.parent());
        }
        return root;
    }

    /** {@code {"available":[NAME], "peers":[{"peer", "role", "ft":{...}}]}}. */
    public static ObjectNode ft(List<MeshPeer> peers, List<String> available) {
        ObjectNode root = object();
        ArrayNode names = root.putArray("available");
        available.forEach(names::add);
        ArrayNode each = root.putArray("peers");
        for (MeshPeer p : peers) {
            ObjectNode o = each.addObject();
            o.put("peer", p.id());
            o.put("role", role(p));
            o.set("ft", ft(p.ft()));
        }
        return root;
    }

    /** {@code {"classes":[{"class", "bundle", "version", "loaded"}]}}. */
    public static ObjectNode classes(List<TrafficBundles.TrafficBundle> bundles) {
        ObjectNode root = object();
        ArrayNode each = root.putArray("classes");
        for (TrafficBundles.TrafficBundle b : bundles) {
            ObjectNode o = each.addObject();
            o.put("class", b.trafficClass());
            o.put("bundle", b.bundleId());
            o.put("version", b.version());
            o.put("loaded", b.loaded());
        }
        return root;
    }

    private static String role(MeshPeer p) {
        return p.role().name().toLowerCase(Locale.ROOT);
    }

    /** Three decimals: microseconds for latencies in ms, enough for the rest. */
    static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : v;
    }
}
