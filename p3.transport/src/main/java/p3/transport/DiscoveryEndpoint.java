package p3.transport;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/** One peer's discovery sockets: it asks cells, and answers for the cells it serves. */
@ProviderType
public interface DiscoveryEndpoint extends AutoCloseable {

    /** Where this endpoint receives replies and unicast requests (what others list as a seed). */
    InetSocketAddress unicastAddress();

    /**
     * Answers requests to {@code cellId} from now on, until the returned handle is closed.
     *
     * @throws TransportException when the cell's multicast socket cannot be opened
     */
    AutoCloseable serve(String cellId, DiscoveryHandler handler) throws TransportException;

    /**
     * Answers requests to {@code cellId} from now on, without waiting for the cell's multicast socket:
     * the stage completes with the handle once it is bound and joined (exceptionally with a
     * {@link TransportException}). Closing the handle stops the answers at once and never waits;
     * the socket closes in the background.
     *
     * @since 1.1
     */
    CompletionStage<AutoCloseable> serveAsync(String cellId, DiscoveryResponder responder);

    /**
     * Sends a request to a cell and gathers replies until {@code maxReplies} have come or the
     * timeout passes. The stage fails with a {@link DiscoveryTimeoutException} when none came, and at
     * once with another {@link TransportException} when the request could not be sent anywhere (this
     * host has no network): that is no evidence that nobody is there.
     */
    CompletionStage<List<DiscoveryReply>> request(String cellId, byte[] payload, Duration timeout, int maxReplies);

    @Override
    void close();
}
