package p3.console.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import p3.mesh.ClassStats;
import p3.mesh.MeshPeer;
import p3.mesh.PeerRole;
import p3.report.base.MeshJson;

/**
 * The last minutes of each class at this runtime's clients, one point per sample: the page plots
 * latency (p50, p99, since the client started measuring) and frames lost so far against time.
 * Written by the console's sampling thread, read by requests.
 */
final class History {

    private final int capacity;
    private final Deque<ObjectNode> points = new ArrayDeque<>();

    History(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a history holds at least one point: " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * @return the point taken now: {@code {"t": epoch ms, "classes":{CLASS:{"p50", "p99", "lost",
     *         "received", "sent_reported"}}}}, at the first client of this runtime (a mesh has one)
     */
    ObjectNode sample(List<MeshPeer> peers, long epochMillis) {
        ObjectNode point = MeshJson.object();
        point.put("t", epochMillis);
        ObjectNode classes = point.putObject("classes");
        for (MeshPeer p : peers) {
            if (p.role() != PeerRole.CLIENT) {
                continue;
            }
            point.put("client", p.id());
            for (ClassStats c : p.classStats()) {
                ObjectNode o = classes.putObject(c.trafficClass());
                o.put("p50", c.p50());
                o.put("p99", c.p99());
                o.put("lost", c.lost());
                o.put("received", c.received());
                o.put("sent_reported", c.sent());
            }
            break;
        }
        synchronized (points) {
            points.addLast(point);
            while (points.size() > capacity) {
                points.removeFirst();
            }
        }
        return point;
    }

    ArrayNode all() {
        ArrayNode out = MeshJson.array();
        synchronized (points) {
            points.forEach(out::add);
        }
        return out;
    }

    int size() {
        synchronized (points) {
            return points.size();
        }
    }
}
