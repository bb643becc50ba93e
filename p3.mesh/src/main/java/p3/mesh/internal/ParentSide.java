package p3.mesh.internal;

import java.lang.System.Logger.Level;

import p3.transport.CloseReason;
import p3.transport.Frame;
import p3.transport.FrameType;
import p3.transport.Link;
import p3.transport.LinkHandler;

/**
 * The links of one parent binding, as the transport's threads hear them: data and routed control
 * pass on where they arrive (Listing 4's HandlePeerMessage); control for this link is decoded there
 * and handed to the {@link Uplink} on the strand. One instance per binding, shared by its links.
 */
final class ParentSide implements LinkHandler {

    private static final System.Logger LOG = System.getLogger(ParentSide.class.getName());
    private static final RateLimitedLog MALFORMED = new RateLimitedLog(LOG, 5000);

    private final Binding binding;
    private final Uplink uplink;
    private final PeerContext c;

    ParentSide(Binding binding, Uplink uplink, PeerContext c) {
        this.binding = binding;
        this.uplink = uplink;
        this.c = c;
    }

    @Override
    public void onFrame(Link link, Frame frame) {
        if (frame.type() != FrameType.CONTROL || !frame.targetPeer().isEmpty()) {
            c.routing().route(frame, link.remotePeer(), false);
            return;
        }
        Control control;
        try {
            control = c.codec().decode(frame.payload());
        } catch (ControlCodec.MalformedControlException e) {
            c.metrics().malformed.increment();
            MALFORMED.log(Level.WARNING, () -> c.self() + ": dropped a malformed control message from parent "
                    + link.remotePeer() + ": " + e.getMessage());
            return;
        }
        c.strand().execute(() -> uplink.fromParent(link, control));
    }

    @Override
    public void onClose(Link link, CloseReason reason) {
        // the moment the peer hears of it, as the children's side and the cell stamp theirs: a strand busy
        // relaying may take its turn later, which the rebind's duration shows
        long detected = c.time().nanoTime();
        c.strand().execute(() -> uplink.closed(binding, link, reason, detected));
    }
}
