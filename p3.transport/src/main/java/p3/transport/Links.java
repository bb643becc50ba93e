package p3.transport;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Point-to-point links over TCP. The service is shared by all the peers of a runtime; each peer
 * listens on its own socket.
 */
@ProviderType
public interface Links {

    /**
     * Listens for links to {@code localPeer}.
     *
     * @param bind where to listen; port 0 picks a free one
     * @throws TransportException when the address cannot be bound
     */
    LinkServer listen(InetSocketAddress bind, String localPeer, LinkHandler handler) throws TransportException;

    /**
     * Opens a link of one traffic class to the listener at {@code remote}. The stage completes when
     * the connection is up (exceptionally with a {@link TransportException} when it cannot be made
     * within the connect timeout); the remote peer's name is then known from its listener's reply.
     */
    CompletionStage<Link> connect(InetSocketAddress remote, String localPeer, TrafficClass trafficClass,
            LinkHandler handler);

    TransportStats stats();
}
