package p3.transport;

/** Nobody answered a discovery request in time. */
public class DiscoveryTimeoutException extends TransportException {
    private static final long serialVersionUID = 1L;

    public DiscoveryTimeoutException(String message) {
        super(message);
    }
}
