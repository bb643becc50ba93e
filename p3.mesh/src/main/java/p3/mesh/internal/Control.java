package p3.mesh.internal;

import java.util.List;

import p3.transport.Frame;

/**
 * A mesh control message: discovery payloads, membership on the MESH links, and cell announcements.
 *
 * @param kind    what it is
 * @param id      request id matching replies to requests (0 when none)
 * @param text    role, cell or reason, by kind
 * @param records the peers it is about
 * @param frame   a frame routed through a cell-mate (ROUTE only)
 */
record Control(Kind kind, long id, String text, List<PeerRecord> records, Frame frame) {

    enum Kind {
        /** Discovery, to the root cell: where may a peer of role {@code text} go? */
        REQUEST_CELL,
        /** Discovery reply: the cell in {@code text}. */
        CELL,
        /** Discovery, to a cell: who serves here? ({@code text} is the asker's role) */
        REQUEST_PARENT,
        /** Discovery reply: the responder's record. */
        PARENT,
        /** A refusal, the reason in {@code text}. */
        REFUSED,
        /** Child to parent on a MESH link: bind me ({@code records} holds the child). */
        BIND,
        /** Parent to child: bound. */
        BOUND,
        /** Membership, upwards: these peers are in the mesh (Listing 3). */
        JOIN,
        /** Membership, downwards: the root has the JOIN with this id. */
        JOINED,
        /** Membership, upwards: these peers are gone (no reply). */
        LEAVE,
        /** In a cell: peers joined below one of us. */
        CELL_RECORDS,
        /** In a cell: peers gone. */
        CELL_LEAVE,
        /** In a cell: route this frame, I have no way to its target. */
        ROUTE,
        /** Client to its root parent: which peers are there? */
        TREE_QUERY,
        /** The reply: every peer the root knows. */
        TREE,
        /** Routed, client to sensor: send me class {@code text} ("class:ft:deadlineMs"). */
        SUBSCRIBE,
        /** Routed, sensor to client: frames of class {@code text} produced for you so far, in {@code id}. */
        SOURCE_STATS,
        /**
         * To every neighbour and the cell, passed on once: use FT strategy {@code text}; {@code id}
         * names the order.
         */
        FT_USE
    }

    static Control of(Kind kind, long id, String text) {
        return new Control(kind, id, text, List.of(), null);
    }

    static Control records(Kind kind, long id, List<PeerRecord> records) {
        return new Control(kind, id, "", List.copyOf(records), null);
    }

    static Control route(Frame frame) {
        return new Control(Kind.ROUTE, 0, "", List.of(), frame);
    }
}
