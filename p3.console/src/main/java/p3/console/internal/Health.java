package p3.console.internal;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import p3.mesh.MeshPeer;
import p3.mesh.PeerState;
import p3.report.base.MeshJson;

/**
 * {@code /health}: up (200) only when this runtime has peers and every one of them is BOUND; down
 * (503) while one joins, rebinds, or has left or crashed, and when there is none.
 *
 * @param up   whether the runtime serves the mesh
 * @param body {@code {"status":"up"|"down", "peers":{ID:STATE}, "not_bound":[ID]}}
 */
record Health(boolean up, ObjectNode body) {

    static Health of(List<MeshPeer> peers) {
        ObjectNode body = MeshJson.object();
        ObjectNode states = MeshJson.object();
        ArrayNode notBound = MeshJson.array();
        for (MeshPeer p : peers) {
            PeerState s = p.state();
            states.put(p.id(), s.name());
            if (s != PeerState.BOUND) {
                notBound.add(p.id());
            }
        }
        boolean up = !peers.isEmpty() && notBound.isEmpty();
        body.put("status", up ? "up" : "down");
        if (peers.isEmpty()) {
            body.put("reason", "no peer runs in this runtime");
        }
        body.set("peers", states);
        body.set("not_bound", notBound);
        return new Health(up, body);
    }
}
