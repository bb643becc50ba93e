package p3.transport;

import java.net.InetSocketAddress;

import p3.security.PeerIdentity;

/**
 * A reply to a discovery request, with the responder's unicast address.
 *
 * @param from    the responder's unicast address, as the datagram came (not vouched for by the signature)
 * @param payload what the responder answered
 * @param sender  who signed the reply, checked against the requester's trust: its PeerId and its role
 *                as its certificate names them; {@code null} in the clear (since 1.2). The mesh checks
 *                that the role may answer what was asked (a sensor's certificate cannot place a peer).
 */
public record DiscoveryReply(InetSocketAddress from, byte[] payload, PeerIdentity sender) {

    /** A reply in the clear (the 1.1 form). */
    public DiscoveryReply(InetSocketAddress from, byte[] payload) {
        this(from, payload, null);
    }
}
