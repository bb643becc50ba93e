package p3.transport;

import java.net.InetSocketAddress;

import org.osgi.annotation.versioning.ProviderType;

/** A listening socket that accepts links of every traffic class for one peer. */
@ProviderType
public interface LinkServer extends AutoCloseable {

    /** The bound address, with the port chosen when 0 was asked. */
    InetSocketAddress address();

    /** Stops listening and closes the accepted links gracefully. */
    @Override
    void close();

    /** Stops listening and resets every accepted link: a crash, as the peers see it. */
    void abort();
}
