package p3.mesh.internal;

import p3.mesh.PeerState;

/**
 * Where a peer stands in its life. Written by its strand, except that a crash, which may come from
 * any thread, marks it at once; read by anyone.
 */
final class PeerStatus {

    private volatile PeerState state = PeerState.JOINING;
    /** Leaving: a parent that leaves meanwhile is no reason to rebind any more. */
    private volatile boolean stopping;
    /** Counts this peer's bindings, so that news of an old binding never undoes a newer one. Strand only. */
    long epoch;
    /** Decided to found the root cell and not in it yet: it answers RequestCell meanwhile. Strand only. */
    boolean founding;

    PeerState state() {
        return state;
    }

    /** Strand: a step of the join or a rebind; never undoes a crash or a leave. */
    void set(PeerState next) {
        if (!over()) {
            state = next;
        }
    }

    void crashed() {
        state = PeerState.CRASHED;
    }

    void left() {
        if (state != PeerState.CRASHED) {
            state = PeerState.LEFT;
        }
    }

    boolean over() {
        PeerState s = state;
        return s == PeerState.CRASHED || s == PeerState.LEFT;
    }

    boolean bound() {
        return state == PeerState.BOUND;
    }

    void stopping() {
        stopping = true;
    }

    /** Crashed, left or leaving: no more joins or rebinds. */
    boolean finished() {
        return stopping || over();
    }
}
