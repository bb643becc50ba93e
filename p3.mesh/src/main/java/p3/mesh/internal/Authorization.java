package p3.mesh.internal;

import java.util.List;
import java.util.Locale;

import p3.security.PeerIdentity;
import p3.security.Role;
import p3.transport.Frame;
import p3.transport.Link;

/**
 * Who may do what, by the certificate at the other end of a link. On a link in the clear (security
 * turned off) there is no certificate and only the names in HELLO and in the records are checked.
 * <p>
 * Super-peers are the mesh's infrastructure: they forward what their subtrees send and the orders
 * they are given. Leaves (sensors, clients) speak only for themselves; only a client (or an
 * operator's tool) steers the mesh, and a super-peer that forwards its order.
 */
final class Authorization {

    private Authorization() {
    }

    /** @return why a link reached from a binding is not the parent asked for, or null when it is */
    static String parentRefusal(Link link, String expected) {
        if (!link.remotePeer().equals(expected)) {
            return "the link to " + expected + " answered as " + link.remotePeer();
        }
        PeerIdentity who = link.remoteIdentity();
        if (who != null && who.role() != Role.SUPER) {
            return expected + " holds a " + who.role().label() + " certificate, not a super-peer's";
        }
        return null;
    }

    /** @return why a child may not bind in the role its record claims, or null when it may */
    static String bindRefusal(Link link, PeerRecord child) {
        PeerIdentity who = link.remoteIdentity();
        String asked = child.role().name().toLowerCase(Locale.ROOT);
        if (who != null && !who.role().label().equals(asked)) {
            return "BIND as a " + asked + " with a " + who.role().label() + " certificate";
        }
        return null;
    }

    /** Whether a frame from a child may enter the mesh: a leaf sends only as itself. */
    static boolean mayForward(Link from, Frame frame) {
        PeerIdentity who = from.remoteIdentity();
        return who == null || who.role() == Role.SUPER || frame.sourcePeer().equals(who.peerId());
    }

    /** Whether a child's membership message (JOIN, LEAVE) may name these peers: a leaf names only itself. */
    static boolean mayAnnounce(Link from, List<PeerRecord> records) {
        PeerIdentity who = from.remoteIdentity();
        if (who == null || who.role() == Role.SUPER) {
            return true;
        }
        return records.stream().allMatch(r -> r.peer().equals(who.peerId()));
    }

    /** Whether an order that steers the mesh (an FT swap) is obeyed from this link. */
    static boolean maySteer(Link from) {
        PeerIdentity who = from.remoteIdentity();
        return who == null || who.role() == Role.SUPER || who.role().maySteer();
    }

    /**
     * @return why a discovery request's signer may not ask as the role and peer it names, or null
     *         when it may (or the request is in the clear)
     */
    static String requestRefusal(PeerIdentity signer, String role, String peer) {
        if (signer == null) {
            return null;
        }
        if (!signer.role().label().equals(role.trim().toLowerCase(Locale.ROOT))) {
            return "a request as a " + role + " signed with a " + signer.role().label() + " certificate";
        }
        if (!peer.isEmpty() && !peer.equals(signer.peerId())) {
            return "a request for " + peer + " signed by " + signer.peerId();
        }
        return null;
    }

    /** Whether a discovery reply comes from a super-peer that speaks for itself. */
    static boolean replyTrusted(PeerIdentity signer, Control reply) {
        if (signer == null) {
            return true;
        }
        if (signer.role() != Role.SUPER) {
            return false;
        }
        return reply.kind() != Control.Kind.PARENT || reply.records().isEmpty()
                || reply.records().get(0).peer().equals(signer.peerId());
    }

    /** Whether a routed control message (a SUBSCRIBE, say) may enter the mesh from this child. */
    static boolean maySubscribe(Link from) {
        PeerIdentity who = from.remoteIdentity();
        return who == null || who.role() != Role.SENSOR;
    }
}
