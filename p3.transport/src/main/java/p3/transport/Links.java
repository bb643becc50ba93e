package p3.transport;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

import p3.security.PeerCredentials;

/**
 * Point-to-point links over TCP. The service is shared by all the peers of a runtime; each peer
 * listens on its own socket.
 */
@ProviderType
public interface Links {

    /**
     * Listens for links to {@code localPeer}, in the clear (when security is turned off).
     *
     * @param bind where to listen; port 0 picks a free one
     * @throws TransportException when the address cannot be bound
     */
    LinkServer listen(InetSocketAddress bind, String localPeer, LinkHandler handler) throws TransportException;

    /**
     * Opens a link of one traffic class to the listener at {@code remote}, in the clear. The stage completes when
     * the connection is up (exceptionally with a {@link TransportException} when it cannot be made
     * within the connect timeout); the remote peer's name is then known from its listener's reply.
     */
    CompletionStage<Link> connect(InetSocketAddress remote, String localPeer, TrafficClass trafficClass,
            LinkHandler handler);

    /**
     * Listens for links to a peer with credentials: every connection is TLS 1.3 with mutual
     * authentication; one whose certificate this mesh's CA did not issue, or whose HELLO names
     * another peer than its certificate, is refused and counted.
     *
     * @since 1.2
     */
    LinkServer listen(InetSocketAddress bind, PeerCredentials credentials, LinkHandler handler)
            throws TransportException;

    /**
     * Opens a link as a peer with credentials: TLS 1.3 with mutual authentication. The stage fails
     * when the remote end presents no certificate of this mesh, or a HELLO that is not its certificate's.
     *
     * @since 1.2
     */
    CompletionStage<Link> connect(InetSocketAddress remote, PeerCredentials credentials, TrafficClass trafficClass,
            LinkHandler handler);

    TransportStats stats();
}
