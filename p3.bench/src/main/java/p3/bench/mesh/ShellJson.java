package p3.bench.mesh;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import p3.mesh.ClassStats;
import p3.mesh.Deliveries;
import p3.mesh.FailureRecord;
import p3.mesh.RebindKind;

/**
 * The JSON answers of a runtime's shell: {@code p3:stats --json} and {@code p3:failures --json}
 * (p3.report.base's {@code MeshJson} writes them). A class's {@code sent_reported} is what its
 * sensors last reported, so it is final only once they stopped and reported (p3:stopsources).
 * A log line that the command's thread wrote may come before the answer (Gogo hands the thread's
 * standard streams to the session), so the answer is the last line that starts with a brace.
 */
final class ShellJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ShellJson() {
    }

    /** What one peer sent since it started, as {@code p3:stats --json} lists it. */
    record PeerStats(String peer, String role, String cell, String state, List<String> parents, long controlBytes,
            long controlMessages, long payloadBytes, long payloadMessages, long replicaBytes, long replicaMessages) {
    }

    /**
     * One runtime's {@code p3:stats --json}.
     *
     * @param clientClasses per class at its client, empty when it hosts none
     * @param cpuSeconds    the runtime's CPU time since it started
     * @param heapMb        its heap in use
     */
    record RuntimeStats(List<ClassStats> clientClasses, List<PeerStats> peers, double cpuSeconds, double heapMb) {
    }

    static RuntimeStats stats(String output) {
        JsonNode root = parse(output, "p3:stats --json");
        List<ClassStats> classes = new ArrayList<>();
        for (JsonNode client : array(root, "clients")) {
            Iterator<Map.Entry<String, JsonNode>> it = field(client, "classes").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode c = e.getValue();
                JsonNode l = field(c, "latency_ms");
                classes.add(new ClassStats(e.getKey(), number(c, "sent_reported"), number(c, "received"), number(c, "lost"),
                        number(c, "duplicates"), number(c, "late"), number(c, "corrupt"), decimal(l, "mean"),
                        decimal(l, "stddev"), decimal(l, "p50"), decimal(l, "p99"), decimal(l, "max")));
            }
        }
        List<PeerStats> peers = new ArrayList<>();
        for (JsonNode p : array(root, "peers")) {
            JsonNode ft = field(p, "ft");
            List<String> parents = new ArrayList<>();
            for (JsonNode parent : array(p, "parents")) {
                parents.add(parent.asText());
            }
            peers.add(new PeerStats(text(p, "peer"), text(p, "role"), optionalText(p, "cell"), text(p, "state"), parents,
                    number(p, "control_bytes"), number(p, "control_messages"), number(p, "payload_bytes"),
                    number(p, "payload_messages"), number(ft, "replica_bytes"), number(ft, "replica_messages")));
        }
        return new RuntimeStats(classes, peers, decimal(root, "cpu_s"), decimal(root, "heap_mb"));
    }

    static List<FailureRecord> failures(String output) {
        JsonNode root = parse(output, "p3:failures --json");
        List<FailureRecord> out = new ArrayList<>();
        for (JsonNode f : array(root, "failures")) {
            JsonNode rebind = f.get("rebind");
            RebindKind kind;
            try {
                kind = rebind == null || rebind.isNull() ? null : RebindKind.valueOf(rebind.asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("p3:failures --json: rebind is not FAST, SLOW or null: " + rebind);
            }
            out.add(new FailureRecord(text(f, "observer"), text(f, "failed"), text(f, "how"),
                    number(f, "detected_nanos"), kind, number(f, "bound_nanos")));
        }
        return out;
    }

    /** {@code p3:deliveries --json} of a runtime with one client: per class, what it delivered. */
    static List<Deliveries> deliveries(String output) {
        JsonNode root = parse(output, "p3:deliveries --json");
        List<Deliveries> out = new ArrayList<>();
        for (JsonNode client : array(root, "clients")) {
            for (JsonNode c : array(client, "classes")) {
                List<Deliveries.Stream> streams = new ArrayList<>();
                for (JsonNode s : array(c, "streams")) {
                    List<Deliveries.Hole> holes = new ArrayList<>();
                    for (JsonNode h : array(s, "holes")) {
                        holes.add(new Deliveries.Hole(h.get(0).asLong(), h.get(1).asLong(), h.get(2).asLong(),
                                h.get(3).asLong()));
                    }
                    streams.add(new Deliveries.Stream(text(s, "source"), number(s, "sent"), number(s, "distinct"),
                            number(s, "deliveries"), number(s, "out_of_order"), holes, number(s, "holes_left_off")));
                }
                List<Deliveries.Slot> slots = new ArrayList<>();
                for (JsonNode t : array(c, "slots")) {
                    slots.add(new Deliveries.Slot(t.get(0).asLong(), t.get(1).asLong(), t.get(2).asLong(),
                            t.get(3).asLong()));
                }
                out.add(new Deliveries(text(c, "class"), number(c, "slot_nanos"), streams, slots));
            }
        }
        return out;
    }

    private static JsonNode parse(String output, String what) {
        String json = null;
        for (String line : output.split("\n")) {
            if (line.startsWith("{")) {
                json = line;
            }
        }
        if (json == null) {
            throw new IllegalStateException(what + " answered no JSON: " + ShellClient.abbreviate(output));
        }
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(what + " answered malformed JSON (" + e.getOriginalMessage() + "): "
                    + ShellClient.abbreviate(json));
        }
    }

    private static JsonNode field(JsonNode node, String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw new IllegalStateException("the shell's JSON has no field " + name + " in " + node);
        }
        return v;
    }

    private static Iterable<JsonNode> array(JsonNode node, String name) {
        JsonNode v = field(node, name);
        if (!v.isArray()) {
            throw new IllegalStateException("the shell's JSON: " + name + " is not an array");
        }
        return v;
    }

    private static String text(JsonNode node, String name) {
        return field(node, name).asText();
    }

    /** A text field that may be null (a peer's cell before it has one). */
    private static String optionalText(JsonNode node, String name) {
        JsonNode v = node.get(name);
        if (v == null) {
            throw new IllegalStateException("the shell's JSON has no field " + name + " in " + node);
        }
        return v.isNull() ? null : v.asText();
    }

    private static long number(JsonNode node, String name) {
        JsonNode v = field(node, name);
        if (!v.isIntegralNumber()) {
            throw new IllegalStateException("the shell's JSON: " + name + " is not a whole number: " + v);
        }
        return v.asLong();
    }

    private static double decimal(JsonNode node, String name) {
        JsonNode v = field(node, name);
        if (!v.isNumber()) {
            throw new IllegalStateException("the shell's JSON: " + name + " is not a number: " + v);
        }
        return v.asDouble();
    }
}
