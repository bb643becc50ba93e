package p3.transport;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

import p3.security.PeerIdentity;

/**
 * Answers discovery requests to a cell, possibly later: a responder whose state lives on a thread
 * of its own hands the request there and completes the stage from it.
 *
 * @since 1.1
 */
@ConsumerType
@FunctionalInterface
public interface DiscoveryResponder {

    /**
     * Called on the discovery event loop: return at once. The reply leaves when the stage completes
     * with bytes; {@code null}, or a stage that fails, stays silent.
     */
    CompletionStage<byte[]> answer(String cellId, byte[] payload, InetSocketAddress from);

    /**
     * What the endpoint calls, on the discovery event loop: a responder that checks who asks (that
     * a request to be placed as a super-peer is signed by a super-peer's certificate, say) overrides
     * this one. The default forgets the sender and calls
     * {@link #answer(String, byte[], InetSocketAddress)}.
     *
     * @param sender who signed the request, checked against the endpoint's trust: the PeerId and the
     *               role its certificate names; {@code null} in the clear. {@code from} is where the
     *               datagram came from and is not vouched for by the signature.
     * @since 1.2
     */
    default CompletionStage<byte[]> answer(String cellId, byte[] payload, InetSocketAddress from,
            PeerIdentity sender) {
        return answer(cellId, payload, from);
    }
}
