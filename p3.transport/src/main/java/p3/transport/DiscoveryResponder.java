package p3.transport;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

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
}
