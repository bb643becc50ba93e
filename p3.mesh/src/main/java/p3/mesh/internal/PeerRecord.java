package p3.mesh.internal;

import java.net.InetSocketAddress;

import p3.mesh.CellId;
import p3.mesh.PeerRole;

/**
 * What the mesh knows of one peer: where it is, whom it is bound to, and where it listens.
 *
 * @param epoch counts the peer's bindings, so that news of an old binding never undoes a newer one
 */
record PeerRecord(String peer, PeerRole role, CellId cell, String parent, InetSocketAddress links, long epoch) {

    String line() {
        return String.format("%-6s %-14s %-6s parent=%s", cell, peer, role.name().toLowerCase(), parent);
    }
}
