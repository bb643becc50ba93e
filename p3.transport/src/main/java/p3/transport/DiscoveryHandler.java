package p3.transport;

import java.net.InetSocketAddress;

import org.osgi.annotation.versioning.ConsumerType;

/** Answers discovery requests to a cell; called on the discovery event loop, do not block. */
@ConsumerType
public interface DiscoveryHandler {

    /** @return the reply, or {@code null} to stay silent */
    byte[] onRequest(String cellId, byte[] payload, InetSocketAddress from);
}
