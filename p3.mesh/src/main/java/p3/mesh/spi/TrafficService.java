package p3.mesh.spi;

import java.util.Random;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A class of traffic, registered by its own bundle. The mesh runs it: on a sensor, a source that
 * sends {@link #payload frames} at the profile's rate to the clients that asked; on a super-peer,
 * the relay of its class's connections; on a client, the sink that {@link #verify checks} and
 * measures what arrives. Registering the service opens its class's connections on every peer of
 * the runtime; unregistering closes them and stops its sources, and the other classes carry on.
 */
@ConsumerType
public interface TrafficService {

    /** Service property naming the class: {@code audio}, {@code video} or {@code event}. */
    String CLASS_PROPERTY = "p3.traffic";

    /** {@code audio}, {@code video} or {@code event}: the connections it travels on. */
    String trafficClass();

    TrafficProfile profile();

    /** The payload of frame {@code sequence} of a source. */
    byte[] payload(long sequence, Random random);

    /** Nanoseconds from one frame to the next of a source. */
    long nextIntervalNanos(Random random);

    /** Whether a received payload is the one frame {@code sequence} should carry. */
    boolean verify(long sequence, byte[] payload);
}
