package p3.transport;

import java.net.InetSocketAddress;

import org.osgi.annotation.versioning.ConsumerType;

import p3.security.PeerIdentity;

/** Answers discovery requests to a cell; called on the discovery event loop, do not block. */
@ConsumerType
public interface DiscoveryHandler {

    /** @return the reply, or {@code null} to stay silent */
    byte[] onRequest(String cellId, byte[] payload, InetSocketAddress from);

    /**
     * What the endpoint calls: a handler that checks who asks (the role a request needs) overrides
     * this one. The default forgets the sender and calls {@link #onRequest(String, byte[], InetSocketAddress)}.
     *
     * @param sender who signed the request, checked against the endpoint's trust (its PeerId and role);
     *               {@code null} in the clear
     * @return the reply, or {@code null} to stay silent
     * @since 1.2
     */
    default byte[] onRequest(String cellId, byte[] payload, InetSocketAddress from, PeerIdentity sender) {
        return onRequest(cellId, payload, from);
    }
}
