package p3.transport;

import java.net.InetSocketAddress;

/** A reply to a discovery request, with the responder's unicast address. */
public record DiscoveryReply(InetSocketAddress from, byte[] payload) {
}
