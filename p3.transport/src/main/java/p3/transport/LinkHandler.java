package p3.transport;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives what happens on links. Called on the link's event loop: never block here, hand long work
 * to another thread. Calls for one link arrive in order.
 */
@ConsumerType
public interface LinkHandler {

    /**
     * A frame arrived (HELLO and HEARTBEAT frames never reach the handler). Its payload is the
     * transport's memory, released when this returns: {@link Frame#retain} or {@link Frame#copy} it
     * to keep it longer.
     */
    void onFrame(Link link, Frame frame);

    /** The link is ready: the connection is up and the remote peer is known. */
    default void onOpen(Link link) {
    }

    /** The link is gone; it is called once, whatever closed it. */
    default void onClose(Link link, CloseReason reason) {
    }
}
